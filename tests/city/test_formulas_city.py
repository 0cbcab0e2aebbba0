"""Pins each computed indicator on the Yinchuan demo: the document's 2022 figures, every formula by county."""

import datetime as dt
from decimal import Decimal

import pytest

from laoxiao.core.models import Area
from laoxiao.core.scope import system_area_scope
from laoxiao.planning.formulas import FORMULAS, measure, measures

ON = dt.date(2026, 11, 23)
YINCHUAN_2022 = {
    "nursing_bed_share": "56.9246",  # 5701 / 10015: the document's 56.9%
    "childcare_places_per_1000": "1.0701",  # 3082 / 2,880,000 × 1000: the document's 1.07
    "inclusive_place_share": "25.2758",  # 779 / 3082
    "filed_childcare_centres": "63",
    "community_day_care_coverage": "79.2763",  # 241 of 304 communities: the document's 80%
    "rural_happiness_house_coverage": "76.5101",  # 228 of 298 villages
    "beds_per_1000_elderly": "25.7587",  # 10015 / 388,800 × 1000
}


@pytest.fixture
def yinchuan(demo_city, db):
    return Area.objects.get(code="640100000000")


def test_yinchuan_2022_figures_and_every_formula_by_county(yinchuan):
    for formula, value in YINCHUAN_2022.items():
        assert measure(formula, scope=system_area_scope(yinchuan), level="city", on=ON)["6401"].value == Decimal(
            value
        ), formula
    for name in FORMULAS:
        counties = measure(name, scope=system_area_scope(yinchuan), level="county", on=ON)
        assert set(counties) <= {"640104", "640105", "640106", "640121", "640122", "640181"}, name
        # The dashboard measures the city and its counties (and the snapshots every level) in one go: the
        # figures added up from the longest prefix are those each level's own grouping gives.
        levels = ["city", "county", "township"]
        together = measures(name, scope=system_area_scope(yinchuan), levels=levels, on=ON)
        alone = {
            p: m
            for level in levels
            for p, m in measure(name, scope=system_area_scope(yinchuan), level=level, on=ON).items()
        }
        assert together == alone, name


def _plain(numerator: object, denominator: object) -> tuple[Decimal, Decimal | None]:
    return Decimal(str(numerator or 0)), Decimal(str(denominator)) if denominator else None


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_every_formula_for_every_area_is_what_the_hand_sql_counts(yinchuan, name):
    """The second opinion of bench/indicator_sql.py, written from the definitions and not from the code:
    the same numerator and denominator for every area of every level, so a faster formula changes no figure."""
    from django.db import connection

    from bench.indicator_sql import HAND_SQL, parameters

    assert set(HAND_SQL) == set(FORMULAS)
    for level in ("city", "county", "township"):
        ours = measure(name, scope=system_area_scope(yinchuan), level=level, on=ON)
        with connection.cursor() as cursor:
            cursor.execute(HAND_SQL[name], parameters(connection, root="6401", level=level, on=ON))
            theirs = {p: _plain(n, d) for p, n, d in cursor.fetchall()}
        assert {p: _plain(m.numerator, m.denominator) for p, m in ours.items()} == theirs, (name, level)
        assert any(n or d for n, d in theirs.values()), (name, level)  # the city has something to count
