"""Each number of home care's rules (homecare/rules.json) pinned to the source its `source` text names:
a change to a threshold fails here until the source is changed with it."""

from __future__ import annotations

import json

import pytest

from laoxiao.homecare import rules

PINNED = [
    # (path in rules.json, value, the words of its source in the file's own `source`)
    ("verification.max_distance_m", 500, "The 500 m check-in radius is issue 6's"),
    ("verification.early_before_minutes", 30, "more than 30 minutes before or after the booked time"),
    ("verification.late_after_minutes", 30, "more than 30 minutes before or after the booked time"),
    ("verification.device_behind_minutes", 15, "more than 15 minutes behind the server's"),
    ("verification.device_ahead_minutes", 5, "may run up to 5 minutes ahead of the server's"),
    ("booking.max_quantity", 12, "at most 12 hours (or 12 times) of a service"),
    (
        "visits_per_month.extreme_poverty",
        4,
        "weekly visits for the most vulnerable follow 宿州 (002 §(三)二: 周探访率 100%)",
    ),
    ("visits_per_month.living_alone", 4, "weekly visits for the most vulnerable"),
    ("visits_per_month.subsistence_allowance", 1, "monthly visits for the others 001 §三(一)2 (月探访率 100%)"),
    ("visits_per_month.empty_nest", 1, "monthly visits for the others"),
    ("food_sample.min_grams", 125, "《餐饮服务食品安全操作规范》(2018) 125 g kept 48 h"),
    ("food_sample.keep_hours", 48, "125 g kept 48 h"),
    ("booking.days_ahead", 60, "A service is booked at most 60 days ahead"),
    ("booking.opens", "06:00", "A visit starts between 06:00 and 22:00"),
    ("booking.closes", "22:00", "A visit starts between 06:00 and 22:00"),
    ("record_window.visit_days_back", 3, "up to 3 days later"),
    ("record_window.meal_days_back", 0, "only on the day they are served"),
]


def _at(config: dict, path: str):
    for key in path.split("."):
        config = config[key]
    return config


@pytest.mark.parametrize(("path", "value", "source"), PINNED, ids=[p[0] for p in PINNED])
def test_each_number_is_the_one_its_source_states(path, value, source):
    config = rules.config()
    assert _at(config, path) == value
    assert source in config["source"]


def test_the_weekly_visits_are_for_exactly_the_most_vulnerable():
    weekly = {category for category, n in rules.config()["visits_per_month"].items() if n == 4}
    assert weekly == {"extreme_poverty", "living_alone", "severe_disability", "dementia"}


def test_the_meal_subsidies_are_labelled_demo_values():
    """Not from a document: the city sets its own (LAOXIAO_HOMECARE_RULES)."""
    assert "Meal subsidies are demo values." in rules.config()["source"]


def test_the_catalogue_is_the_documents_services_and_the_distance_is_a_great_circle():
    catalogue = json.loads(rules.CATALOGUE.read_text(encoding="utf-8"))
    assert [k["name"] for k in catalogue["kinds"]] == [
        "助餐", "助洁", "助浴", "助行", "助医", "康复", "护理", "巡访关爱", "喘息服务"
    ]  # fmt: skip
    assert rules.distance_m(38.47, 106.28, 38.47 + 800 / 111_195, 106.28) == 800  # 800 m north
