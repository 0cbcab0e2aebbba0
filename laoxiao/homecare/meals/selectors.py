"""Reads of meal points (助餐点): their diners, daily and monthly meals, food-safety records, meals by area."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from laoxiao.accounts.models import User
from laoxiao.core import areacode
from laoxiao.core.scope import AreaScope, area_range_q, scoped, scoped_get
from laoxiao.core.subquery import row_count
from laoxiao.homecare.models import (
    Diner,
    FoodSample,
    IngredientRecord,
    Meal,
    MealPoint,
    MealRating,
)


def meal_point_list(*, user: User) -> QuerySet[MealPoint]:
    today = timezone.localdate()
    return (
        scoped(user, MealPoint.objects.select_related("facility", "facility__area"))
        .annotate(
            diner_count=row_count(Diner.objects.filter(active=True), "point"),
            meals_today=row_count(Meal.objects.filter(served_on=today), "point"),
        )
        .order_by("facility__area_id", "facility__name")
    )


def meal_point_get(*, user: User, pk: int) -> MealPoint:
    return scoped_get(user, MealPoint.objects.select_related("facility"), pk=pk)


def point_diners(*, user: User, point: MealPoint) -> QuerySet[Diner]:
    return (
        scoped(user, Diner.objects.filter(point=point, active=True)).select_related("person").order_by("person__name")
    )


def point_days(*, user: User, point: MealPoint, since: dt.date) -> list[dict[str, Any]]:
    """Meals served per day, eat-in and delivered, with subsidies and payments."""
    return _point_totals(user, point, since, "served_on")


def point_months(*, user: User, point: MealPoint, months: int) -> list[dict[str, Any]]:
    """The same per month (`served_on`: its first day) for this month and the `months` - 1 before it,
    newest first: the point's year at a glance."""
    since = timezone.localdate().replace(day=1)
    for _ in range(months - 1):
        since = (since - dt.timedelta(days=1)).replace(day=1)
    return _point_totals(user, point, since, TruncMonth("served_on"))


def _point_totals(user: User, point: MealPoint, since: dt.date, period: str | TruncMonth) -> list[dict[str, Any]]:
    rows = (
        scoped(user, Meal.objects.filter(point=point, served_on__gte=since))
        .annotate(period=period if isinstance(period, TruncMonth) else F(period))
        .values("period")
        .annotate(
            eat_in=Count("id", filter=Q(mode=Meal.Mode.EAT_IN)),
            delivered=Count("id", filter=Q(mode=Meal.Mode.DELIVERED)),
            subsidy=Sum("subsidy"),
            paid=Sum("paid"),
        )
        .order_by("-period")
    )
    return [{"served_on": row["period"], **{k: v for k, v in row.items() if k != "period"}} for row in rows]


def point_records(*, user: User, point: MealPoint) -> dict[str, Any]:
    return {
        "ingredients": scoped(user, IngredientRecord.objects.filter(point=point))[:30],
        "samples": scoped(user, FoodSample.objects.filter(point=point))[:30],
        "ratings": scoped(user, MealRating.objects.filter(point=point)).select_related("person")[:30],
        "average": scoped(user, MealRating.objects.filter(point=point)).aggregate(n=Count("id"), avg=Avg("score")),
    }


def meals_by_prefix(scope: AreaScope, length: int, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = (
        Meal.objects.filter(
            area_range_q("point__facility__area_id", scope.prefix), served_on__gte=start, served_on__lt=end
        )
        .annotate(prefix=areacode.cut_in_db("point__facility__area_id", length))
        .values("prefix")
        .annotate(n=Count("id"))
    )
    return {row["prefix"]: row["n"] for row in rows}
