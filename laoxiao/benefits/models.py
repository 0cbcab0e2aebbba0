from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from laoxiao.core.models import StatusChange
from laoxiao.core.personal import SealedAccount
from laoxiao.core.scope import ScopePaths
from laoxiao.core.writes import audited


class Programme(models.Model):
    class Beneficiary(models.TextChoices):
        PERSON = "person", _("person")
        FACILITY = "facility", _("facility")
        STAFF = "staff", _("staff member")

    class Period(models.TextChoices):
        MONTHLY = "monthly", _("monthly")
        QUARTERLY = "quarterly", _("quarterly")
        YEARLY = "yearly", _("yearly")
        ONE_OFF = "one_off", _("one-off")

    class Mode(models.TextChoices):
        APPLICATION = "application", _("by application")
        PROACTIVE = "proactive", _("proactive (免申即享)")

    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    beneficiary = models.CharField(_("beneficiary"), max_length=10, choices=Beneficiary.choices)
    period = models.CharField(_("payment cadence"), max_length=10, choices=Period.choices)
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices)
    funding_source = models.CharField(_("funding source"), max_length=100)
    budget = models.DecimalField(_("budget (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    # The city whose document the programme comes from; blank for a rule any city may run.
    city_code = models.CharField(_("city"), max_length=12, blank=True)
    city_name = models.CharField(_("city name"), max_length=50, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class RuleVersion(models.Model):
    """One version of a programme's rule. Published versions are never edited; every payment names the
    version that produced it."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    rule = models.JSONField(_("rule"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["programme", "-version"]
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        constraints = [models.UniqueConstraint(fields=["programme", "version"], name="one_rule_version")]

    def __str__(self) -> str:
        return f"{self.programme} v{self.version}"


class PaymentBatch(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        SENT = "sent", _("sent to the bank")
        RECONCILED = "reconciled", _("reconciled")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="batches"
    )
    area = models.ForeignKey("core.Area", verbose_name=_("area"), on_delete=models.PROTECT)
    period = models.CharField(_("payment period"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changes = models.JSONField(_("changes since the previous period"), default=dict)
    history = audited()

    scope_paths = ScopePaths(area="area_id")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")

    def __str__(self) -> str:
        return f"{self.programme} {self.period}"

    def timeline(self) -> QuerySet[StatusChange]:
        """Its moves and its lines' (held back, released), in order."""
        kinds = ContentType.objects.get_for_models(PaymentBatch, Payment)
        return (
            StatusChange.objects.filter(
                Q(content_type=kinds[PaymentBatch], object_id=self.pk)
                | Q(content_type=kinds[Payment], object_id__in=self.payments.values("pk"))
            )
            .select_related("by")
            .order_by("at", "id")
        )


class Payment(models.Model):
    """One payment to one beneficiary for one period of one programme: the database refuses a second."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", _("approved")
        PAID = "paid", _("paid")
        FAILED = "failed", _("failed")
        HELD = "held", _("held back")

    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.PROTECT)
    rule_version = models.ForeignKey(RuleVersion, verbose_name=_("rule version"), on_delete=models.PROTECT)
    batch = models.ForeignKey(
        PaymentBatch, verbose_name=_("batch"), null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    beneficiary_type = models.CharField(_("beneficiary"), max_length=10, choices=Programme.Beneficiary.choices)
    beneficiary_id = models.BigIntegerField(_("beneficiary record"))
    beneficiary_name = models.CharField(_("beneficiary name"), max_length=100)
    area = models.ForeignKey("core.Area", verbose_name=_("area"), on_delete=models.PROTECT)
    # 2026-11, 2026-Q4, 2026, or for a grant paid in shares YEAR-A<application>-<share>
    period = models.CharField(_("payment period"), max_length=24)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    failure_reason = models.CharField(_("failure reason"), max_length=200, blank=True)
    hold_reason = models.CharField(_("reason for holding back"), max_length=200, blank=True)
    history = audited()

    scope_paths = ScopePaths(area="area_id")

    class Meta:
        ordering = ["batch", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "beneficiary_type", "beneficiary_id", "period"],
                name="one_payment_per_beneficiary_programme_period",
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary_name} {self.period} {self.amount}"


class PayeeAccount(SealedAccount):
    """Where a beneficiary is paid: a bank account or the social-security card's financial account. The
    number is personal data, sealed like an ID number; it leaves the database in plain only in the
    payment file, whose making is logged."""

    class Kind(models.TextChoices):
        BANK = "bank", _("bank account")
        SOCIAL_SECURITY_CARD = "ss_card", _("social-security card")

    beneficiary_type = models.CharField(_("beneficiary"), max_length=10, choices=Programme.Beneficiary.choices)
    beneficiary_id = models.BigIntegerField(_("beneficiary record"))
    area = models.ForeignKey("core.Area", verbose_name=_("area"), on_delete=models.PROTECT)
    kind = models.CharField(_("account kind"), max_length=10, choices=Kind.choices)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    history = audited()

    scope_paths = ScopePaths(area="area_id")

    class Meta:
        verbose_name = _("payee account")
        verbose_name_plural = _("payee accounts")
        constraints = [models.UniqueConstraint(fields=["beneficiary_type", "beneficiary_id"], name="one_payee_account")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.account_masked}"


class Application(models.Model):
    """An application for a programme, made by or for a beneficiary, reviewed twice (street or community,
    then county) before it is paid in a batch."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        FIRST_APPROVED = "first_approved", _("passed the first review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        PAID = "paid", _("in a payment batch")

    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.PROTECT)
    rule_version = models.ForeignKey(RuleVersion, verbose_name=_("rule version"), on_delete=models.PROTECT)
    beneficiary_type = models.CharField(_("beneficiary"), max_length=10, choices=Programme.Beneficiary.choices)
    beneficiary_id = models.BigIntegerField(_("beneficiary record"))
    beneficiary_name = models.CharField(_("beneficiary name"), max_length=100)
    area = models.ForeignKey("core.Area", verbose_name=_("area"), on_delete=models.PROTECT)
    # The applying institution, so its operator sees the application (scope by organisation).
    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("facility"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    facts = models.JSONField(_("facts stated in the application"), default=dict)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    instalments = models.JSONField(_("instalments"), default=list)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    first_review_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    county_review_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejection_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)
    history = audited()

    scope_paths = ScopePaths(area="area_id", organisation="facility_id")

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            # Submitted twice (a double click, two tabs): the second is refused, not kept as a twin.
            models.UniqueConstraint(
                fields=["programme", "beneficiary_type", "beneficiary_id"],
                condition=models.Q(status__in=["submitted", "first_approved", "approved"]),
                name="one_open_application",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.beneficiary_name}"


class ApplicationDocument(models.Model):
    """A document an application brings, as the programme's rule requires (登记证书, 产权证明…)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("document"), max_length=100)
    # Sealed with SM4 under `content_key` (a licence or a deed names people); kept under a random name,
    # with the name it was uploaded as in `file_name`.
    file = models.FileField(_("file"), upload_to="applications/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_key = models.CharField(_("key"), max_length=20, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    scope_paths = ScopePaths(area="application__area_id", organisation="application__facility_id")

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")

    def __str__(self) -> str:
        return self.title
