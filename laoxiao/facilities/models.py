from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from laoxiao.core.personal import SealedIdNumber
from laoxiao.core.scope import ScopePaths
from laoxiao.core.writes import audited


class FacilityKind(models.TextChoices):
    CARE_HOME = "care_home", _("care home")
    COMMUNITY_CENTER = "community_center", _("community elderly service centre")
    DAY_CARE_CENTER = "day_care_center", _("day-care centre")
    RURAL_HAPPINESS_HOUSE = "rural_happiness_house", _("rural happiness house")
    MEAL_POINT = "meal_point", _("meal point")
    CHILDCARE_CENTER = "childcare_center", _("childcare centre")
    NURSERY_CLASS = "nursery_class", _("kindergarten nursery class")
    HOME_CHILDCARE_POINT = "home_childcare_point", _("home childcare point")
    ELDERLY_SCHOOL = "elderly_school", _("elderly school")
    ASSESSMENT_AGENCY = "assessment_agency", _("assessment organisation")
    HOME_CARE_PROVIDER = "home_care_provider", _("home-care service organisation")


ELDERLY_KINDS = frozenset(
    {
        FacilityKind.CARE_HOME,
        FacilityKind.COMMUNITY_CENTER,
        FacilityKind.DAY_CARE_CENTER,
        FacilityKind.RURAL_HAPPINESS_HOUSE,
        FacilityKind.MEAL_POINT,
        FacilityKind.ELDERLY_SCHOOL,
        FacilityKind.HOME_CARE_PROVIDER,
    }
)
CHILDCARE_KINDS = frozenset(
    {FacilityKind.CHILDCARE_CENTER, FacilityKind.NURSERY_CLASS, FacilityKind.HOME_CHILDCARE_POINT}
)


class Facility(models.Model):
    """Every kind of facility in one table: beds for elderly care, places for childcare."""

    class Ownership(models.TextChoices):
        PUBLIC = "public", _("public")
        PUBLIC_BUILT_PRIVATE_RUN = "public_built_private_run", _("public-built, privately run")
        PRIVATE = "private", _("private")

    class ProfitStatus(models.TextChoices):
        NON_PROFIT = "non_profit", _("non-profit")
        FOR_PROFIT = "for_profit", _("for-profit")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        UNDER_CONSTRUCTION = "under_construction", _("under construction")
        OPERATING = "operating", _("operating")
        SUSPENDED = "suspended", _("suspended")
        CLOSED = "closed", _("closed")

    class FilingStatus(models.TextChoices):
        NOT_FILED = "not_filed", _("not filed")
        FILED = "filed", _("filed")

    kind = models.CharField(_("kind"), max_length=24, choices=FacilityKind.choices, db_index=True)
    name = models.CharField(_("facility name"), max_length=100, db_index=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, null=True, blank=True, unique=True)
    ownership = models.CharField(_("ownership"), max_length=24, choices=Ownership.choices)
    operator_name = models.CharField(_("operator"), max_length=100, blank=True)
    profit_status = models.CharField(_("profit status"), max_length=10, choices=ProfitStatus.choices)
    is_inclusive = models.BooleanField(_("inclusive (puhui)"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPERATING)
    address = models.CharField(_("address"), max_length=200)
    area = models.ForeignKey("core.Area", verbose_name=_("area"), on_delete=models.PROTECT)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    floor_area_m2 = models.DecimalField(_("floor area (m²)"), max_digits=10, decimal_places=1, null=True, blank=True)
    beds_total = models.PositiveIntegerField(_("beds"), default=0)
    beds_nursing = models.PositiveIntegerField(_("nursing beds"), default=0)
    beds_inclusive = models.PositiveIntegerField(_("inclusive beds"), default=0)
    beds_occupied = models.PositiveIntegerField(_("occupied beds"), default=0)
    places_total = models.PositiveIntegerField(_("childcare places"), default=0)
    places_inclusive = models.PositiveIntegerField(_("inclusive childcare places"), default=0)
    enrolled = models.PositiveIntegerField(_("children enrolled"), default=0)
    filing_status = models.CharField(
        _("filing status"), max_length=10, choices=FilingStatus.choices, default=FilingStatus.NOT_FILED
    )
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    has_clinic = models.BooleanField(_("has an on-site clinic"), default=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = audited()

    scope_paths = ScopePaths(area="area_id", organisation="id")

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            models.CheckConstraint(condition=Q(beds_nursing__lte=F("beds_total")), name="nursing_beds_within_beds"),
            models.CheckConstraint(condition=Q(beds_inclusive__lte=F("beds_total")), name="inclusive_beds_within_beds"),
            models.CheckConstraint(condition=Q(beds_occupied__lte=F("beds_total")), name="occupied_beds_within_beds"),
            models.CheckConstraint(
                condition=Q(places_inclusive__lte=F("places_total")), name="inclusive_places_within_places"
            ),
            models.CheckConstraint(condition=Q(enrolled__lte=F("places_total")), name="enrolled_within_places"),
        ]
        indexes = [models.Index(fields=["area", "kind"])]

    def __str__(self) -> str:
        return self.name


class MedicalCareAgreement(models.Model):
    """医养结合: an on-site clinic, or a signed agreement with a medical institution."""

    class Kind(models.TextChoices):
        ON_SITE = "on_site", _("on-site medical institution")
        SIGNED = "signed", _("signed agreement")

    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.CASCADE, related_name="medical_agreements"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    partner_name = models.CharField(_("medical institution"), max_length=100)
    signed_on = models.DateField(_("signed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    history = audited()

    scope_paths = ScopePaths(area="facility__area_id", organisation="facility_id")

    class Meta:
        verbose_name = _("medical-care agreement")
        verbose_name_plural = _("medical-care agreements")

    def __str__(self) -> str:
        return self.partner_name


class StaffRole(models.TextChoices):
    DIRECTOR = "director", _("director")
    CAREGIVER = "caregiver", _("caregiver")
    NURSE = "nurse", _("nurse")
    DOCTOR = "doctor", _("doctor")
    SOCIAL_WORKER = "social_worker", _("social worker")
    NURSERY_TEACHER = "nursery_teacher", _("nursery teacher")
    INFANT_CARER = "infant_carer", _("infant carer")
    HEALTH_STAFF = "health_staff", _("health-care staff")
    COOK = "cook", _("cook")
    OTHER = "other", _("other staff")


class StaffMember(SealedIdNumber):
    facility = models.ForeignKey(Facility, verbose_name=_("facility"), on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(_("name"), max_length=50)
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    hired_on = models.DateField(_("hired on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    history = audited()

    scope_paths = ScopePaths(area="facility__area_id", organisation="facility_id")

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return self.name


class Certificate(models.Model):
    class Kind(models.TextChoices):
        CAREGIVER = "caregiver", _("elderly caregiver (养老护理员)")
        NURSERY_TEACHER = "nursery_teacher", _("nursery teacher (保育师)")
        INFANT_CARER = "infant_carer", _("infant carer (育婴员)")
        NURSE = "nurse", _("nurse licence")
        DOCTOR = "doctor", _("physician licence")
        SOCIAL_WORKER = "social_worker", _("social worker")
        HEALTH_CERTIFICATE = "health", _("health certificate")
        OTHER = "other", _("other")

    class Level(models.TextChoices):
        NONE = "", _("no level")
        JUNIOR = "junior", _("junior (初级)")
        INTERMEDIATE = "intermediate", _("intermediate (中级)")
        SENIOR = "senior", _("senior (高级)")
        TECHNICIAN = "technician", _("technician (技师)")
        SENIOR_TECHNICIAN = "senior_technician", _("senior technician (高级技师)")

    staff = models.ForeignKey(
        StaffMember, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="certificates"
    )
    kind = models.CharField(_("certificate"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    number = models.CharField(_("certificate number"), max_length=50, blank=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    history = audited()

    scope_paths = ScopePaths(area="staff__facility__area_id", organisation="staff__facility_id")

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_level_display()}".strip()


class TrainingRecord(models.Model):
    staff = models.ForeignKey(
        StaffMember, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="trainings"
    )
    course = models.CharField(_("course"), max_length=100)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    completed_on = models.DateField(_("completed on"))
    organiser = models.CharField(_("organiser"), max_length=100, blank=True)
    history = audited()

    scope_paths = ScopePaths(area="staff__facility__area_id", organisation="staff__facility_id")

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")

    def __str__(self) -> str:
        return self.course
