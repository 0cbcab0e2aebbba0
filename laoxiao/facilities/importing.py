"""Facility import: the columns of the exchange file, row validation in bulk, and the bulk write."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from laoxiao.accounts.models import User
from laoxiao.core import areacode
from laoxiao.core.identifiers import uscc_check_char
from laoxiao.core.importing import Importer, areas_in_scope, chunks, clean_rows
from laoxiao.core.models import Area
from laoxiao.core.rowindex import RowIndex
from laoxiao.core.tabular import Column
from laoxiao.core.writes import service
from laoxiao.facilities.models import Facility
from laoxiao.facilities.validation import clean_facility

COLUMNS = (
    Column("name", "机构名称", "name", required=True, example="兴庆区颐康养老院"),
    Column("kind", "机构类型", "kind", required=True, example="养老机构"),
    Column("uscc", "统一社会信用代码", "uscc", example="52640104MJX0000012"),
    Column("ownership", "举办性质", "ownership", required=True, example="民办"),
    Column("operator_name", "运营方", "operator", example=""),
    Column("profit_status", "营利性质", "profit status", required=True, example="非营利性"),
    Column("is_inclusive", "普惠", "inclusive", example="是"),
    Column("status", "状态", "status", example="运营中"),
    Column("address", "地址", "address", required=True, example="银川市兴庆区丽景街88号"),
    Column("area_code", "所属区划代码", "area code", required=True, example="640104011001"),
    Column("latitude", "纬度", "latitude", example="38.47"),
    Column("longitude", "经度", "longitude", example="106.28"),
    Column("phone", "联系电话", "phone", example="0951-6012345"),
    Column("floor_area_m2", "建筑面积(平方米)", "floor area", example="3200"),
    Column("beds_total", "床位数", "beds", example="200"),
    Column("beds_nursing", "护理型床位数", "nursing beds", example="120"),
    Column("beds_inclusive", "普惠床位数", "inclusive beds", example="60"),
    Column("beds_occupied", "在住床位数", "occupied beds", example="150"),
    Column("places_total", "托位数", "places", example="0"),
    Column("places_inclusive", "普惠托位数", "inclusive places", example="0"),
    Column("enrolled", "在托人数", "enrolled", example="0"),
    Column("filing_status", "备案状态", "filing status", example="已备案"),
    Column("has_clinic", "内设医疗机构", "has clinic", example="否"),
)


def examples(user: User, area: Area) -> dict[str, str]:
    """A name, address and credit code (of the area's county, not yet registered) that pass as they are."""
    values = {"name": f"{area.name}颐康养老院", "address": f"{area.name}88号", "uscc": ""}
    for serial in range(1, 100):
        first17 = f"52{areacode.county(area.code)}MJX{serial:06d}"  # 52: 民办非企业单位, then the county
        code = first17 + uscc_check_char(first17)
        if not Facility.objects.filter(uscc=code).exists():
            return values | {"uscc": code}
    return values


def validate_rows(
    user: User, rows: list[tuple[int, dict[str, str]]], first_row_of: RowIndex
) -> tuple[list[tuple[int, Any]], dict[int, dict[str, str]]]:
    """One chunk of the file; `first_row_of` (code → row) carries the codes of the chunks before."""
    cleaned, bad = clean_rows(rows, clean_facility)
    allowed = areas_in_scope(user, (d["area_code"] for _row, d in cleaned if d.get("area_code")))
    taken: set[str] = set()
    for part in chunks(sorted({d["uscc"] for _row, d in cleaned if d.get("uscc")})):
        taken.update(code for code in Facility.objects.filter(uscc__in=part).values_list("uscc", flat=True) if code)
    valid = []
    for number, data in cleaned:
        errors = bad.get(number, {})
        if data.get("area_code") and "area_code" not in errors and data["area_code"] not in allowed:
            errors["area_code"] = _("No area with this code is within your responsibility.")
        code = data.get("uscc")
        if code in taken:
            errors["uscc"] = _("A facility with this unified social credit code is already registered.")
        elif code and code in first_row_of:
            errors["uscc"] = _("The same code is already on row %(row)d.") % {"row": first_row_of[code]}
        elif code:
            first_row_of[code] = number
        if errors:
            bad[number] = errors
        else:
            data["area_id"] = data.pop("area_code")
            valid.append((number, Facility(**data)))
    return valid, bad


@service
def write_rows(user: User, items: list[Facility]) -> int:
    return len(bulk_create_with_history(items, Facility, batch_size=1000, default_user=user))


FACILITIES_IMPORTER = Importer(
    kind="facilities",
    permission="facility.import",
    columns=COLUMNS,
    validate=validate_rows,
    write=write_rows,
    examples=examples,
)
