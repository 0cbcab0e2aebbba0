"""Pins each computed indicator: on the Yinchuan demo (the document's 2022 figures) and on small fixtures."""

import datetime as dt
from decimal import Decimal

from laoxiao.core.models import Area
from laoxiao.core.scope import system_area_scope
from laoxiao.facilities import services as facility_services
from laoxiao.people.models import Person
from laoxiao.planning.formulas import measure
from tests import factories

ON = dt.date(2026, 11, 23)


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
    share = measure("medical_care_integration_share", scope=system_area_scope(county), level="county", on=ON)["640104"]
    assert (share.numerator, share.denominator) == (2, 3)

    housed = factories.make_person(by=xingqing_civil, categories=["extreme_poverty", "disabled"])
    factories.make_person(by=xingqing_civil, categories=["extreme_poverty"], ability_level="3")
    factories.make_person(by=xingqing_civil, categories=["extreme_poverty"])  # not dependent: not counted
    Person.objects.filter(pk=housed.pk).update(facility=clinic)
    rate = measure("tekun_disabled_centralised_rate", scope=system_area_scope(county), level="county", on=ON)["640104"]
    assert (rate.numerator, rate.denominator, rate.value) == (1, 2, Decimal("50.0000"))

    hired = ON - dt.timedelta(days=400)
    carer = factories.make_caregiver(by=xingqing_civil, facility=clinic, name="甲", hired_on=hired)
    factories.make_caregiver(by=xingqing_civil, facility=clinic, name="乙", age=41, hired_on=hired)
    factories.add_certificate(by=xingqing_civil, staff=carer, number="1", issued_on=ON - dt.timedelta(days=300))
    assert measure("caregiver_talent", scope=system_area_scope(county), level="county", on=ON)["640104"].value == 2
    certified = measure("certified_rate", scope=system_area_scope(county), level="county", on=ON)["640104"]
    assert (certified.numerator, certified.denominator) == (1, 2)
    before_hiring = measure(
        "caregiver_talent", scope=system_area_scope(county), level="county", on=ON - dt.timedelta(days=500)
    )
    assert before_hiring == {}
