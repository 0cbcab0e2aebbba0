"""Pins the scoring rules to ../shared/spec/standards.md (§1.7–1.8 and the appendix test table, §2, §3)."""

import copy

import pytest

from laoxiao.assessments.instruments import LTC_2021, MZT_039, shipped_latest
from laoxiao.assessments.scoring import Adjustments, check_answers, items, score
from tests.factories import GBT, answers_for_total, maxima


def test_dimension_maxima_and_item_count():
    assert [sum(max(o["points"] for o in i["options"]) for i in d["items"]) for d in GBT["dimensions"]] == [
        32,
        15,
        28,
        15,
    ]
    assert len(items(GBT)) == 26


@pytest.mark.parametrize(
    ("total", "level"), [(90, 0), (89, 1), (66, 1), (65, 2), (46, 2), (45, 3), (30, 3), (29, 4), (0, 4)]
)
def test_level_by_total(total, level):
    answers = answers_for_total(GBT, total, keep=() if total < 2 else ("B.3.9",))
    result = score(GBT, answers, Adjustments())
    assert (result.total, result.level) == (total, level)


def test_dementia_raises_one_level():
    assert score(GBT, answers_for_total(GBT, 70), Adjustments(dementia_or_psychiatric=True)).level == 2


def test_dementia_and_two_falls_single_or_cumulative():
    answers = answers_for_total(GBT, 70)
    both = Adjustments(dementia_or_psychiatric=True, risk_events_30_days=2)
    assert score(GBT, answers, both).level == 2
    cumulative = copy.deepcopy(GBT)
    cumulative["settings"]["raise_mode"] = "cumulative"
    assert score(cumulative, answers, both).level == 3


def test_raise_is_capped_at_total_disability():
    assert score(GBT, answers_for_total(GBT, 20), Adjustments(dementia_or_psychiatric=True)).level == 4


def test_one_risk_event_does_not_raise():
    assert score(GBT, answers_for_total(GBT, 70), Adjustments(risk_events_30_days=1)).level == 1


def test_coma_is_total_disability_whatever_the_total():
    answers = answers_for_total(GBT, 87) | {"B.3.9": "coma"}  # B.3.9 drops from 2 points to 0
    result = score(GBT, answers, Adjustments())
    assert (result.total, result.preliminary_level, result.level) == (85, 1, 4)


def test_stupor_scores_zero_but_is_not_coma():
    answers = maxima(GBT) | {"B.3.9": "0"}
    result = score(GBT, answers, Adjustments())
    assert (result.total, result.level) == (88, 1)


def test_three_point_items_accept_three_and_refuse_four():
    assert check_answers(GBT, maxima(GBT) | {"B.2.4": "3", "B.4.4": "3"}, complete=True) == {}
    errors = check_answers(GBT, maxima(GBT) | {"B.2.4": "4"}, complete=True)
    assert list(errors) == ["B.2.4"] and "上下楼梯" in errors["B.2.4"]


@pytest.mark.parametrize(
    ("item", "good", "bad"), [("B.3.7", ["0", "1"], "2"), ("B.3.8", ["0", "1"], "2"), ("B.3.9", ["0", "1", "2"], "3")]
)
def test_binary_and_ternary_items(item, good, bad):
    for value in good:
        assert check_answers(GBT, maxima(GBT) | {item: value}, complete=True) == {}
    assert item in check_answers(GBT, maxima(GBT) | {item: bad}, complete=True)


def test_missing_items_are_named():
    answers = maxima(GBT)
    del answers["B.1.3"]
    assert "B.1.3" in check_answers(GBT, answers, complete=True)
    assert check_answers(GBT, answers, complete=False) == {}


MZT = shipped_latest(MZT_039)


def test_mzt039_intact():
    answers = {item["code"]: min(item["options"], key=lambda o: o["points"])["code"] for item in items(MZT)}
    answers.update(
        {
            c: max(i["options"], key=lambda o: o["points"])["code"]
            for c, i in ((i["code"], i) for i in items(MZT))
            if c.startswith("B.1")
        }
    )
    result = score(MZT, answers, Adjustments())
    assert result.dimension_grades == {"B.1": 0, "B.2": 0, "B.3": 0, "B.4": 0} and result.level == 0


def test_mzt039_gap_goes_to_manual_review():
    best = {item["code"]: min(item["options"], key=lambda o: o["points"])["code"] for item in items(MZT)}
    best.update(
        {
            f"B.1.{n}": max(i["options"], key=lambda o: o["points"])["code"]
            for n, i in enumerate([i for i in items(MZT) if i["code"].startswith("B.1.")], start=1)
        }
    )
    worst_social = best | {f"B.4.{n}": "4" for n in range(1, 6)}  # ADL 0, MS 0, SC 0, SP 3
    result = score(MZT, worst_social, Adjustments())
    assert result.dimension_grades["B.4"] == 3 and result.level is None and result.needs_review


def test_mzt039_coma_is_severe_and_severe_is_not_raised():
    answers = {item["code"]: min(item["options"], key=lambda o: o["points"])["code"] for item in items(MZT)}
    answers["B.3.1"] = "3"
    assert score(MZT, answers, Adjustments()).level == 3
    answers["B.3.1"] = "0"  # ADL 0 points → grade 3 → 重度; a diagnosis changes nothing
    assert score(MZT, answers, Adjustments(dementia_or_psychiatric=True)).level == 3


LTC = shipped_latest(LTC_2021)


def test_ltc_combination_uses_the_worse_of_cognition_and_perception():
    answers = maxima(LTC)
    assert score(LTC, answers, Adjustments()).level == 0
    answers.update({"C3.1": "0", "C3.2": "0", "C3.3": "0"})  # perception 0 → grade 3
    assert score(LTC, answers, Adjustments()).level == 1
    worst = {item["code"]: min(item["options"], key=lambda o: o["points"])["code"] for item in items(LTC)}
    assert score(LTC, worst, Adjustments()).level == 5
