"""Reads of plan monitoring. Plans are public policy: a user sees the plans of their own area, of the
areas above it and of those below it; indicator values only for areas in their scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Q, QuerySet
from django.http import Http404

from laoxiao.accounts.models import User
from laoxiao.core import areacode
from laoxiao.core.models import Area
from laoxiao.core.scope import area_range_q, area_scope, scoped, scoped_get, within
from laoxiao.facilities.models import Facility, FacilityKind
from laoxiao.planning.formulas import Measure, measures
from laoxiao.planning.models import AreaTarget, IndicatorValue, MajorProject, Plan, PlanIndicator, Task
from laoxiao.planning.progress import Standing, standing

CHILD_LEVEL = {"province": "city", "city": "county", "county": "township"}


def plan_list(*, user: User) -> QuerySet[Plan]:
    above = []
    if user.area_id and user.role_scopes_by_area:
        code = user.area_id
        above = areacode.ancestors(code)
    return Plan.objects.filter(Q(pk__in=scoped(user, Plan.objects.all())) | Q(area_id__in=above)).select_related("area")


def plan_get(*, user: User, code: str) -> Plan:
    plan = plan_list(user=user).filter(code=code).first()
    if plan is None:
        raise Http404
    return plan


def plan_area(*, user: User, plan: Plan, code: str | None) -> Area:
    """The area whose figures are shown: the one asked for, the plan's own, or else the user's."""
    wanted = code or plan.area_id
    inside = wanted.startswith(areacode.prefix(plan.area_id, plan.area.level))
    if inside and (area := scoped(user, Area.objects.filter(code=wanted)).first()):
        return area
    if code or not (area := scoped(user, Area.objects.filter(code=user.area_id or "")).first()):
        raise Http404
    return area


@dataclass
class Row:
    item: PlanIndicator
    actual: Decimal | None
    measure: Measure | None
    standing: Standing
    source: str
    own_target: Decimal | None = None  # the area's own target, where it replaces the plan's
    baseline_text: str = ""  # the plan's baseline, shown only for the area it was set for
    children: dict[str, Measure] = field(default_factory=dict)  # computed: the areas one level down


def _reported(indicator_ids: list[int], area: Area, on: dt.date) -> dict[int, IndicatorValue]:
    values = IndicatorValue.objects.filter(
        indicator_id__in=indicator_ids,
        area=area,
        on__lte=on,
        source=IndicatorValue.Source.REPORTED,
        reviewed_by__isnull=False,
    )
    latest: dict[int, IndicatorValue] = {}
    for value in values.order_by("on", "id"):
        latest[value.indicator_id] = value
    return latest


def _area_targets(items: list[PlanIndicator], area: Area, target_year: int) -> dict[int, Decimal]:
    """The area's own final-year targets, where it has set them (they replace the plan's for that area)."""
    rows = AreaTarget.objects.filter(item__in=items, area=area, year=target_year)
    return {row.item_id: row.value for row in rows}


def plan_rows(*, user: User, plan: Plan, area: Area, on: dt.date) -> list[Row]:
    items = list(plan.indicators.select_related("indicator"))
    reported = _reported([i.indicator_id for i in items], area, on)
    own = _area_targets(items, area, plan.target_year)
    rows = []
    prefix = areacode.prefix(area.code, area.level)
    scope = area_scope(user, area)
    child_level = CHILD_LEVEL.get(area.level)
    levels = [area.level, child_level] if child_level else [area.level]  # the drill-down from the same queries
    own_area = area.code == plan.area_id  # a baseline belongs to the area it was set for
    for item in items:
        m: Measure | None = None
        source = ""
        children: dict[str, Measure] = {}
        if item.indicator.computed:
            result = measures(item.indicator.formula, scope=scope, levels=levels, on=on)
            m = result.get(prefix)
            children = {p: v for p, v in result.items() if child_level and len(p) == areacode.LENGTH[child_level]}
            actual = m.value if m else Decimal(0) if item.indicator.unit in ("个", "人") else None
            source = "computed"
        elif item.indicator_id in reported:
            actual, source = reported[item.indicator_id].value, "reported"
        else:
            actual = None
        rows.append(
            Row(
                item=item,
                actual=actual,
                measure=m,
                source=source,
                own_target=own.get(item.pk),
                baseline_text=item.baseline_text if own_area else "",
                children=children,
                standing=standing(
                    actual=actual,
                    baseline=item.baseline_value if own_area else None,
                    target=own.get(item.pk, item.target_value),
                    higher_is_better=item.indicator.direction == "higher",
                    baseline_year=plan.baseline_year,
                    target_year=plan.target_year,
                    on=on,
                ),
            )
        )
    return rows


def breakdown(*, user: User, area: Area, rows: list[Row]) -> tuple[list[Area], dict[int, dict[str, Measure]]]:
    """The areas one level down and each computed indicator's measure for them (the drill-down), as
    `plan_rows` measured them."""
    if area.level not in CHILD_LEVEL:
        return [], {}
    children = list(scoped(user, Area.objects.filter(parent=area)).order_by("code"))
    return children, {row.item.pk: row.children for row in rows if row.item.indicator.computed}


def plan_projects(*, plan: Plan) -> QuerySet[MajorProject]:
    """A plan's projects, which whoever reads the plan (`plan_get`, in scope) reads."""
    return within(plan, MajorProject.objects.filter(plan=plan).order_by("order"))


def plan_tasks(*, plan: Plan) -> QuerySet[Task]:
    return within(plan, Task.objects.filter(plan=plan).order_by("order"))


def project_to_report(*, user: User, plan: Plan, pk: int) -> MajorProject:
    """A project whose progress the user reports: the plan is public, its progress is written only by
    the office of the plan's area (a district officer reads a city project, never updates it)."""
    return scoped_get(user, MajorProject.objects.filter(plan=plan), pk=pk)


def task_to_report(*, user: User, plan: Plan, pk: int) -> Task:
    """As `project_to_report`, for a task, which only its departments and the leading office report on."""
    task = scoped_get(user, Task.objects.filter(plan=plan), pk=pk)
    if not task.reported_by(user.role):
        raise PermissionDenied("task.report")  # named, for the 403 page to say why (accounts.roles.REFUSALS)
    return task


def project_behind(project: MajorProject, on: dt.date) -> bool:
    """Behind its period: the period has ended without completion, or progress trails the elapsed share."""
    try:
        start, end = (int(y) for y in project.period.split("-"))
    except ValueError:
        return False
    if project.status == MajorProject.Status.COMPLETED:
        return False
    if on.year > end:
        return True
    elapsed = (on - dt.date(start, 1, 1)).days / max(1, (dt.date(end, 12, 31) - dt.date(start, 1, 1)).days)
    return project.percent_done < elapsed * 100 - 10


def task_overdue(task: Task, on: dt.date) -> bool:
    return task.due is not None and task.due < on and task.status != Task.Status.DONE


def reportable_items(*, user: User, plan: Plan) -> QuerySet[PlanIndicator]:
    """The plan's indicators whose figures people report (the others are computed from the registries)."""
    return plan.indicators.filter(indicator__formula="").select_related("indicator")


def reported_pending(*, user: User, plan: Plan) -> QuerySet[IndicatorValue]:
    """Reported figures of the plan's indicators, in the user's scope, waiting for a review."""
    return (
        scoped(
            user,
            IndicatorValue.objects.filter(
                source=IndicatorValue.Source.REPORTED,
                reviewed_by__isnull=True,
                indicator__in=plan.indicators.values("indicator"),
            ),
        )
        .select_related("indicator", "area", "entered_by")
        .order_by("-on")
    )


def trends(*, user: User, plan: Plan, area: Area) -> dict[str, list[tuple[str, float]]]:
    """Stored snapshots of the plan's computed indicators for the area, oldest first, by indicator name."""
    values = (
        scoped(
            user,
            IndicatorValue.objects.filter(
                area=area,
                source=IndicatorValue.Source.COMPUTED,
                value__isnull=False,
                indicator__in=plan.indicators.values("indicator"),
            ),
        )
        .select_related("indicator")
        .order_by("on")
    )
    series: dict[str, list[tuple[str, float]]] = {}
    for value in values:
        series.setdefault(value.indicator.name, []).append((value.on.isoformat(), float(value.value or 0)))
    return series


def planned_lines(*, plan: Plan, rows: list[Row], on: dt.date) -> dict[str, list[tuple[str, float]]]:
    """Without snapshots: each computed indicator's line joining its baseline, today's value and its target
    (at the ends of the baseline and target years), in date order."""
    series: dict[str, list[tuple[str, float]]] = {}
    for row in rows:
        if not row.item.indicator.computed or row.actual is None:
            continue
        points = []
        baseline = row.item.baseline_value if row.baseline_text else None
        if baseline is not None and plan.baseline_year:
            points.append((f"{plan.baseline_year}-12-31", float(baseline)))
        points.append((on.isoformat(), float(row.actual)))
        target = row.own_target if row.own_target is not None else row.item.target_value
        if target is not None:
            points.append((f"{plan.target_year}-12-31", float(target)))
        series[row.item.name] = sorted(points)
    return series


def centroids(*, user: User, parent: Area, level: str) -> dict[str, tuple[float, float]]:
    """Where each area of `level` under `parent` lies: the mean position of its registered facilities."""
    rows = (
        scoped(user, Facility.objects.filter(latitude__isnull=False))
        .filter(area_range_q("area_id", areacode.prefix(parent.code, parent.level)))
        .annotate(prefix=areacode.prefix_in_db("area_id", level))
        .values("prefix")
        .annotate(lat=Avg("latitude"), lon=Avg("longitude"))
    )
    return {row["prefix"]: (float(row["lon"]), float(row["lat"])) for row in rows}


MAP_FACILITIES = 300  # enough for a street's facilities; a map of more is unreadable


def facility_points(*, user: User, area: Area) -> list[dict[str, object]]:
    """The facilities of an area with a position (open or operating), for the street-level map."""
    rows = (
        scoped(user, Facility.objects.filter(latitude__isnull=False, longitude__isnull=False))
        .filter(area_range_q("area_id", areacode.prefix(area.code, area.level)))
        .exclude(status__in=(Facility.Status.CLOSED, Facility.Status.PLANNED))
        .order_by("kind", "name")
        .values_list("name", "kind", "longitude", "latitude")[:MAP_FACILITIES]
    )
    return [
        {"name": name, "kind": str(FacilityKind(kind).label), "at": [float(lon or 0), float(lat or 0)]}
        for name, kind, lon, lat in rows  # the filter leaves no position empty
    ]


def plan_values(*, user: User, plan: Plan, area: Area) -> QuerySet[IndicatorValue]:
    return scoped(
        user, IndicatorValue.objects.filter(area=area, indicator__in=plan.indicators.values("indicator"))
    ).order_by("indicator_id", "on")
