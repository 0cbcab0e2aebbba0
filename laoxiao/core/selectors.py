"""Reads of areas and population statistics, through the scope chokepoint."""

from __future__ import annotations

from django.db.models import QuerySet

from laoxiao.accounts.models import User
from laoxiao.core.models import Area, PopulationStat
from laoxiao.core.scope import scoped, scoped_get


def area_list(*, user: User, parent: str | None = None, level: str | None = None) -> QuerySet[Area]:
    qs = scoped(user, Area.objects.all())
    if parent:
        qs = qs.filter(parent_id=parent)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("code")


def area_get(*, user: User, code: str) -> Area:
    return scoped_get(user, Area.objects.select_related("parent"), code=code)


def area_root(*, user: User) -> Area | None:
    """The area at the top of the user's scope."""
    return user.area if user.area_id and user.role_scopes_by_area else None


def area_ancestors(area: Area) -> list[Area]:
    """Parents from the top down, for breadcrumbs; an area's own ancestors are not personal data."""
    chain: list[Area] = []
    codes = {area.code[:n].ljust(12, "0") for n in (2, 4, 6, 9)} - {area.code}
    by_code = {a.code: a for a in Area.objects.filter(code__in=codes)}
    current = area.parent_id
    while current and current in by_code:
        chain.insert(0, by_code[current])
        current = by_code[current].parent_id
    return chain


def population_stats(*, user: User, area: Area) -> QuerySet[PopulationStat]:
    return scoped(user, PopulationStat.objects.filter(area=area)).order_by("-year")
