"""Every seed rule pinned with the worked cases of issue 5 (and ../shared/seeds/003 §三(一))."""

import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from laoxiao.benefits.rules import decide

PROGRAMMES = Path(__file__).resolve().parents[2] / "laoxiao" / "benefits" / "programmes"


def rule(code):
    return json.loads((PROGRAMMES / f"{code}.json").read_text(encoding="utf-8"))["rule"]


HOME = {
    "facility.kind": "care_home",
    "facility.ownership": "private",
    "facility.registered": True,
    "facility.status": "operating",
}


def test_new_beds_5000_each_paid_3_3_4():
    decision = decide(
        rule("baotou-construction-new"),
        HOME | {"application.construction": "new", "application.beds": 100, "floor_area_m2": 3000},
    )
    assert decision.amount == D(500_000) and decision.instalments == [D(150_000), D(150_000), D(200_000)]


def test_beds_are_capped_by_30_square_metres_each():
    decision = decide(
        rule("baotou-construction-new"),
        HOME | {"application.construction": "new", "application.beds": 100, "floor_area_m2": 2400},
    )
    assert decision.amount == D(400_000)  # 2400 m² holds 80 beds


def test_renovated_beds_2000_each():
    decision = decide(
        rule("baotou-construction-renovated"),
        HOME | {"application.construction": "renovated", "application.beds": 50, "floor_area_m2": 1500},
    )
    assert decision.amount == D(100_000) and decision.instalments == [D(30_000), D(30_000), D(40_000)]
    public = decide(
        rule("baotou-construction-new"),
        HOME
        | {
            "facility.ownership": "public",
            "application.construction": "new",
            "application.beds": 10,
            "floor_area_m2": 300,
        },
    )
    assert not public.eligible


def test_80_occupied_beds_for_a_month():
    assert decide(rule("baotou-operating"), HOME | {"facility.beds_occupied": 80}).amount == D(8000)


@pytest.mark.parametrize(
    ("level", "years", "amount"),
    [
        ("intermediate", 3, 300),
        ("junior", 2, 100),
        ("senior", 5, 500),
        # 技师 and 高级技师 rank above 高级, the highest level the Baotou document names: paid as 高级.
        ("technician", 3, 500),
        ("senior_technician", 3, 500),
        ("intermediate", 1, None),
        (None, 4, None),
    ],
)
def test_caregiver_allowance(level, years, amount):
    facts = {
        "staff.role": "caregiver",
        "staff.on_staff": True,
        "staff.certificate_level": level,
        "staff.years_of_care_work": years,
    }
    decision = decide(rule("baotou-caregiver-allowance"), facts)
    assert decision.eligible == (amount is not None)
    if amount:
        assert decision.amount == D(amount)


def test_day_care_centre_needs_150_square_metres():
    facts = {"facility.kind": "day_care_center", "application.construction": "new"}
    assert decide(rule("baotou-day-care-centre"), facts | {"floor_area_m2": 150}).amount == D(100_000)
    refused = decide(rule("baotou-day-care-centre"), facts | {"floor_area_m2": 120})
    assert not refused.eligible and "建筑面积" in refused.reasons[0]


def test_service_station_and_rural_mutual_aid_house():
    station = {"facility.kind": "community_center", "application.construction": "new", "floor_area_m2": 100}
    assert decide(rule("baotou-service-station"), station).amount == D(50_000)
    house = {"facility.kind": "rural_happiness_house", "application.construction": "new"}
    assert decide(rule("baotou-rural-mutual-aid"), house | {"application.households": 50}).amount == D(200_000)
    assert not decide(rule("baotou-rural-mutual-aid"), house | {"application.households": 49}).eligible


def test_liability_insurance_premium_split_5_3_2():
    decision = decide(rule("baotou-liability-insurance"), {"facility.registered": True, "application.premium": 10_000})
    assert decision.shares_by_level == {"region": D(5000), "city": D(3000), "county": D(2000)}


def test_inclusive_childcare_place_10000_each():
    facts = {"facility.kind": "childcare_center", "facility.is_inclusive": True, "application.new_inclusive_places": 60}
    assert decide(rule("national-inclusive-place"), facts).amount == D(600_000)


def test_advanced_age_allowance_by_band():
    allowance = rule("advanced-age-allowance")
    assert [decide(allowance, {"person.age": age, "person.active": True}).amount for age in (80, 95, 101)] == [
        D(100),
        D(200),
        D(500),
    ]
    assert not decide(allowance, {"person.age": 79, "person.active": True}).eligible
    assert not decide(allowance, {"person.age": 85, "person.active": False}).eligible


def _elder(**facts):
    return {
        "person.age": 75,
        "person.active": True,
        "person.economically_poor": False,
        "person.extreme_poverty": False,
        "person.family_planning_special": False,
        "person.ability_level": 0,
    } | facts


@pytest.mark.parametrize(
    ("facts", "amount"),
    [
        ({"person.extreme_poverty": True, "person.economically_poor": True, "person.ability_level": 2}, 800),
        ({"person.extreme_poverty": True, "person.economically_poor": True}, 400),
        ({"person.economically_poor": True, "person.ability_level": 3}, 600),
        ({"person.economically_poor": True}, 300),
        ({"person.family_planning_special": True}, 300),
        ({"person.age": 82, "person.ability_level": 3}, 200),
    ],
)
def test_home_care_allowance_takes_the_first_matching_case(facts, amount):
    """The demo amounts of programmes/home-care-service-allowance.json, case by case, in its order."""
    assert decide(rule("home-care-service-allowance"), _elder(**facts)).amount == D(amount)


def test_home_care_allowance_gives_nothing_outside_its_cases():
    decision = decide(rule("home-care-service-allowance"), _elder(**{"person.age": 82, "person.ability_level": 2}))
    assert not decision.eligible


@pytest.mark.django_db
def test_every_shipped_rule_reads_in_words_with_no_code_left(settings):
    import re
    from pathlib import Path

    from laoxiao.benefits.rule_text import rule_text

    for path in sorted(Path("laoxiao/benefits/programmes").glob("*.json")):
        text = rule_text(json.loads(path.read_text())["rule"])
        lines = text.conditions + text.amounts
        assert lines and not [line for line in lines if re.search(r"[a-z_]{3,}", line)], (path.name, lines)
    age = rule_text(rule("advanced-age-allowance"))
    assert age.conditions == ["年龄 ≥ 80", "在册（未去世、未迁出）"]
    assert age.amounts == ["年龄 80–89 — 100 元", "年龄 90–99 — 200 元", "年龄 100–150 — 500 元"]
