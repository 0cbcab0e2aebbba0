"""The Qianjiang demo reproduces annex 1's 2020 column for every computed indicator."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from laoxiao.core.scope import system_area_scope
from laoxiao.demo.generator import Generator
from laoxiao.planning.formulas import measure
from laoxiao.planning.models import Plan


def test_every_computed_2020_value_equals_annex_1(db):
    Generator(city="qianjiang", scale=0.5, seed=1, today=None, log=lambda _: None).run()
    plan = Plan.objects.get(code="qianjiang-2022")
    checked = []
    for item in plan.indicators.select_related("indicator"):
        if not item.indicator.computed or item.baseline_value is None:
            continue
        value = measure(
            item.indicator.formula, scope=system_area_scope(plan.area), level="county", on=dt.date(2020, 12, 31)
        )["500114"].value
        digits = Decimal(1).scaleb(-len(item.baseline_text.rstrip("%").partition(".")[2]))
        assert value.quantize(digits, ROUND_HALF_UP) == item.baseline_value.quantize(digits), item.name
        checked.append(item.order)
    assert checked == [3, 5, 6, 11, 12, 14, 18, 25, 28, 33, 37, 38]
