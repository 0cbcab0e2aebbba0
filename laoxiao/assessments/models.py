from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laoxiao.core import areacode
from laoxiao.core.scope import ScopePaths
from laoxiao.core.writes import audited


class Instrument(models.Model):
    """One version of an assessment instrument. A version is never edited once assessments use it:
    a changed rule is a new version, so old results keep the rules they were made under."""

    code = models.CharField(_("instrument"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=100)
    definition = models.JSONField(_("definition"))
    is_current = models.BooleanField(_("used for new assessments"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="one_instrument_version"),
            models.UniqueConstraint(fields=["code"], condition=Q(is_current=True), name="one_current_version"),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class Assessor(models.Model):
    """An assessor of an assessment organisation, with the qualification GB/T 42195 §5.2 asks for."""

    class Qualification(models.TextChoices):
        PHYSICIAN = "physician", _("physician licence")
        NURSE = "nurse", _("nurse licence")
        ASSESSOR_CERTIFICATE = "assessor", _("elderly capability assessor certificate")
        NONE = "none", _("no professional certificate")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT)
    organisation = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("assessment organisation"),
        on_delete=models.PROTECT,
        related_name="assessors",
    )
    qualification = models.CharField(_("qualification"), max_length=12, choices=Qualification.choices)
    certificate_number = models.CharField(_("certificate number"), max_length=50, blank=True)
    years_of_practice = models.PositiveSmallIntegerField(_("years of practice"), default=0)
    employer = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("also works at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("own person record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = audited()

    scope_paths = ScopePaths(area="organisation__area_id", organisation="organisation_id")

    class Meta:
        verbose_name = _("assessor")
        verbose_name_plural = _("assessors")

    def __str__(self) -> str:
        return self.user.first_name or self.user.username


class AgencyArea(models.Model):
    """An area an assessment organisation is commissioned to assess in (its 服务区域), kept as the area's
    code prefix so a person's home is matched by a prefix test. Where it is located says nothing of
    where it serves: a city's centre may sit in any district and serve them all."""

    organisation = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("assessment organisation"),
        on_delete=models.CASCADE,
        related_name="assessment_areas",
    )
    area = models.ForeignKey("core.Area", verbose_name=_("area served"), on_delete=models.PROTECT)
    prefix = models.CharField(max_length=12, db_index=True)
    history = audited()

    scope_paths = ScopePaths(area="organisation__area_id", organisation="organisation_id")

    class Meta:
        verbose_name = _("area served")
        verbose_name_plural = _("areas served")
        constraints = [models.UniqueConstraint(fields=["organisation", "area"], name="one_row_per_agency_area")]

    def __str__(self) -> str:
        return str(self.area)


class Assessment(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        ASSIGNED = "assigned", _("assigned")
        SCHEDULED = "scheduled", _("appointment made")
        IN_PROGRESS = "in_progress", _("being assessed")
        SIGNED = "signed", _("signed by both assessors")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned for correction")
        CANCELLED = "cancelled", _("cancelled")

    class Reason(models.TextChoices):
        FIRST = "first", _("first assessment")
        ROUTINE = "routine", _("routine reassessment")
        IMMEDIATE = "immediate", _("immediate reassessment")
        REVIEW = "review", _("reassessment after an objection")
        OTHER = "other", _("other")

    class Requester(models.TextChoices):
        SELF = "self", _("the person")
        FAMILY = "family", _("family")
        COMMUNITY = "community", _("community worker on their behalf")
        CARE_HOME = "care_home", _("care home")
        BENEFIT = "benefit", _("required by a benefit application")
        SYSTEM = "system", _("due for reassessment")
        IMPORT = "import", _("imported from another system")

    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="assessments"
    )
    instrument = models.ForeignKey(Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    requester_kind = models.CharField(_("requested by"), max_length=10, choices=Requester.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("request entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    objection_of = models.ForeignKey(
        "self",
        verbose_name=_("objection to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objections",
    )
    trigger = models.CharField(_("trigger"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("assessment organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    assessor_1 = models.ForeignKey(
        Assessor, verbose_name=_("first assessor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessor_2 = models.ForeignKey(
        Assessor, verbose_name=_("second assessor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    appointment_place = models.CharField(_("place"), max_length=200, blank=True)
    answers = models.JSONField(_("answers"), default=dict)
    basic_info = models.JSONField(_("basic information (appendix A)"), default=dict)
    second_opinions = models.JSONField(_("second assessor's opinions"), default=dict)
    dementia_or_psychiatric = models.BooleanField(_("diagnosed dementia or psychiatric illness"), default=False)
    risk_events = models.JSONField(_("care-risk events in the last 30 days"), default=dict)
    total = models.PositiveSmallIntegerField(_("total score"), null=True, blank=True)
    dimension_scores = models.JSONField(_("dimension scores"), default=dict)
    preliminary_level = models.PositiveSmallIntegerField(_("preliminary level"), null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    level_reasons = models.JSONField(_("grounds for changing the level"), default=list)
    claimed_level = models.PositiveSmallIntegerField(_("level stated in the imported file"), null=True, blank=True)
    assessed_on = models.DateField(_("assessment date"), null=True, blank=True)
    signed_1_at = models.DateTimeField(_("signed by the first assessor"), null=True, blank=True)
    signed_2_at = models.DateTimeField(_("signed by the second assessor"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    history = audited()

    # The assessing organisation's, and the home's the person lives in (its operator asks for and reads them).
    scope_paths = ScopePaths(
        area="person__area_id", organisation=("organisation_id", "person__facility_id"), person="person_id"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(assessor_1__isnull=True) | ~Q(assessor_1=models.F("assessor_2")),
                name="two_distinct_assessors",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "status", "assessed_on"]),
            models.Index(fields=["status", "valid_until"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.instrument}"

    @property
    def report_number(self) -> str:
        """The number printed on the report: the person's county, the year assessed and the record's number."""
        if self.assessed_on is None:
            return ""
        return f"{areacode.county(self.person.area_id)}-{self.assessed_on:%Y}-{self.pk:06d}"

    @property
    def level_name(self) -> str:
        """The level in the words of the instrument it was scored with (重度失能…), or ""."""
        names = {level["level"]: level["name"] for level in self.instrument.definition["levels"]}
        return names.get(self.level, "") if self.level is not None else ""
