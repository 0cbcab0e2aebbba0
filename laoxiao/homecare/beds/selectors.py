"""Reads of home care beds (家庭养老床位): the list, a bed's adaptations, plan and devices, adapted homes by area."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet, Sum

from laoxiao.accounts.models import User
from laoxiao.core import areacode
from laoxiao.core.scope import AreaScope, area_range_q, scoped, scoped_get
from laoxiao.homecare.models import (
    Adaptation,
    Device,
    HomeCareBed,
    PlannedService,
)


def bed_list(*, user: User) -> QuerySet[HomeCareBed]:
    return (
        scoped(user, HomeCareBed.objects.select_related("person", "provider__facility", "area"))
        .annotate(devices_count=Count("devices", distinct=True), adaptation_cost=Sum("adaptations__cost"))
        .order_by("status", "area_id")
    )


def bed_get(*, user: User, pk: int) -> HomeCareBed:
    return scoped_get(user, HomeCareBed.objects.select_related("person", "provider__facility", "assessment"), pk=pk)


def bed_parts(*, user: User, bed: HomeCareBed) -> dict[str, Any]:
    return {
        "adaptations": scoped(user, Adaptation.objects.filter(bed=bed)),
        "plan": scoped(user, PlannedService.objects.filter(bed=bed)).select_related("kind"),
        "devices": scoped(user, Device.objects.filter(bed=bed)),
    }


def adapted_homes_by_prefix(scope: AreaScope, length: int, on: dt.date) -> dict[str, int]:
    """Homes (home care beds) with at least one adaptation completed by `on`."""
    rows = (
        HomeCareBed.objects.filter(area_range_q("area_id", scope.prefix), adaptations__completed_on__lte=on)
        .annotate(prefix=areacode.cut_in_db("area_id", length))
        .values("prefix")
        .annotate(n=Count("id", distinct=True))
    )
    return {row["prefix"]: row["n"] for row in rows}
