"""Reads of areas, population statistics, import batches and the export log, through the scope chokepoint."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from laoxiao.accounts.models import User
from laoxiao.core import areacode
from laoxiao.core.models import Area, ExportLog, ImportBatch, PopulationStat
from laoxiao.core.scope import public, scoped, scoped_get, within


def area_list(*, user: User, parent: str | None = None, level: str | None = None) -> QuerySet[Area]:
    qs = scoped(user, Area.objects.all())
    if parent:
        qs = qs.filter(parent_id=parent)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("code")


def area_get(*, user: User, code: str) -> Area:
    return scoped_get(user, Area.objects.select_related("parent"), code=code)


def area_find(*, user: User, code: str) -> Area | None:
    """The area with this code if it is in the user's scope (a filter's value, checked before use)."""
    return scoped(user, Area.objects.filter(code=code)).first() if code.isdigit() and len(code) == 12 else None


def area_names(codes: Iterable[str]) -> dict[str, str]:
    """Names by 12-digit code, for codes a report already holds (a division's name is public)."""
    return dict(public(Area.objects.filter(code__in=set(codes))).values_list("code", "name"))


def area_children(*, user: User, parent: str = "") -> list[Area]:
    """The current areas directly below `parent` that the user may see; without a parent, those below the
    top of the user's scope."""
    if not parent:
        root = area_root(user=user)
        if root is None:
            return []
        parent = root.code
    return list(area_list(user=user, parent=parent).filter(valid_to__isnull=True).only("code", "name", "level"))


@dataclass(frozen=True)
class PickerLevel:
    """One drop-down of the area picker: the areas below `parent`, and which of them is chosen."""

    parent: str
    label: str
    options: list[Area]
    selected: str


def area_picker_levels(*, user: User, code: str) -> list[PickerLevel]:
    """The drop-downs that show `code` chosen: from the top of the scope down to it, then its children."""
    root = area_root(user=user)
    if root is None:
        return []
    levels: list[PickerLevel] = []
    parent = ""
    for _depth in range(len(areacode.LENGTH)):
        options = area_children(user=user, parent=parent)
        if not options:
            break
        chosen = next((a.code for a in options if code.startswith(areacode.prefix(a.code, a.level))), "")
        levels.append(PickerLevel(parent, str(options[0].get_level_display()), options, chosen))
        if not chosen:
            break
        parent = chosen
    return levels


def area_root(*, user: User) -> Area | None:
    """The area at the top of the user's scope."""
    return user.area if user.area_id and user.role_scopes_by_area else None


def area_ancestors(*, user: User, area: Area) -> list[Area]:
    """Parents from the top down, for breadcrumbs; an area's own ancestors are not personal data.
    Each carries `in_scope`: a crumb links only where the user may go, never to a 404."""
    chain: list[Area] = []
    codes = set(areacode.ancestors(area.code))
    by_code = {a.code: a for a in Area.objects.filter(code__in=codes)}
    current = area.parent_id
    while current and current in by_code:
        chain.insert(0, by_code[current])
        current = by_code[current].parent_id
    reachable = set(scoped(user, Area.objects.filter(code__in=[a.code for a in chain])).values_list("code", flat=True))
    for ancestor in chain:
        ancestor.in_scope = ancestor.code in reachable  # type: ignore[attr-defined]
    return chain


def population_stats(*, user: User, area: Area) -> QuerySet[PopulationStat]:
    return scoped(user, PopulationStat.objects.filter(area=area)).order_by("-year")


def export_log_visible(user: User) -> bool:
    """The export log is for civil affairs and administrators of a city (or province)."""
    area = user.area
    return (
        user.has_role_permission("export.log")
        and area is not None
        and area.level in (Area.Level.CITY, Area.Level.PROVINCE)
    )


def export_log(*, user: User) -> QuerySet[ExportLog]:
    """The exports made within the user's area, newest first."""
    if not export_log_visible(user):
        raise PermissionDenied
    return scoped(user, ExportLog.objects.select_related("user"))


def import_batch_get(*, user: User, kind: str, pk: int) -> ImportBatch:
    """An uploaded file's batch, for its uploader only (anyone else: 404). The sealed file is in rows of
    its own, read only when the file is read again (commit, rejected-rows report)."""
    batch = within(user, ImportBatch.objects.filter(pk=pk, created_by=user, kind=kind)).first()
    if batch is None:
        raise Http404
    return batch
