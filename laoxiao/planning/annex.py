"""Plans in and out of xlsx in the shape of an annex 1 table: 序号, 指标名称, <baseline year>年, <target year>年,
指标属性, 责任部门 (a 指标代码 column, when present, names the catalogue indicator)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from laoxiao.accounts.models import User
from laoxiao.core.exporting import xlsx_chunks
from laoxiao.core.importing import RowError
from laoxiao.core.models import Area
from laoxiao.core.tabular import cell_text
from laoxiao.core.writes import service
from laoxiao.planning.models import Attribute, Indicator, Plan, PlanIndicator

ATTRIBUTES = {
    "约束性": Attribute.BINDING,
    "预期性": Attribute.EXPECTED,
    "binding": Attribute.BINDING,
    "expected": Attribute.EXPECTED,
}


def plan_to_xlsx(plan: Plan) -> Iterator[bytes]:
    base = f"{plan.baseline_year}年" if plan.baseline_year else "基期值"
    headers = ["序号", "指标名称", base, f"{plan.target_year}年", "指标属性", "责任部门", "指标代码"]
    rows = (
        [
            item.order,
            item.name,
            item.baseline_text,
            item.target_text,
            "约束性" if item.attribute == Attribute.BINDING else "预期性",
            item.department,
            item.indicator.code,
        ]
        for item in plan.indicators.select_related("indicator").order_by("order")
    )
    return xlsx_chunks(headers, rows, title="主要指标")


def _number(text: str) -> Decimal | None:
    digits = "".join(c for c in text if c.isdigit() or c == ".")
    try:
        return Decimal(digits) if digits else None
    except InvalidOperation:
        return None


@service
def plan_from_xlsx(
    *, by: User, content: bytes, code: str, name: str, area: Area, baseline_year: int | None, target_year: int
) -> Plan:
    """Create a plan from an annex-1 table; any bad row names its row and column, and nothing is saved."""
    this_year = timezone.localdate().year
    if baseline_year is not None and baseline_year > this_year:  # a baseline is a year whose figures exist
        raise ValidationError({"baseline_year": _("Baseline year: %(year)d at the latest.") % {"year": this_year}})
    if baseline_year is not None and target_year <= baseline_year:
        raise ValidationError(
            {"target_year": _("Target year: after the baseline year, %(year)d.") % {"year": baseline_year}}
        )
    try:
        rows = list(
            load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0].iter_rows(values_only=True)
        )
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationError({"file": _("The file is not a readable .xlsx workbook.")}) from exc
    if not rows or len(rows[0]) < 6:
        raise ValidationError({"file": _("The first sheet needs the six columns of annex 1.")})
    names = {i.name: i for i in Indicator.objects.all()}
    codes = {i.code: i for i in Indicator.objects.all()}
    errors: list[RowError] = []
    items: list[dict[str, Any]] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = [cell_text(c) for c in (*row, "", "")][:7]
        if not any(cells):
            continue
        order, title, base, target, attribute, department, indicator_code = cells
        if not order.isdigit():
            errors.append(RowError(number, "序号", _("Enter a whole number.")))
        if not title:
            errors.append(RowError(number, "指标名称", _("This field is required.")))
        if attribute not in ATTRIBUTES:
            errors.append(RowError(number, "指标属性", _("Enter 约束性 or 预期性.")))
        if indicator_code and indicator_code not in codes:
            errors.append(RowError(number, "指标代码", _("No indicator has this code.")))
        items.append(
            {
                "order": int(order) if order.isdigit() else 0,
                "name": title,
                "baseline_text": base,
                "target_text": target,
                "attribute": ATTRIBUTES.get(attribute),
                "department": department,
                "indicator": codes.get(indicator_code) or names.get(title),
            }
        )
    if errors:
        raise ValidationError({"file": [f"第 {e.row} 行 {e.column}：{e.message}" for e in errors]})
    if Plan.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A plan with this code exists.")})
    plan = Plan.objects.create(
        code=code,
        name=name,
        area=area,
        baseline_year=baseline_year,
        target_year=target_year,
        source=_("imported by %(user)s") % {"user": by},
    )
    for item in items:
        indicator = item.pop("indicator") or Indicator.objects.create(
            code=f"{code}-{item['order']}",
            name=item["name"],
            name_en=item["name"],
            formula="",
            unit="%" if "%" in item["target_text"] else "",
        )
        PlanIndicator.objects.create(
            plan=plan,
            indicator=indicator,
            baseline_value=_number(item["baseline_text"]),
            target_value=_number(item["target_text"]),
            **item,
        )
    return plan
