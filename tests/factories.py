"""Realistic Chinese test data (Faker zh_CN) built through the real services."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone
from faker import Faker

from laoxiao.accounts.models import User
from laoxiao.accounts.roles import Role
from laoxiao.accounts.services import user_create
from laoxiao.assessments import services as assessment_services
from laoxiao.assessments.instruments import GBT_42195, shipped_latest
from laoxiao.assessments.models import Assessment
from laoxiao.assessments.scoring import items
from laoxiao.core.divisions import DATA_DIR
from laoxiao.core.identifiers import id_check_char
from laoxiao.core.models import Area
from laoxiao.demo.uscc import make_uscc
from laoxiao.facilities import services as facility_services
from laoxiao.facilities.models import Facility, StaffMember
from laoxiao.homecare.models import Order, ServiceKind
from laoxiao.homecare.orders import services as orders
from laoxiao.people import services as people_services
from laoxiao.people.importing import COLUMNS
from laoxiao.people.models import Person

fake = Faker("zh_CN")
rng = random.Random(7)

CITY = "640100000000"
XINGQING = "640104000000"
JINFENG = "640106000000"
XINGQING_TOWNSHIP = "640104001000"  # 凤凰北街街道
XINGQING_VILLAGE = "640104001002"  # 崇安社区
JINFENG_TOWNSHIP = "640106001000"
JINFENG_VILLAGE = "640106001002"  # 中强巷社区

_serial = itertools.count()


def load_test_areas() -> None:
    """银川市 with 兴庆区 and 金凤区, one street each and its communities, from the shipped table."""
    wanted = {"640000000000", CITY, XINGQING, JINFENG}
    with (DATA_DIR / "yinchuan.csv").open(encoding="utf-8") as handle:
        rows = [
            r
            for r in csv.DictReader(handle)
            if r["code"] in wanted or r["code"][:9] in (XINGQING_TOWNSHIP[:9], JINFENG_TOWNSHIP[:9])
        ]
    order = {"province": 0, "city": 1, "county": 2, "township": 3, "village": 4}
    for row in sorted(rows, key=lambda r: order[r["level"]]):
        Area.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "level": row["level"], "parent_id": row["parent_code"] or None},
        )


def citizen_id(*, age: int = 70, female: bool = False, county: str = "640104", today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    # Unique for the session: 400 sequence numbers (200–999) a birth date, then the day before; a plain
    # counter ran out after 399 people, and the suite now makes more.
    n = next(_serial)
    birth = today.replace(year=today.year - age, day=1) - dt.timedelta(days=1 + (n // 400) % 360)
    seq = 200 + (n % 400) * 2 + (0 if female else 1)
    first17 = f"{county}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def make_user(role: Role = Role.CIVIL_AFFAIRS, area: str | None = XINGQING, **extra: Any) -> User:
    return user_create(
        username=f"u{rng.randint(0, 10**9)}",
        password="not-a-real-password-1",
        role=role,
        area=Area.objects.get(code=area) if area else None,
        **({"full_name": fake.name()} | extra),
    )


def make_person(*, by: User, area: str = XINGQING_VILLAGE, age: int = 72, female: bool = False, **extra: Any) -> Person:
    values: dict[str, Any] = {
        "name": fake.name(),
        "id_number": citizen_id(age=age, female=female, county=area[:6]),
        "area_code": area,
        "phone": fake.phone_number(),
        "address": fake.street_address(),
    }
    return people_services.person_create(by=by, **(values | extra))


def facility_values(*, area: str = XINGQING_VILLAGE, **extra: Any) -> dict[str, Any]:
    return {
        "name": fake.company_prefix() + "颐养院",
        "kind": "care_home",
        "ownership": "private",
        "profit_status": "non_profit",
        "address": fake.street_address(),
        "area_code": area,
        "uscc": make_uscc(rng, legal_form="non_profit", county_code=area[:6]),
        "beds_total": 120,
        "beds_nursing": 70,
        "beds_inclusive": 40,
        "beds_occupied": 90,
        "is_inclusive": True,
        "status": "operating",
        "filing_status": "not_filed",
    } | extra


def make_facility(*, by: User, **extra: Any) -> Facility:
    return facility_services.facility_create(by=by, values=facility_values(**extra))


def make_agency_with_assessors(*, by: User, count: int = 2, area: str = XINGQING_VILLAGE):
    """An assessment organisation (in 兴庆区 unless `area` says) with `count` qualified assessors."""
    from laoxiao.assessments.models import Assessor

    agency = make_facility(
        by=by,
        area=area,
        kind="assessment_agency",
        name=fake.company_prefix() + "老年人能力评估中心",
        beds_total=0,
        beds_nursing=0,
        beds_inclusive=0,
        beds_occupied=0,
        is_inclusive=False,
    )
    assessors = []
    for n in range(count):
        user = make_user(Role.ASSESSOR, None)
        user.organisations.set([agency])
        qualification = Assessor.Qualification.NURSE if n == 0 else Assessor.Qualification.ASSESSOR_CERTIFICATE
        assessors.append(
            Assessor.objects.create(user=user, organisation=agency, qualification=qualification, years_of_practice=6)
        )
    return agency, assessors


def make_caregiver(
    *, by: User, facility: Facility, name: str = "", age: int = 40, female: bool = False, **extra: Any
) -> StaffMember:
    """A caregiver on the staff of `facility`, hired on 1 January 2020 unless `hired_on` says."""
    values = {"hired_on": dt.date(2020, 1, 1)} | extra
    return facility_services.staff_member_create(
        by=by,
        facility=facility,
        name=name or fake.name(),
        role="caregiver",
        id_number=citizen_id(age=age, female=female),
        **values,
    )


def add_certificate(*, by: User, staff: StaffMember, level: str = "junior", **extra: Any) -> None:
    """A 养老护理员 vocational certificate issued on 1 January 2020, never expiring unless `expires_on` says."""
    values = {"number": "", "issued_on": dt.date(2020, 1, 1), "expires_on": None} | extra
    facility_services.certificate_create(by=by, staff=staff, kind="caregiver", level=level, **values)


# Homes and providers in 兴庆区 around 凤凰北街 (38.47 N, 106.28 E).
HOME = (Decimal("38.470000"), Decimal("106.280000"))


def make_provider(
    *,
    by: User,
    name: str = "",
    latitude: str = "38.475",
    longitude: str = "106.285",
    caregivers: int = 1,
    area: str = XINGQING_VILLAGE,
    **extra: Any,
):
    """A home-care provider serving its district (兴庆区 unless `area` says) with every catalogue service and
    `caregivers` caregivers, each with a sign-in account. Returns (provider, [caregiver users]); its desk,
    who takes the orders, is `make_desk(provider)`."""
    from laoxiao.homecare.models import ServiceKind
    from laoxiao.homecare.providers import services as homecare

    homecare.catalogue_sync()
    facility = make_facility(
        by=by,
        kind="home_care_provider",
        name=name or fake.company_prefix() + "居家养老服务中心",
        beds_total=0,
        beds_nursing=0,
        beds_inclusive=0,
        beds_occupied=0,
        latitude=latitude,
        longitude=longitude,
        area=area,
    )
    kinds = list(ServiceKind.objects.all())
    district = area[:6].ljust(12, "0")
    provider = homecare.provider_register(
        by=by, facility=facility, kinds=kinds, area_codes=[district], daily_capacity=extra.get("daily_capacity", 40)
    )
    users = []
    for _n in range(caregivers):
        user = make_user(Role.PROVIDER, None)
        user.organisations.set([facility])
        staff = make_caregiver(by=by, facility=facility, female=True, hired_on=dt.date(2024, 1, 1))
        homecare.caregiver_register(by=by, provider=provider, staff=staff, skills=kinds, username=user.username)
        users.append(User.objects.get(pk=user.pk))  # fresh: organisation_ids is cached
    return provider, users


def make_desk(provider) -> User:
    """The provider's desk: a member of the organisation who is not a caregiver, who accepts, declines and
    assigns its orders."""
    user = make_user(Role.PROVIDER, None)
    user.organisations.set([provider.facility])
    return User.objects.get(pk=user.pk)


def adopt_programmes(*codes: str, city: str = CITY) -> None:
    """The city adopts another city's programmes as its own (tests of the mechanics run Baotou's rules,
    whose documents are the ones with exact amounts, on the Yinchuan test areas)."""
    from laoxiao.benefits.models import Programme

    Programme.objects.filter(code__in=codes).update(city_code=city, city_name=Area.objects.get(code=city).name)


PEOPLE_HEADER = [c.header for c in COLUMNS]


def people_csv(rows, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(PEOPLE_HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def good_row(age=70, categories="独居、低保", level="轻度失能"):
    return [
        fake.name(),
        citizen_id(age=age),
        fake.phone_number(),
        "凤凰北街1号",
        XINGQING_VILLAGE,
        "38.47",
        "106.28",
        categories,
        level,
    ]


GBT = shipped_latest(GBT_42195)


def maxima(definition):
    return {item["code"]: max(item["options"], key=lambda o: o["points"])["code"] for item in items(definition)}


def answers_for_total(definition, total, *, keep=("B.3.9",)):
    """Lower items from their maxima until the total is reached (B.3.9 kept unless asked)."""
    answers = maxima(definition)
    current = sum(max(o["points"] for o in item["options"]) for item in items(definition))
    for item in items(definition):
        if item["code"] in keep:
            continue
        by_points = sorted(item["options"], key=lambda o: o["points"])
        top = by_points[-1]["points"]
        for option in by_points:
            if current - (top - option["points"]) >= total:
                answers[item["code"]] = option["code"]
                current -= top - option["points"]
                break
    assert current == total
    return answers


def complete(case, xingqing_civil, total=50, **adjustments):
    person, assessment, first, second = case
    assessment = assessment_services.assessment_assign(
        by=xingqing_civil, assessment=assessment, assessor_1=first, assessor_2=second
    )
    assessment_services.assessment_save_answers(
        by=first.user, assessment=assessment, answers=answers_for_total(GBT, total), **adjustments
    )
    assessment_services.assessment_sign(by=first.user, assessment=assessment)
    confirm_all(second, assessment)
    return assessment_services.assessment_sign(by=second.user, assessment=assessment)


def confirm_all(second, assessment):
    """The second assessor agrees with every answered item."""
    for item in Assessment.objects.get(pk=assessment.pk).answers:
        assessment_services.assessment_second_opinion(by=second.user, assessment=assessment, item=item, agree=True)


TOMORROW_9 = (timezone.localtime() + dt.timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)


def order_for(by, person, code="bathing", quantity="1", when=TOMORROW_9, **extra):
    return orders.order_create(
        by=by,
        recipient=person,
        kind=ServiceKind.objects.get(code=code),
        quantity=Decimal(quantity),
        scheduled_start=when,
        channel=Order.Channel.PROXY,
        **extra,
    )


def accepted_order(civil, worker, person):
    provider, (caregiver_user,) = make_provider(by=civil)
    order = order_for(worker, person)
    order = orders.order_accept(by=make_desk(provider), order=order)
    return order, caregiver_user


def visit_completed(order, caregiver, minutes=60):
    """A visit with no exception: on time, at the home, the planned time, a task done, confirmed."""
    home = {"latitude": float(HOME[0]), "longitude": float(HOME[1])}
    order = orders.order_check_in(by=caregiver, order=order, now=TOMORROW_9, **home)
    return orders.order_check_out(
        by=caregiver,
        order=order,
        **home,
        tasks_done=order.kind.tasks[:1],
        notes="",
        recipient_confirmed=True,
        now=TOMORROW_9 + dt.timedelta(minutes=minutes),
    )
