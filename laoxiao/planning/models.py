from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from laoxiao.accounts.roles import Role
from laoxiao.core.scope import ScopePaths
from laoxiao.core.writes import audited


class Indicator(models.Model):
    """An indicator of the catalogue: computed from the registries (formula) or reported per area."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("higher is better")
        LOWER = "lower", _("lower is better")

    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=10)
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER)
    formula = models.CharField(_("formula"), max_length=60, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    @property
    def computed(self) -> bool:
        return bool(self.formula)


class Attribute(models.TextChoices):
    BINDING = "binding", _("binding")
    EXPECTED = "expected", _("expected")


class Plan(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    area = models.ForeignKey("core.Area", verbose_name=_("area"), on_delete=models.PROTECT)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    scope_paths = ScopePaths(area="area_id")

    class Meta:
        ordering = ["code"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.name


class PlanIndicator(models.Model):
    """An indicator as a plan states it: its wording, group, attribute, department, baseline and target."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="indicators")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(_("no."))
    name = models.CharField(_("name in the plan"), max_length=200)
    group = models.CharField(_("group"), max_length=40, blank=True)
    attribute = models.CharField(_("attribute"), max_length=10, choices=Attribute.choices)
    department = models.CharField(_("responsible department"), max_length=60, blank=True)
    baseline_text = models.CharField(_("baseline as written"), max_length=30, blank=True)
    baseline_value = models.DecimalField(_("baseline"), max_digits=14, decimal_places=4, null=True, blank=True)
    target_text = models.CharField(_("target as written"), max_length=30, blank=True)
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("plan indicator")
        verbose_name_plural = _("plan indicators")
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="one_plan_indicator_per_number")]

    def __str__(self) -> str:
        return self.name


class AreaTarget(models.Model):
    """A target an area below the plan's own sets for itself (a county's own 2025 value, or a yearly step)."""

    item = models.ForeignKey(
        PlanIndicator, verbose_name=_("plan indicator"), on_delete=models.CASCADE, related_name="area_targets"
    )
    area = models.ForeignKey("core.Area", verbose_name=_("area"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=4)
    history = audited()

    scope_paths = ScopePaths(area="area_id")

    class Meta:
        ordering = ["item", "area", "year"]
        verbose_name = _("area target")
        verbose_name_plural = _("area targets")
        constraints = [models.UniqueConstraint(fields=["item", "area", "year"], name="one_area_target_per_year")]

    def __str__(self) -> str:
        return f"{self.item} {self.area_id} {self.year}"


class MajorProject(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        UNDER_WAY = "under_way", _("under way")
        COMPLETED = "completed", _("completed")
        SUSPENDED = "suspended", _("suspended")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="projects")
    order = models.PositiveSmallIntegerField(_("no."))
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20)
    period = models.CharField(_("period"), max_length=20)
    place = models.CharField(_("place"), max_length=100)
    scale = models.TextField(_("content and scale"))
    investment_wan = models.DecimalField(_("total investment (10k yuan)"), max_digits=12, decimal_places=2)
    new_places = models.PositiveIntegerField(_("new childcare places"), default=0)
    new_beds = models.PositiveIntegerField(_("new beds"), default=0)
    organiser = models.CharField(_("organiser"), max_length=100)
    percent_done = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    investment_done_wan = models.DecimalField(
        _("investment completed (10k yuan)"), max_digits=12, decimal_places=2, default=0
    )
    milestone = models.CharField(_("latest milestone"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    history = audited()

    scope_paths = ScopePaths(area="plan__area_id")

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("major project")
        verbose_name_plural = _("major projects")

    def __str__(self) -> str:
        return self.name


# The departments a role's staff work in, as the plans' task tables name them (市民政局, 区卫生健康委 …).
# An account's free-text department (银川市卫生健康委员会) does not match those short names reliably, so the
# role decides: a health commission officer reports on the tasks its commission leads or supports.
TASK_DEPARTMENTS: dict[str, tuple[str, ...]] = {
    Role.CIVIL_AFFAIRS: ("民政局",),  # not 民政 alone: 人民政府 contains it
    Role.HEALTH_COMMISSION: ("卫健委", "卫生健康委"),
}
# The leading-group office coordinates every task; the administrator acts for anyone.
TASK_COORDINATORS = frozenset({Role.LEADING_OFFICE, Role.ADMIN})


class Task(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveSmallIntegerField(_("no."))
    task = models.TextField(_("task"))
    departments_text = models.CharField(_("responsible units as written"), max_length=300)
    lead = models.JSONField(_("lead departments"), default=list)
    support = models.JSONField(_("supporting departments"), default=list)
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    last_report = models.TextField(_("latest report"), blank=True)
    history = audited()

    scope_paths = ScopePaths(area="plan__area_id")

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.task[:40]

    def reported_by(self, role: str) -> bool:
        """Whether staff of this role report on the task: its lead or supporting department, or a coordinator."""
        marks = TASK_DEPARTMENTS.get(role, ())
        return role in TASK_COORDINATORS or any(m in unit for unit in (*self.lead, *self.support) for m in marks)


class IndicatorValue(models.Model):
    """A value of an indicator for an area on a date: a computed snapshot, or a reported figure that
    counts once a second user has reviewed it."""

    class Source(models.TextChoices):
        COMPUTED = "computed", _("computed from the registries")
        REPORTED = "reported", _("reported")

    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT)
    area = models.ForeignKey("core.Area", verbose_name=_("area"), on_delete=models.PROTECT)
    on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4, null=True)
    numerator = models.DecimalField(_("numerator"), max_digits=16, decimal_places=4, null=True)
    denominator = models.DecimalField(_("denominator"), max_digits=16, decimal_places=4, null=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    evidence = models.CharField(_("evidence"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = audited()

    scope_paths = ScopePaths(area="area_id")

    class Meta:
        ordering = ["indicator", "area", "-on"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "area", "on", "source"], name="one_value_per_day_and_source"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area_id} {self.on}"
