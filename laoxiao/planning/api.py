import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Router, Schema

from laoxiao.api.main import answers, require
from laoxiao.core.scope import AuthedRequest
from laoxiao.planning import selectors

router = Router(tags=["plans"])


class PlanOut(Schema):
    code: str
    name: str
    area_id: str
    baseline_year: int | None
    target_year: int


class StandingOut(Schema):
    order: int
    indicator: str
    name: str
    attribute: str
    department: str
    baseline: str
    target: str
    actual: Decimal | None
    progress: Decimal | None
    status: str


class ProjectOut(Schema):
    order: int
    name: str
    type: str
    period: str
    place: str
    investment_wan: Decimal
    new_places: int
    new_beds: int
    organiser: str
    percent_done: int
    status: str


class TaskOut(Schema):
    order: int
    task: str
    lead: list[str]
    support: list[str]
    status: str
    due: dt.date | None


class ValueOut(Schema):
    indicator_id: int
    area_id: str
    on: dt.date
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    source: str
    reviewed: bool

    @staticmethod
    def resolve_reviewed(obj) -> bool:  # type: ignore[no-untyped-def]
        return obj.source == "computed" or obj.reviewed_by_id is not None


@router.get("/", response=answers({200: list[PlanOut]}, 403))
def list_plans(request: AuthedRequest) -> object:
    require(request, "plan.view")
    return selectors.plan_list(user=request.user)


@router.get("/{code}/indicators", response=answers({200: list[StandingOut]}, 403, 404, 422))
def plan_indicators(request: AuthedRequest, code: str, area: str = "") -> object:
    require(request, "plan.view")
    plan = selectors.plan_get(user=request.user, code=code)
    where = selectors.plan_area(user=request.user, plan=plan, code=area or None)
    return [
        {
            "order": r.item.order,
            "indicator": r.item.indicator.code,
            "name": r.item.name,
            "attribute": r.item.attribute,
            "department": r.item.department,
            "baseline": r.item.baseline_text,
            "target": r.item.target_text,
            "actual": r.actual,
            "progress": r.standing.progress,
            "status": r.standing.status,
        }
        for r in selectors.plan_rows(user=request.user, plan=plan, area=where, on=timezone.localdate())
    ]


@router.get("/{code}/projects", response=answers({200: list[ProjectOut]}, 403, 404, 422))
def plan_projects(request: AuthedRequest, code: str) -> object:
    require(request, "plan.view")
    return selectors.plan_projects(plan=selectors.plan_get(user=request.user, code=code))


@router.get("/{code}/tasks", response=answers({200: list[TaskOut]}, 403, 404, 422))
def plan_tasks(request: AuthedRequest, code: str) -> object:
    require(request, "plan.view")
    return selectors.plan_tasks(plan=selectors.plan_get(user=request.user, code=code))


@router.get("/{code}/values", response=answers({200: list[ValueOut]}, 403, 404, 422))
def plan_values(request: AuthedRequest, code: str, area: str = "") -> object:
    """Stored snapshots and reported figures of the plan's indicators for an area (the trend data)."""
    require(request, "plan.view")
    plan = selectors.plan_get(user=request.user, code=code)
    where = selectors.plan_area(user=request.user, plan=plan, code=area or None)
    return selectors.plan_values(user=request.user, plan=plan, area=where)
