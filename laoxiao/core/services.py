"""Writes to areas and their population statistics, the export log and the log of identifier reveals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from laoxiao.core.audit import field_label
from laoxiao.core.bulk import insert_rows
from laoxiao.core.divisions import DATA_VERSION, rows_for
from laoxiao.core.identifiers import mask_id_number, mask_phone
from laoxiao.core.log_filters import ID_NUMBER, MOBILE
from laoxiao.core.models import Area, ExportLog, IdentifierReveal, PopulationStat
from laoxiao.core.writes import service

if TYPE_CHECKING:
    from laoxiao.accounts.models import User


@service
def areas_load(*, prefix: str) -> int:
    """Load (or refresh) every area under a code prefix from the national table. Nothing is deleted."""
    if not prefix.isdigit() or len(prefix) not in (2, 4, 6, 9, 12):
        raise ValueError("prefix must be 2, 4, 6, 9 or 12 digits of an area code")
    rows = rows_for(prefix)
    areas = [
        Area(
            code=r["code"],
            name=r["name"],
            level=r["level"],
            parent_id=r["parent_code"] or None,
            data_version=DATA_VERSION,
        )
        for r in rows
    ]
    for level in ("province", "city", "county", "township", "village"):  # parents before children
        Area.objects.bulk_create(
            [a for a in areas if a.level == level],
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "level", "parent", "data_version"],
        )
    return len(areas)


@service
def population_stat_set(
    *,
    area: Area,
    year: int,
    resident_total: int,
    aged_60_plus: int,
    aged_65_plus: int,
    aged_80_plus: int,
    under_3: int,
    births: int,
    source: str,
) -> PopulationStat:
    """Record (or correct) an area's population for a year; the age groups must nest."""
    nested = (
        ("aged_60_plus", aged_60_plus, resident_total, "resident_total"),
        ("aged_65_plus", aged_65_plus, aged_60_plus, "aged_60_plus"),
        ("aged_80_plus", aged_80_plus, aged_65_plus, "aged_65_plus"),
        ("under_3", under_3, resident_total, "resident_total"),
    )
    errors = {
        name: _("Cannot exceed “%(whole)s”.") % {"whole": field_label(PopulationStat, whole)}
        for name, part, total, whole in nested
        if part > total
    }
    if not 1949 <= year <= 2100:
        errors["year"] = _("Enter a year between 1949 and 2100.")
    if errors:
        raise ValidationError(errors)
    stat, _created = PopulationStat.objects.update_or_create(
        area=area,
        year=year,
        defaults={
            "resident_total": resident_total,
            "aged_60_plus": aged_60_plus,
            "aged_65_plus": aged_65_plus,
            "aged_80_plus": aged_80_plus,
            "under_3": under_3,
            "births": births,
            "source": source,
        },
    )
    return stat


def _masked(text: str) -> str:
    """An ID number or mobile number typed into a search shows masked in the log: it holds no identifier."""
    text = ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text)
    return MOBILE.sub(lambda m: mask_phone(m.group()), text)


@service(on_read=True)  # a log of what a GET read
def export_record(*, by: User, kind: str, filters: str, rows: int) -> ExportLog:
    """Log a bulk export of personal data before it leaves: who, which list, which filter, how many rows."""
    return ExportLog.objects.create(user=by, area=by.area, kind=kind[:50], filters=_masked(filters)[:500], rows=rows)


@service(on_read=True)  # a log of what a GET read
def identifier_reveals_record(*, by: User, subject_type: str, reveals: list[tuple[int, str, str]]) -> None:
    """Log unmasked views of personal identifiers before they are shown or leave in a file: for each
    (record id, whose, field) one row. The one way any app writes the reveal log."""
    # Rows written plainly (core/bulk): a payment file reveals 47,000 people, and building a model instance for
    # each took most of the file's five seconds.
    insert_rows(
        IdentifierReveal,
        [
            {
                "user_id": by.pk,
                "subject_type": subject_type,
                "subject_id": pk,
                "subject_label": label[:100],
                "field": field,
            }
            for pk, label, field in reveals
        ],
    )
