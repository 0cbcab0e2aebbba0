from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from laoxiao.core.personal import SealedIdNumber, SealedPhone
from laoxiao.core.scope import ScopePaths
from laoxiao.core.writes import audited


class Sex(models.TextChoices):
    """GB/T 2261.1 codes."""

    MALE = "1", _("male")
    FEMALE = "2", _("female")


class AbilityLevel(models.IntegerChoices):
    """GB/T 42195-2022 ability levels; recorded here until the assessment module owns them."""

    INTACT = 0, _("ability intact")
    MILD = 1, _("mildly disabled")
    MODERATE = 2, _("moderately disabled")
    SEVERE = 3, _("severely disabled")
    TOTAL = 4, _("totally disabled")


class Household(models.Model):
    area = models.ForeignKey("core.Area", verbose_name=_("area"), on_delete=models.PROTECT)
    address = models.CharField(_("address"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = audited()

    scope_paths = ScopePaths(area="area_id")

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.address


class Person(SealedIdNumber, SealedPhone):
    class Status(models.TextChoices):
        ACTIVE = "active", _("resident")
        MOVED_OUT = "moved_out", _("moved out")
        DECEASED = "deceased", _("deceased")

    class HouseholdRelation(models.TextChoices):
        HEAD = "head", _("head of household")
        SPOUSE = "spouse", _("spouse")
        CHILD = "child", _("child")
        GRANDCHILD = "grandchild", _("grandchild")
        PARENT = "parent", _("parent")
        OTHER = "other", _("other relative")

    name = models.CharField(_("name"), max_length=50, db_index=True)
    birth_date = models.DateField(_("birth date"), db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    area = models.ForeignKey("core.Area", verbose_name=_("area"), on_delete=models.PROTECT)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    household_relation = models.CharField(
        _("relation to head of household"), max_length=12, choices=HouseholdRelation.choices, blank=True
    )
    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("institution (resident or enrolled)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    # Indexed for its history: the integrity report looks up the few who left among every past version.
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = audited()

    scope_paths = ScopePaths(area="area_id", organisation="facility_id", person="id")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(fields=["id_number_hash"], name="one_person_per_id_number"),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
                name="person_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True) | models.Q(longitude__gte=-180, longitude__lte=180),
                name="person_longitude_range",
            ),
        ]
        # Lists filter by status, scope (an area code range) and age (birth date), and sort by area then
        # age: this index answers the count from the index alone and the first page without a sort.
        indexes = [models.Index(fields=["status", "area", "birth_date", "id"], name="person_list_idx")]

    def __str__(self) -> str:
        return self.name


class ElderlyCategory(models.TextChoices):
    """Special categories of product.md §1; each is a boolean of ElderlyProfile. 高龄 comes from age."""

    EXTREME_POVERTY = "extreme_poverty", _("extreme poverty (tekun)")
    SUBSISTENCE_ALLOWANCE = "subsistence_allowance", _("subsistence allowance (dibao)")
    NEAR_SUBSISTENCE = "near_subsistence", _("near subsistence")
    LIVING_ALONE = "living_alone", _("living alone")
    EMPTY_NEST = "empty_nest", _("empty nest")
    LEFT_BEHIND = "left_behind", _("left behind")
    DISABLED = "disabled", _("disabled")
    DEMENTIA = "dementia", _("dementia")
    FAMILY_PLANNING_SPECIAL = "family_planning_special", _("family-planning special family")
    SEVERE_DISABILITY = "severe_disability", _("severe disability")


class ElderlyProfile(models.Model):
    person = models.OneToOneField(
        Person, verbose_name=_("person"), primary_key=True, on_delete=models.CASCADE, related_name="elderly_profile"
    )
    # The person's area, copied (people/services.py keeps it theirs): a district's list of one category
    # is then a range of that category's index, not every profile of the category joined to the register.
    area = models.ForeignKey("core.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    extreme_poverty = models.BooleanField(ElderlyCategory.EXTREME_POVERTY.label, default=False)
    subsistence_allowance = models.BooleanField(ElderlyCategory.SUBSISTENCE_ALLOWANCE.label, default=False)
    near_subsistence = models.BooleanField(ElderlyCategory.NEAR_SUBSISTENCE.label, default=False)
    living_alone = models.BooleanField(ElderlyCategory.LIVING_ALONE.label, default=False)
    empty_nest = models.BooleanField(ElderlyCategory.EMPTY_NEST.label, default=False)
    left_behind = models.BooleanField(ElderlyCategory.LEFT_BEHIND.label, default=False)
    disabled = models.BooleanField(ElderlyCategory.DISABLED.label, default=False)
    dementia = models.BooleanField(ElderlyCategory.DEMENTIA.label, default=False)
    family_planning_special = models.BooleanField(ElderlyCategory.FAMILY_PLANNING_SPECIAL.label, default=False)
    severe_disability = models.BooleanField(ElderlyCategory.SEVERE_DISABILITY.label, default=False)
    ability_level = models.PositiveSmallIntegerField(
        _("ability level"), choices=AbilityLevel.choices, null=True, blank=True
    )
    history = audited()

    scope_paths = ScopePaths(area="area_id", organisation="person__facility_id", person="person_id")

    class Meta:
        verbose_name = _("elderly profile")
        verbose_name_plural = _("elderly profiles")
        # One small index of the people in each category, by area: a city's list of its 3,000 特困 elderly
        # found them by reading all 390,000 (SQLite 218 -> 7 ms for its count at scale 1.0), and a district's
        # joined the city's whole category to the register (PostgreSQL 588 ms at scale 5, docs/scaling.md).
        indexes = [
            models.Index(
                fields=["area", "person"],
                condition=models.Q(**{c.value: True}),
                name=f"elderly_{c.value[:12]}_area_idx",
            )
            for c in ElderlyCategory
        ]

    def __str__(self) -> str:
        return str(self.person)

    def categories(self) -> list[ElderlyCategory]:
        return [c for c in ElderlyCategory if getattr(self, c.value)]


class Guardianship(models.Model):
    class Relation(models.TextChoices):
        MOTHER = "mother", _("mother")
        FATHER = "father", _("father")
        GRANDPARENT = "grandparent", _("grandparent")
        OTHER = "other", _("other guardian")

    infant = models.ForeignKey(Person, verbose_name=_("infant"), on_delete=models.CASCADE, related_name="guardianships")
    guardian = models.ForeignKey(Person, verbose_name=_("guardian"), on_delete=models.PROTECT, related_name="wards")
    relation = models.CharField(_("relation"), max_length=12, choices=Relation.choices)
    is_primary = models.BooleanField(_("primary guardian"), default=False)
    history = audited()

    scope_paths = ScopePaths(area="infant__area_id", organisation="infant__facility_id", person="guardian_id")

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            models.UniqueConstraint(fields=["infant", "guardian"], name="one_guardianship_per_pair"),
            models.CheckConstraint(condition=~models.Q(infant=models.F("guardian")), name="guardian_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} → {self.infant}"


class EmergencyContact(SealedPhone):
    """Whom to call when something happens to a person (紧急联系人); the phone is sealed like the person's own."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("spouse")
        CHILD = "child", _("child")
        RELATIVE = "relative", _("other relative")
        NEIGHBOUR = "neighbour", _("neighbour")
        FRIEND = "friend", _("friend")
        OTHER = "other", _("other")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="emergency_contacts"
    )
    name = models.CharField(_("name"), max_length=50)
    relation = models.CharField(_("relation"), max_length=12, choices=Relation.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = audited()

    scope_paths = ScopePaths(area="person__area_id", organisation="person__facility_id", person="person_id")

    class Meta:
        verbose_name = _("emergency contact")
        verbose_name_plural = _("emergency contacts")

    def __str__(self) -> str:
        return self.name
