from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from laoxiao.core.scope import ScopePaths


class Area(models.Model):
    """An administrative division, keyed by its 12-digit 统计用区划代码. Retired codes are kept."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        CITY = "city", _("city")
        COUNTY = "county", _("county")
        TOWNSHIP = "township", _("township / street")
        VILLAGE = "village", _("village / community")

    code = models.CharField(_("area code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    data_version = models.CharField(_("data version"), max_length=20, default="2023-06-30")
    valid_to = models.DateField(_("retired on"), null=True, blank=True)

    scope_paths = ScopePaths(area="code")

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{12}$"), name="area_code_12_digits"),
        ]

    def __str__(self) -> str:
        return self.name

    def county(self) -> Area | None:
        """The county (区县) this area lies in, walking up `parent`: prefetch the parents to read it per row."""
        area: Area | None = self
        while area is not None and area.level not in (self.Level.COUNTY, self.Level.CITY, self.Level.PROVINCE):
            area = area.parent
        return area if area is not None and area.level == self.Level.COUNTY else None


class PopulationStat(models.Model):
    """Resident population of an area in a year: the denominators of per-1000 indicators."""

    scope_paths = ScopePaths(area="area_id")

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="population")
    year = models.PositiveSmallIntegerField(_("year"))
    resident_total = models.PositiveIntegerField(_("resident population"))
    aged_60_plus = models.PositiveIntegerField(_("aged 60 and over"))
    aged_65_plus = models.PositiveIntegerField(_("aged 65 and over"))
    aged_80_plus = models.PositiveIntegerField(_("aged 80 and over"))
    under_3 = models.PositiveIntegerField(_("under 3"))
    births = models.PositiveIntegerField(_("births"))
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["area_id", "-year"]
        verbose_name = _("population statistic")
        verbose_name_plural = _("population statistics")
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="one_population_stat_per_area_year"),
            models.CheckConstraint(
                condition=models.Q(aged_60_plus__lte=models.F("resident_total"))
                & models.Q(aged_65_plus__lte=models.F("aged_60_plus"))
                & models.Q(aged_80_plus__lte=models.F("aged_65_plus"))
                & models.Q(under_3__lte=models.F("resident_total")),
                name="population_age_groups_nest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.year}"


class IdentifierReveal(models.Model):
    """One unmasked view of a personal identifier: who saw whose what, and when."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    subject_type = models.CharField(_("record type"), max_length=50)
    subject_id = models.BigIntegerField(_("record"))
    subject_label = models.CharField(_("whose"), max_length=100)
    field = models.CharField(_("field"), max_length=30)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("identifier reveal")
        verbose_name_plural = _("identifier reveals")
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.subject_label} ({self.field})"


class ImportBatch(models.Model):
    """An uploaded file kept until it is imported or abandoned, so a second step loses nothing.

    The file is full of identifiers, so it is kept sealed like them (SM4), deleted on an import with
    no rejected rows, and otherwise by `laoxiao purge` once LAOXIAO_IMPORT_KEEP_DAYS have passed.
    """

    class Status(models.TextChoices):
        VALIDATED = "validated", _("validated")
        IMPORTED = "imported", _("imported")
        PARTIAL = "partial", _("valid rows imported")

    kind = models.CharField(_("kind"), max_length=30)
    file_name = models.CharField(_("file name"), max_length=255)
    # The file, SM4-GCM (nonce | ciphertext | tag) under the key `content_key`, in `ImportChunk` rows of
    # a megabyte so no step holds a second copy of it; the key is empty once the file is deleted.
    content_key = models.CharField(_("key"), max_length=20, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.VALIDATED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_invalid = models.PositiveIntegerField(_("invalid rows"), default=0)
    rows_imported = models.PositiveIntegerField(_("rows imported"), default=0)
    errors = models.JSONField(_("errors"), default=list)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return self.file_name


class ImportChunk(models.Model):
    """A megabyte of a kept upload, sealed: written and read one row at a time."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="chunks")
    n = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["batch", "n"]
        constraints = [models.UniqueConstraint(fields=["batch", "n"], name="one_chunk_per_place")]

    def __str__(self) -> str:
        return f"{self.batch_id}.{self.n}"


class StatusChange(models.Model):
    """One move of a workflow (core/transitions.py): which record, from what to what, by whom, when, why."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField()
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="status_change_record_idx")]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.from_status} → {self.to_status}"

    def _label(self, status: str) -> str:
        """A status in the words of its record's model (“—” for the start of a timeline)."""
        if not status:
            return "—"
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        choices = dict(getattr(model._meta.get_field("status"), "choices", None) or []) if model else {}
        return str(choices.get(status, status))

    @property
    def from_label(self) -> str:
        return self._label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)


class FormSubmission(models.Model):
    """A form's one-time token (web/static/laoxiao/once.js), kept a day so a resent form is refused."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.token


class ExportLog(models.Model):
    """One bulk export of personal data: who, when, which list and filter, how many rows."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT)
    # The exporter's area when they exported: a city officer reads the exports made within the city.
    area = models.ForeignKey(Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    kind = models.CharField(_("export"), max_length=50)
    filters = models.CharField(_("filters"), max_length=500, blank=True)
    rows = models.PositiveIntegerField(_("rows"))

    scope_paths = ScopePaths(area="area_id")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.user} {self.kind} ({self.rows})"
