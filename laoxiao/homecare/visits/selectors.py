"""Reads of visit plans and visits (探访): the lists, the visitors one may assign, the monthly visit rate."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import F, IntegerField, Q, QuerySet, Sum
from django.db.models.functions import Least
from django.utils import timezone

from laoxiao.accounts.models import User
from laoxiao.accounts.roles import Role
from laoxiao.core import areacode
from laoxiao.core.models import Area
from laoxiao.core.months import month_bounds
from laoxiao.core.scope import AreaScope, area_range_q, area_scope, scoped, scoped_get
from laoxiao.core.subquery import row_count
from laoxiao.homecare.models import (
    Visit,
    VisitPlan,
)

# `due` on the visit plan list: the plans with fewer visits in the month than they are due, this month
# (still to do) or last month (missed).
VISITS_DUE = ("this_month", "last_month")


def visits_due_month(due: str, on: dt.date) -> str:
    return f"{on:%Y-%m}" if due == "this_month" else f"{on.replace(day=1) - dt.timedelta(days=1):%Y-%m}"


def visit_plan_list(
    *, user: User, mine: bool = False, q: str = "", area: str = "", due: str = ""
) -> QuerySet[VisitPlan]:
    """Open plans in scope; `q` a name fragment, `area` a code prefix, `due` one of VISITS_DUE."""
    # The area by a second query: joined, SQLite reads the plans area by area and sorts them all (0.5 s for
    # a city) instead of stopping after a page.
    plans = (
        scoped(user, VisitPlan.objects.filter(ends_on__isnull=True))
        .select_related("person", "visitor")
        .prefetch_related("area")
    )
    if mine:
        plans = plans.filter(visitor=user)
    if q:
        plans = plans.filter(person__name__contains=q.strip())
    if area:
        plans = plans.filter(area_range_q("area_id", area))
    if due in VISITS_DUE:
        start, end = month_bounds(visits_due_month(due, timezone.localdate()))
        in_month = Visit.objects.filter(visited_at__gte=start, visited_at__lt=end)
        plans = (
            plans.filter(starts_on__lt=end.date())
            .annotate(month_visits=row_count(in_month, "plan"))
            .filter(month_visits__lt=F("visits_per_month"))
        )
    return plans.annotate(visit_count=row_count(Visit.objects.all(), "plan")).order_by("area_id", "person__name")


def visit_plan_get(*, user: User, pk: int) -> VisitPlan:
    return scoped_get(user, VisitPlan.objects.select_related("person", "visitor", "area"), pk=pk)


def plan_visits(*, user: User, plan: VisitPlan) -> QuerySet[Visit]:
    return scoped(user, Visit.objects.filter(plan=plan)).select_related("visitor", "order", "alert")


def visitors_available(*, user: User) -> QuerySet[User]:
    """Community workers of the user's area and volunteers living in it."""
    if user.area is None:
        return User.objects.none()
    prefix = area_scope(user, user.area).prefix
    return (
        User.objects.filter(is_active=True)
        .filter(
            (Q(role=Role.COMMUNITY_WORKER) & area_range_q("area_id", prefix))
            | (Q(role=Role.VOLUNTEER) & area_range_q("person__area_id", prefix))
        )
        .select_related("area")
        .order_by("role", "first_name", "id")
    )


def latest_whole_month(on: dt.date) -> str:
    """The month of `on` if `on` is its last day, else the month before."""
    if (on + dt.timedelta(days=1)).month != on.month:
        return f"{on:%Y-%m}"
    return f"{on.replace(day=1) - dt.timedelta(days=1):%Y-%m}"


def visit_counts_by_prefix(scope: AreaScope, length: int, month: str) -> dict[str, tuple[int, int]]:
    """(visits done, visits due) in `month` by area prefix. A plan open at any time in the month is due
    its visits per month; visits beyond that do not make up for another person's missed ones."""
    start, end = month_bounds(month)
    done = Least(
        row_count(Visit.objects.filter(visited_at__gte=start, visited_at__lt=end), "plan"),
        "visits_per_month",
        output_field=IntegerField(),
    )
    plans = (
        VisitPlan.objects.filter(area_range_q("area_id", scope.prefix), starts_on__lt=end.date())
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start.date()))
        .order_by()
        .values("area_id")  # summed by the database per area, not per plan in Python
        .annotate(done=Sum(done), due=Sum("visits_per_month"))
        .values_list("area_id", "done", "due")
    )
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for area, area_done, area_due in plans:
        row = totals[area[:length]]
        row[0] += area_done
        row[1] += area_due
    return {prefix: (done, due) for prefix, (done, due) in totals.items()}


def visit_rates(*, user: User, month: str, length: int) -> list[dict[str, Any]]:
    """Visit rate by area (at the level of `length` digits) within the user's scope."""
    if user.area is None or not user.role_scopes_by_area:
        return []
    counts = visit_counts_by_prefix(area_scope(user, user.area), length, month)
    names = dict(
        scoped(user, Area.objects.filter(code__in=[areacode.code_of(p) for p in counts])).values_list("code", "name")
    )
    return [
        {
            "prefix": p,
            "name": names.get(areacode.code_of(p), p),
            "done": done,
            "due": due,
            "rate": Decimal(done * 100) / due if due else None,
        }
        for p, (done, due) in sorted(counts.items())
    ]
