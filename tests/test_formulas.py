"""Pins each computed indicator: on the Yinchuan demo (the document's 2022 figures) and on small fixtures."""

import datetime as dt
from decimal import Decimal

import pytest

from laoxiao.core.models import Area
from laoxiao.demo.generator import Generator
from laoxiao.facilities import services as facility_services
from laoxiao.people.models import Person
from laoxiao.planning.formulas import FORMULAS, measure, measures
from tests import factories

ON = dt.date(2026, 11, 23)


@pytest.fixture
def yinchuan(db):
    Generator(city="yinchuan", scale=0.001, seed=1, today=ON, log=lambda _: None).run()
    return Area.objects.get(code="640100000000")


YINCHUAN_2022 = {
    "nursing_bed_share": "56.9246",  # 5701 / 10015: the document's 56.9%
    "childcare_places_per_1000": "1.0701",  # 3082 / 2,880,000 × 1000: the document's 1.07
    "inclusive_place_share": "25.2758",  # 779 / 3082
    "filed_childcare_centres": "63",
    "community_day_care_coverage": "79.2763",  # 241 of 304 communities: the document's 80%
    "rural_happiness_house_coverage": "76.5101",  # 228 of 298 villages
    "beds_per_1000_elderly": "25.7587",  # 10015 / 388,800 × 1000
}


def test_yinchuan_2022_figures_and_every_formula_by_county(yinchuan):
    for formula, value in YINCHUAN_2022.items():
        assert measure(formula, area=yinchuan, level="city", on=ON)["6401"].value == Decimal(value), formula
    for name in FORMULAS:
        counties = measure(name, area=yinchuan, level="county", on=ON)
        assert set(counties) <= {"640104", "640105", "640106", "640121", "640122", "640181"}, name
        # The dashboard measures the city and its counties (and the snapshots every level) in one go: the
        # figures added up from the longest prefix are those each level's own grouping gives.
        levels = ["city", "county", "township"]
        together = measures(name, area=yinchuan, levels=levels, on=ON)
        alone = {p: m for level in levels for p, m in measure(name, area=yinchuan, level=level, on=ON).items()}
        assert together == alone, name


def test_medical_integration_tekun_and_staff_formulas(areas, xingqing_civil):
    county = Area.objects.get(code=factories.XINGQING)
    clinic = factories.make_facility(by=xingqing_civil, has_clinic=True)
    agreement = factories.make_facility(by=xingqing_civil)
    factories.make_facility(by=xingqing_civil)
    facility_services.medical_agreement_create(
        by=xingqing_civil,
        facility=agreement,
        kind="signed",
        partner_name="兴庆区人民医院",
        signed_on=ON - dt.timedelta(days=30),
        expires_on=None,
    )
    share = measure("medical_care_integration_share", area=county, level="county", on=ON)["640104"]
    assert (share.numerator, share.denominator) == (2, 3)

    housed = factories.make_person(by=xingqing_civil, categories=["extreme_poverty", "disabled"])
    factories.make_person(by=xingqing_civil, categories=["extreme_poverty"], ability_level="3")
    factories.make_person(by=xingqing_civil, categories=["extreme_poverty"])  # not dependent: not counted
    Person.objects.filter(pk=housed.pk).update(facility=clinic)
    rate = measure("tekun_disabled_centralised_rate", area=county, level="county", on=ON)["640104"]
    assert (rate.numerator, rate.denominator, rate.value) == (1, 2, Decimal("50.0000"))

    hired = ON - dt.timedelta(days=400)
    carer = factories.make_caregiver(by=xingqing_civil, facility=clinic, name="甲", hired_on=hired)
    factories.make_caregiver(by=xingqing_civil, facility=clinic, name="乙", age=41, hired_on=hired)
    factories.add_certificate(by=xingqing_civil, staff=carer, number="1", issued_on=ON - dt.timedelta(days=300))
    assert measure("caregiver_talent", area=county, level="county", on=ON)["640104"].value == 2
    certified = measure("certified_rate", area=county, level="county", on=ON)["640104"]
    assert (certified.numerator, certified.denominator) == (1, 2)
    before_hiring = measure("caregiver_talent", area=county, level="county", on=ON - dt.timedelta(days=500))
    assert before_hiring == {}
