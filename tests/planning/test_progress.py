"""Pins the progress rule of laoxiao/planning/progress.py."""

import datetime as dt
from decimal import Decimal as D

from laoxiao.planning.progress import (
    ACHIEVED,
    AT_RISK,
    NO_DATA,
    NO_TARGET,
    OFF_TRACK,
    ON_TRACK,
    elapsed_share,
    standing,
)

MID = dt.date(2023, 7, 2)  # about half way from the end of 2020 to the end of 2025


def at(actual, baseline=D(30), target=D(60), higher=True, on=MID):
    return standing(
        actual=actual,
        baseline=baseline,
        target=target,
        higher_is_better=higher,
        baseline_year=2020,
        target_year=2025,
        on=on,
    )


def test_half_way_through_the_period():
    assert elapsed_share(baseline_year=2020, target_year=2025, on=MID) == D(913) / D(1826)


def test_statuses_along_the_line():
    expected = at(D(45)).expected  # 30 + 30 × 0.5
    assert abs(expected - D(45)) < D("0.05")
    assert at(D(46)).status == ON_TRACK and at(D(46)).progress == D("53.3")
    assert at(D(43)).status == AT_RISK  # short by 2, within a tenth of the 30-point way
    assert at(D(40)).status == OFF_TRACK
    assert at(D(60)).status == ACHIEVED and at(D(60)).progress == D("100.0")
    assert at(None).status == NO_DATA
    assert at(D(56), target=None).status == NO_TARGET  # a value without a target is not "no data"


def test_lower_is_better():
    assert at(D(20), baseline=D(40), target=D(10), higher=False).status == ON_TRACK
    assert at(D(35), baseline=D(40), target=D(10), higher=False).status == OFF_TRACK


def test_a_level_to_hold_and_a_missing_baseline():
    assert at(D(100), baseline=D(100), target=D(100)).status == ACHIEVED
    assert at(D(95), baseline=D(100), target=D(100)).status == OFF_TRACK
    held = at(D(2), baseline=None, target=D(4))
    assert held.progress == D("50.0") and held.status == ON_TRACK
