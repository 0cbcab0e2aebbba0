"""Every write of plan monitoring: loading the shipped plans, snapshots, reported values (counted once
reviewed by a second user), project progress and task reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from laoxiao.accounts.models import User
from laoxiao.accounts.roles import REFUSALS
from laoxiao.core import areacode
from laoxiao.core.models import Area
from laoxiao.core.scope import system_area_scope
from laoxiao.core.writes import service
from laoxiao.planning.data import catalogue, shipped_plans
from laoxiao.planning.formulas import measures
from laoxiao.planning.models import AreaTarget, Indicator, IndicatorValue, MajorProject, Plan, PlanIndicator, Task

LEVELS = ("province", "city", "county", "township")


@service
def plans_sync() -> int:
    """Load the catalogue and every shipped plan whose area is in the database; returns plans loaded."""
    loaded = 0
    for row in catalogue():
        Indicator.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_en": row["name_en"],
                "unit": row["unit"],
                "direction": row["direction"],
                "formula": row["formula"] or "",
            },
        )
    indicators = {i.code: i for i in Indicator.objects.all()}
    for data in shipped_plans():
        if not Area.objects.filter(code=data["area"]).exists():
            continue
        existing = Plan.objects.filter(code=data["code"]).first()
        if existing:
            _plan_refresh(existing, data)
            continue
        plan = Plan.objects.create(
            code=data["code"],
            name=data["name"],
            area_id=data["area"],
            baseline_year=data["baseline_year"],
            target_year=data["target_year"],
            source=data["source"],
        )
        PlanIndicator.objects.bulk_create(
            [
                PlanIndicator(
                    plan=plan,
                    indicator=indicators[row["indicator"]],
                    order=row["order"],
                    name=row["name"],
                    group=row.get("group", ""),
                    attribute=row["attribute"],
                    department=row["department"],
                    baseline_text=row["baseline_text"] or "",
                    baseline_value=row["baseline_value"],
                    target_text=row["target_text"] or "",
                    target_value=row["target_value"],
                )
                for row in data["indicators"]
            ]
        )
        _tasks_create(plan, data["tasks"])
        MajorProject.objects.bulk_create(
            [
                MajorProject(
                    plan=plan,
                    order=p["order"],
                    name=p["name"],
                    type=p["type"],
                    period=p["period"],
                    place=p["place"],
                    scale=p["scale"],
                    investment_wan=p["investment_wan"],
                    new_places=p["new_places"],
                    new_beds=p["new_beds"],
                    organiser=p["organiser"],
                )
                for p in data["projects"]
            ]
        )
        loaded += 1
    return loaded


def _tasks_create(plan: Plan, tasks: list[dict[str, Any]]) -> None:
    Task.objects.bulk_create(
        [
            Task(
                plan=plan,
                order=t["order"],
                task=t["task"],
                departments_text=t["departments_text"],
                lead=t["lead"],
                support=t["support"],
            )
            for t in tasks
        ]
    )


def _plan_refresh(plan: Plan, data: dict[str, Any]) -> None:
    """A plan loaded by an earlier release gets what the shipped file adds since: its source as a document
    title, departments left blank, and the task division when it had none. Local edits are kept."""
    if plan.source != data["source"] and plan.source.startswith("../"):
        plan.source = data["source"]
        plan.save(update_fields=["source"])
    departments = {row["order"]: row["department"] for row in data["indicators"] if row["department"]}
    for item in plan.indicators.filter(department="", order__in=list(departments)):
        item.department = departments[item.order]
        item.save(update_fields=["department"])
    if data["tasks"] and not plan.tasks.exists():
        _tasks_create(plan, data["tasks"])


@service
def indicators_snapshot(*, on: dt.date | None = None, root: Area | None = None, plan: Plan | None = None) -> int:
    """Compute every computed indicator (or only a plan's, under its area) for every area (city, county,
    township) under each root and store the values; run monthly by the scheduler (`laoxiao indicators-snapshot`)."""
    on = on or timezone.localdate()
    indicators = Indicator.objects.exclude(formula="")
    if plan is not None:
        root, indicators = plan.area, indicators.filter(planindicator__plan=plan)
    roots = [root] if root else list(Area.objects.filter(plan__isnull=False).distinct())
    rows = []
    for top in roots:
        scope = system_area_scope(top)  # the monthly job: every area under each plan's
        levels = [level for level in LEVELS if areacode.LENGTH[level] >= areacode.LENGTH[top.level]]
        for indicator in indicators:  # every level from one set of queries: a third of them level by level
            for prefix, m in measures(indicator.formula, scope=scope, levels=levels, on=on).items():
                rows.append(
                    IndicatorValue(
                        indicator=indicator,
                        area_id=areacode.code_of(prefix),
                        on=on,
                        value=m.value,
                        numerator=m.numerator,
                        denominator=m.denominator,
                        source=IndicatorValue.Source.COMPUTED,
                    )
                )
    known = set(Area.objects.filter(code__in={r.area_id for r in rows}).values_list("code", flat=True))
    rows = [r for r in rows if r.area_id in known]
    IndicatorValue.objects.filter(
        on=on, source=IndicatorValue.Source.COMPUTED, area_id__in=known, indicator__in=indicators
    ).delete()
    IndicatorValue.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _under_plan(plan: Plan, area: Area) -> bool:
    return area.code.startswith(areacode.prefix(plan.area_id, plan.area.level))


@service
def reported_value_enter(
    *, by: User, item: PlanIndicator, area: Area, on: dt.date, value: Decimal, evidence: str
) -> IndicatorValue:
    """A figure a department reports for one of the plan's indicators, as it stood on a day that has come."""
    errors = {}
    if item.indicator.computed:
        errors["item"] = _("Indicator: this one is computed from the registries, not reported.")
    if not _under_plan(item.plan, area):
        errors["area"] = _("Area: choose %(plan_area)s or an area within it.") % {"plan_area": item.plan.area.name}
    if on > timezone.localdate():
        errors["on"] = _("Date: a figure is reported as it stood on a day that has come, today at the latest.")
    if not evidence.strip():
        errors["evidence"] = _("Evidence: name the source of the figure.")
    if errors:
        raise ValidationError(errors)
    row = IndicatorValue(
        indicator=item.indicator,
        area=area,
        on=on,
        value=value,
        source=IndicatorValue.Source.REPORTED,
        evidence=evidence[:200],
        entered_by=by,
    )
    row.save()
    return row


@service
def reported_value_review(*, by: User, value: IndicatorValue) -> IndicatorValue:
    """A second user confirms a reported figure; only then does it count."""
    if value.entered_by_id == by.pk:
        raise ValidationError({"reviewed_by": _("A figure is reviewed by someone other than who entered it.")})
    value.reviewed_by = by
    value.save(update_fields=["reviewed_by"])
    return value


@service
def project_update(
    *,
    by: User | None,
    project: MajorProject,
    percent_done: int,
    investment_done_wan: Decimal,
    milestone: str,
    status: str,
    reason: str = "",
) -> MajorProject:
    """Record a project's progress; a figure lower than the last one needs its reason (kept in the history)."""
    errors = {}
    if not reason.strip() and (
        percent_done < project.percent_done or investment_done_wan < project.investment_done_wan
    ):
        errors["reason"] = _(
            "Reason: progress or investment completed is lower than last reported (%(percent)s%%, "
            "%(wan)s 10k yuan); say why."
        ) % {"percent": project.percent_done, "wan": project.investment_done_wan}
    if not 0 <= percent_done <= 100:
        errors["percent_done"] = _("Progress: 0 to 100%.")
    if investment_done_wan < 0:
        errors["investment_done_wan"] = _("Investment completed: enter an amount of 0 or more.")
    if status not in MajorProject.Status.values:
        errors["status"] = _("Status: “%(value)s” is not one of the allowed values.") % {"value": status}
    if errors:
        raise ValidationError(errors)
    project.percent_done, project.investment_done_wan = percent_done, investment_done_wan
    project.milestone, project.status = milestone[:200], status
    project._change_reason = reason.strip()  # type: ignore[attr-defined]  # simple-history keeps it with the row
    project.save()
    return project


@service
def project_add(
    *,
    by: User | None,
    plan: Plan,
    name: str,
    type: str,
    period: str,
    place: str,
    scale: str,
    investment_wan: Decimal,
    organiser: str,
    new_places: int = 0,
    new_beds: int = 0,
) -> MajorProject:
    """Add a major project to a plan's list (numbered after the last one)."""
    errors = {}
    years = period.split("-")
    if len(years) != 2 or not all(y.isdigit() and len(y) == 4 for y in years) or years[0] > years[1]:
        errors["period"] = _("Enter the period as two years, e.g. 2023-2025.")
    if investment_wan < 0:
        errors["investment_wan"] = _("Investment: enter an amount of 0 or more.")
    if not name.strip():
        errors["name"] = _("Project name: this field is required.")
    if errors:
        raise ValidationError(errors)
    last = plan.projects.order_by("-order").values_list("order", flat=True).first() or 0
    project = MajorProject(
        plan=plan,
        order=last + 1,
        name=name[:200],
        type=type[:20],
        period=period,
        place=place[:100],
        scale=scale,
        investment_wan=investment_wan,
        new_places=new_places,
        new_beds=new_beds,
        organiser=organiser[:100],
    )
    project.save()
    return project


@service
def task_report(*, by: User | None, task: Task, status: str, report: str, due: dt.date | None) -> Task:
    """A task's status, what has been done and its deadline (完成时限; None clears it)."""
    if by is not None and not task.reported_by(by.role):
        raise ValidationError(str(REFUSALS["task.report"]))
    errors = {}
    if status not in Task.Status.values:
        errors["status"] = _("Status: “%(value)s” is not one of the allowed values.") % {"value": status}
    if not report.strip():
        errors["report"] = _("Latest report: say what has been done.")
    if errors:
        raise ValidationError(errors)
    task.status, task.last_report, task.due = status, report, due
    task.save()
    return task


@service
def area_target_set(*, by: User, item: PlanIndicator, area: Area, year: int, value: Decimal) -> AreaTarget:
    """An area within the plan's sets its own target for a year (replacing any it set before)."""
    if area.code == item.plan.area_id or not _under_plan(item.plan, area):
        raise ValidationError(
            {"area": _("Area: choose one within %(plan_area)s.") % {"plan_area": item.plan.area.name}}
        )
    first = (item.plan.baseline_year or 1989) + 1
    if not first <= year <= item.plan.target_year:
        raise ValidationError(
            {
                "year": _("Year: %(first)d to %(last)d, the plan's period.")
                % {"first": first, "last": item.plan.target_year}
            }
        )
    target, _created = AreaTarget.objects.update_or_create(item=item, area=area, year=year, defaults={"value": value})
    return target
