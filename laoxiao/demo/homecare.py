"""The demo city's home and community care: visit plans with a year of visits, home-care providers with
caregivers, a year of orders played through the real services (so allowances, verification and statements
are what the platform itself makes) with a few complaints, the coming days' orders, the demo caregiver's
and demo resident's own services, visits that found an emergency (alerts), meal points with diners and a
year of meals, and a few home care beds; then the assessments (demo/assessments.py). Each step is dated
when it happened in the story (demo/story.py).
The city's JSON says how much ("homecare")."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from laoxiao.accounts.models import User
from laoxiao.accounts.roles import Role
from laoxiao.alerts.services import alert_handle
from laoxiao.benefits.services import programmes_sync
from laoxiao.core import areacode
from laoxiao.core.bulk import insert_rows, insert_with_history
from laoxiao.core.identifiers import age_on
from laoxiao.core.months import month_bounds
from laoxiao.core.personal import sealed
from laoxiao.core.scope import area_range_q
from laoxiao.core.writes import writing
from laoxiao.demo.assessments import build_assessments, staff_login
from laoxiao.demo.benefits import months_up_to
from laoxiao.demo.names import person_name
from laoxiao.demo.story import at, bulk_create_at
from laoxiao.facilities.models import Certificate, Facility, FacilityKind, StaffMember, StaffRole
from laoxiao.homecare import rules
from laoxiao.homecare.models import (
    Adaptation,
    Caregiver,
    Device,
    Diner,
    FoodSample,
    HomeCareBed,
    IngredientRecord,
    Meal,
    MealPoint,
    MealRating,
    Order,
    PlannedService,
    Provider,
    ProviderArea,
    ServiceKind,
    Visit,
    VisitPlan,
)
from laoxiao.homecare.orders import policy as orders_policy
from laoxiao.homecare.orders import services as orders
from laoxiao.homecare.providers import services
from laoxiao.homecare.visits import services as visits
from laoxiao.people.models import ElderlyProfile, Person

if TYPE_CHECKING:
    from laoxiao.demo.generator import Generator

ADAPTATIONS = (("卫生间扶手", 680), ("防滑地面", 1200), ("床边护栏", 450), ("淋浴椅", 260), ("夜间感应灯", 180))
DEVICES = (Device.Kind.CALL_BUTTON, Device.Kind.SMOKE, Device.Kind.FALL, Device.Kind.DOOR)
VISITS_CHUNK = 100_000
INGREDIENTS = (
    ("大米", "宁夏塞北雪粮油有限公司", "100 kg"),
    ("面粉", "宁夏塞北雪粮油有限公司", "50 kg"),
    ("食用油", "宁夏塞北雪粮油有限公司", "20 L"),
    ("猪肉", "银川市北环批发市场", "30 kg"),
    ("羊肉", "盐池县滩羊肉业合作社", "15 kg"),
    ("蔬菜", "贺兰县蔬菜种植合作社", "80 kg"),
    ("鸡蛋", "永宁县蛋鸡养殖场", "30 kg"),
)
DISHES = ("土豆烧牛肉", "西红柿炒鸡蛋", "清炒时蔬", "红烧鸡块", "手抓羊肉", "蒸南瓜", "肉末豆腐", "烩小吃")


def build_homecare(gen: Generator) -> None:
    spec = gen.plan.get("homecare")
    if not spec:
        return
    services.catalogue_sync()
    programmes_sync()
    _visit_plans(gen, spec)
    if spec.get("providers_per_county"):
        providers = _providers(gen, spec)
        _orders(gen, spec, providers)
        _meal_points(gen, spec)
        _beds(gen, spec, providers)
        _demo_round(gen)
        _statements(gen)
        _emergencies(gen)
        build_assessments(gen)


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _happened(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """When something done on `day` was done: a demo built in the small hours cannot have today's
    morning visits yet, so those fall on the day before."""
    moment = _moment(day, hour, minute)
    return moment - dt.timedelta(days=1) if moment > timezone.now() else moment


# --- Visits ------------------------------------------------------------------------------------------


def _visitors(gen: Generator) -> dict[str, User]:
    """One community worker per township who visits; they sign in once the bureau gives them a password."""
    visitors = {}
    for township in sorted({areacode.township(v.code) for vs in gen.places.villages.values() for v in vs}):
        user = User(
            username=f"visitor-{township}",
            role=Role.COMMUNITY_WORKER,
            area_id=township + "000",
            first_name=person_name(gen.rng, female=gen.rng.random() < 0.7, birth_year=gen.rng.randint(1970, 1998)),
            department="社区探访员",
        )
        user.set_unusable_password()
        visitors[township] = user
    User.objects.bulk_create(visitors.values())
    return {t: User.objects.get(username=u.username) for t, u in visitors.items()}


def _visit_plans(gen: Generator, spec: dict[str, Any]) -> None:
    """Every special-difficulty older person living at home has had a plan since before the year began;
    `visit_rate` of the visits due in each of the last `activity_months` whole months (and, pro rata, this
    month so far) were made, each dated (with its history row) when it was made."""
    visitors = _visitors(gen)
    profiles = ElderlyProfile.objects.filter(
        area_range_q("person__area_id", gen.plan["code_prefix"]),
        person__status=Person.Status.ACTIVE,
        person__facility__isnull=True,
    ).select_related("person")
    months = [month_bounds(m) for m in months_up_to(gen.today, spec["activity_months"] + 1)]
    began = months[0][0].date()
    plans: list[dict[str, Any]] = []
    for profile in profiles.iterator(chunk_size=2000):
        frequency = rules.visits_per_month(profile)
        if frequency:
            plans.append(
                {
                    "person_id": profile.person_id,
                    "area_id": profile.person.area_id,
                    "visits_per_month": frequency,
                    "visitor_id": visitors[areacode.township(profile.person.area_id)].pk,
                    "starts_on": began - dt.timedelta(days=gen.rng.randint(0, 720)),
                }
            )
    now, rng, rate = timezone.now(), gen.rng, spec["visit_rate"]
    visits, written = [], 0
    with writing():
        insert_with_history(VisitPlan, plans, at=lambda plan: gen.on(plan["starts_on"]))
        bounds = [(first, (after - first).days, timezone.localdate(first)) for first, after in months]
        for plan in plans:  # plan by plan, so that the rows come in the order of the plan indexes
            due = int(plan["visits_per_month"])
            visited: set[dt.date] = set()  # one visit a plan a day (Visit's constraint)
            for first, days, first_day in bounds:
                for i in range(due):
                    offset = (i * days) // due + int(rng.random() * (days // due))  # in the i-th part of the month
                    if first_day + dt.timedelta(days=offset) > gen.today or rng.random() >= rate:
                        continue
                    made = first + dt.timedelta(days=offset, minutes=540 + int(rng.random() * 480))  # 9:00–16:59
                    # a demo built in the small hours has not made this morning's visits yet
                    made = made if made <= now else made - dt.timedelta(days=1)
                    # `made` is in the city's zone already; asking the zone again was 10 s of this loop's 33 profiled
                    day = made.date()
                    if day in visited:
                        continue
                    visited.add(day)
                    visits.append(
                        {
                            "plan_id": plan["id"],
                            "visitor_id": plan["visitor_id"],
                            "visited_at": made,
                            "visited_on": day,
                            "outcome": Visit.Outcome.WELL,
                            "notes": "",
                        }
                    )
            if len(visits) >= VISITS_CHUNK:  # the full city's year is millions of rows: write as they come
                written += insert_rows(Visit, visits, at=lambda visit: visit["visited_at"])  # recorded as made
                visits = []
        written += insert_rows(Visit, visits, at=lambda visit: visit["visited_at"])
    gen.counts["visit_plans"], gen.counts["visits"] = len(plans), written


# --- Providers and orders ----------------------------------------------------------------------------


def _providers(gen: Generator, spec: dict[str, Any]) -> list[Provider]:
    kinds = list(ServiceKind.objects.all())
    facilities = []
    for county in gen.places.counties:
        for n in range(spec["providers_per_county"]):
            village = gen.rng.choice(gen.places.villages[areacode.county(county.code)])
            facilities.append(
                gen._facility(
                    kind=FacilityKind.HOME_CARE_PROVIDER,
                    name=f"{county.name}{'颐康安泰福寿'[n % 5]}{'颐乐康和'[n % 4]}居家养老服务中心",
                    village=village,
                    ownership=Facility.Ownership.PRIVATE,
                    profit=Facility.ProfitStatus.NON_PROFIT,
                    is_inclusive=True,
                )
            )
    facilities = bulk_create_at(facilities, Facility, gen.facility_registered)
    providers = bulk_create_at(
        [Provider(facility=f, daily_capacity=spec["daily_capacity"]) for f in facilities],
        Provider,
        lambda provider: gen.facility_registered(provider.facility),
    )
    for provider in providers:
        provider.kinds.set(kinds)
    ProviderArea.objects.bulk_create(
        [
            ProviderArea(
                provider=p,
                area_id=areacode.at_level(p.facility.area_id, "county"),
                prefix=areacode.county(p.facility.area_id),
            )
            for p in providers
        ]
    )
    members = []
    for facility in facilities:
        for _ in range(spec["caregivers_per_provider"]):
            female = gen.rng.random() < 0.85
            birth = gen._birth(gen.rng.randint(28, 55))
            members.append(
                StaffMember(
                    facility=facility,
                    name=person_name(gen.rng, female=female, birth_year=birth.year),
                    role=StaffRole.CAREGIVER,
                    hired_on=gen.today - dt.timedelta(days=gen.rng.randint(60, 2000)),
                    **sealed("id_number", gen.ids.make(areacode.county(facility.area_id), birth, female=female)),
                )
            )
    members = bulk_create_at(members, StaffMember, lambda member: gen.on(member.hired_on))
    bulk_create_at(
        [
            Certificate(staff=m, kind=Certificate.Kind.CAREGIVER, level=Certificate.Level.JUNIOR, issued_on=m.hired_on)
            for m in members
            if gen.rng.random() < 0.8
        ],
        Certificate,
        lambda certificate: gen.on(certificate.issued_on),
    )
    accounts = {f"provider-{f.pk}": f.pk for f in facilities} | {f"caregiver-{m.pk}": m.facility_id for m in members}
    names = {f"provider-{f.pk}": f"{f.name}负责人" for f in facilities} | {f"caregiver-{m.pk}": m.name for m in members}
    users = User.objects.bulk_create([_account(name, names[name]) for name in accounts])
    for user in users:
        user.organisations.set([accounts[user.username]])
    logins = {u.username: u for u in users}
    caregivers = bulk_create_at(
        [Caregiver(staff=m, provider_id=m.facility_id, user=logins[f"caregiver-{m.pk}"]) for m in members],
        Caregiver,
        lambda caregiver: gen.on(caregiver.staff.hired_on),
    )
    for caregiver in caregivers:
        caregiver.skills.set(kinds)
    gen.counts["homecare_providers"], gen.counts["caregivers"] = len(providers), len(caregivers)
    return providers


def _orders(gen: Generator, spec: dict[str, Any], providers: list[Provider]) -> None:
    """A year of orders (half of them last month), each played through ordering, acceptance, check-in and
    check-out at the time it happened; then the coming days' orders, on offer or accepted."""
    months = [month_bounds(m) for m in months_up_to(gen.today, 13)[:-1]]  # the year's whole months
    people = list(
        Person.objects.filter(
            area_range_q("area_id", gen.plan["code_prefix"]),
            birth_date__lte=months[0][0].date().replace(year=months[0][0].year - 60),  # 60 a year ago
            status=Person.Status.ACTIVE,
            facility__isnull=True,
            elderly_profile__isnull=False,
        )
        .filter(visitplan__isnull=False)
        .order_by("id")
        .distinct()[:5000]
    )
    kinds = list(ServiceKind.objects.all())
    weights = [8 if k.code in ("meal", "cleaning") else 3 if k.code in ("bathing", "nursing") else 1 for k in kinds]
    # Each order is played through four services; a cap keeps the full city's generation time in bounds.
    count = max(20, min(spec["orders_at_most"], round(spec["orders_per_month"] * gen.scale)))
    owners = {p.pk: User.objects.get(username=f"provider-{p.pk}") for p in providers}
    ordered: set[tuple[int, int, dt.datetime]] = set()  # one open order a person, service and start
    for n in range(count):
        person, kind = gen.rng.choice(people), gen.rng.choices(kinds, weights)[0]
        # half of the past orders last month (its statements are the ones to confirm), half over the year before
        start_of, end_of = months[-1] if n % 2 else gen.rng.choice(months[:-1])
        day = start_of.date() + dt.timedelta(days=gen.rng.randrange((end_of - start_of).days))
        past = n < count * 5 // 6
        if not past:
            day = gen.today + dt.timedelta(days=gen.rng.randint(1, 6))
        start = _moment(day, gen.rng.choice((8, 9, 10, 14, 15)), gen.rng.choice((0, 30)))
        ordered_at = start - dt.timedelta(days=gen.rng.randint(1, 5))
        quantity = Decimal(gen.rng.choice((1, 1, 2))) if kind.unit == ServiceKind.Unit.HOUR else Decimal(1)
        if (person.pk, kind.pk, start) in ordered:
            continue
        ordered.add((person.pk, kind.pk, start))
        with at(ordered_at) as ordered_at:
            order = orders.order_create(
                by=None,
                recipient=person,
                kind=kind,
                quantity=quantity,
                scheduled_start=start,
                channel=gen.rng.choice((Order.Channel.PROXY, Order.Channel.SELF)),
                now=ordered_at,
            )
        if order.provider is None or (not past and gen.rng.random() < 0.4):
            continue
        with at(ordered_at + dt.timedelta(minutes=10)) as accepted_at:  # within the offer time
            order = orders.order_accept(by=owners[order.provider_id], order=order, now=accepted_at)
        if past:
            _visit(gen, order, start)
    _complaints(gen)
    gen.counts["orders"] = Order.objects.count()


def _statements(gen: Generator) -> None:
    """Each whole month's statements, built early the next month, once every order the demo writes is in:
    a statement rebuilt on the page then shows the figures it was built with."""
    for month in months_up_to(gen.today, 13)[:-1]:
        start_of, end_of = month_bounds(month)
        with at(end_of + dt.timedelta(days=2, hours=9)):
            services.statements_build(by=None, month=f"{start_of:%Y-%m}")


def _account(username: str, full_name: str) -> User:
    """A provider's manager or caregiver login; the bureau sets its password when it hands it over."""
    user = User(username=username, role=Role.PROVIDER, first_name=full_name)
    user.set_unusable_password()
    return user


def _visit(gen: Generator, order: Order, start: dt.datetime) -> None:
    """The caregiver's visit: mostly on time and at the door; now and then late, far off or short."""
    user = User.objects.get(caregiver__orders=order)
    roll = gen.rng.random()  # 5% late, 3% early (flagged), the rest within ten minutes
    if roll < 0.05:
        arrived = start + dt.timedelta(minutes=gen.rng.randint(35, 70))
    elif roll < 0.08:
        arrived = start - dt.timedelta(minutes=gen.rng.randint(40, 90))
    else:
        arrived = start + dt.timedelta(minutes=gen.rng.randint(-10, 10))
    far = gen.rng.random() < 0.04
    offset = 0.009 if far else gen.rng.gauss(0, 0.0002)  # 0.009° of latitude is about 1 km
    lat = float(order.latitude) + offset if order.latitude is not None else None
    share = gen.rng.choice((0.4,) + (1.0,) * 19)
    minutes = round(order.planned_minutes * share * gen.rng.uniform(0.9, 1.1))
    _serve(order, user, arrived, latitude=lat, minutes=minutes)
    if gen.rng.random() < 0.6:
        Order.objects.filter(pk=order.pk).update(rating=gen.rng.choice((5, 5, 5, 4, 4, 3)))


def _complaints(gen: Generator) -> None:
    """A few completed services draw a complaint from the community; supervision settles most of them."""
    supervisor = staff_login(
        gen,
        f"homecare-supervision-{gen.plan['code_prefix']}",
        Role.CIVIL_AFFAIRS,
        "民政局养老服务科",
        area=gen.plan["code_prefix"],
    )
    done = list(Order.objects.filter(status=Order.Status.COMPLETED).select_related("recipient").order_by("id"))
    texts = ("护理员迟到且未提前告知", "服务时间明显不足", "打扫不彻底，老人不满意", "服务态度生硬")
    for n, order in enumerate(gen.rng.sample(done, min(len(done), max(3, round(len(done) * 0.02))))):
        worker = User.objects.get(username=f"visitor-{areacode.township(order.area_id)}")
        filed = _after(order, days=gen.rng.randint(1, 3))
        with at(filed):
            complaint = orders.complaint_file(by=worker, order=order, text=gen.rng.choice(texts))
        if n % 3:
            upheld = n % 3 == 1
            resolution = "经核实情况属实，扣减政府购买部分" if upheld else "经回访核实，服务已按标准完成"
            with at(filed + dt.timedelta(days=gen.rng.randint(3, 8))):
                orders.complaint_resolve(by=supervisor, complaint=complaint, upheld=upheld, resolution=resolution)
    # Visits with exceptions before last month have been reviewed (most genuine); last month's wait.
    last_month = (gen.today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    pending = Order.objects.filter(review=Order.Review.PENDING, scheduled_start__date__lt=last_month).order_by("id")
    for n, order in enumerate(pending):
        genuine = n % 5 != 0
        note = "电话回访老人，服务属实" if genuine else "定位与老人家庭住址不符，回访未确认，不予结算"
        with at(_after(order, days=gen.rng.randint(2, 6))):
            orders.order_review(by=supervisor, order=order, genuine=genuine, note=note)


def _after(order: Order, *, days: int) -> dt.datetime:
    """A working morning `days` after the service was done (or due)."""
    done = timezone.localdate(order.check_out_at or order.scheduled_start)
    return _moment(done + dt.timedelta(days=days), 10)


def demo_provider() -> Provider | None:
    """The provider demo-provider manages and demo-caregiver works for (demo/accounts.py): the first one."""
    return Provider.objects.filter(facility__kind=FacilityKind.HOME_CARE_PROVIDER).order_by("pk").first()


def demo_resident(provider: Provider) -> Person | None:
    """The older person demo-resident signs in as: one at home nearer demo-provider's centre than any other
    provider's, so that a service they book is offered to demo-provider first (dispatch offers the nearest
    provider); the nearest 特困 one of those, whose services the allowance on their page pays, else the nearest."""
    site = provider.facility
    if site.latitude is None or site.longitude is None:
        return None
    homes = Person.objects.filter(
        area_range_q("area_id", areacode.county(site.area_id)),
        status=Person.Status.ACTIVE,
        facility__isnull=True,
        elderly_profile__isnull=False,
        latitude__isnull=False,
        longitude__isnull=False,
    ).values_list("pk", "latitude", "longitude", "elderly_profile__extreme_poverty")
    sites = Provider.objects.exclude(pk=provider.pk).values_list("facility__latitude", "facility__longitude")
    others = [(float(lat), float(lon)) for lat, lon in sites if lat is not None and lon is not None]
    lat, lon = float(site.latitude), float(site.longitude)

    def away(home: tuple[Any, Any, Any, bool]) -> tuple[bool, float, int]:  # (pk, latitude, longitude, 特困)
        here = (float(home[1]), float(home[2]))
        ours = rules.distance_m(lat, lon, *here)
        allowance_and_ours = home[3] and all(ours <= rules.distance_m(*other, *here) for other in others)
        return not allowance_and_ours, ours, home[0]

    chosen = min(homes, key=away, default=None)
    return Person.objects.get(pk=chosen[0]) if chosen else None


def _demo_round(gen: Generator) -> None:
    """What the demo accounts open on first login, whatever day the demo is built: demo-caregiver's round
    today (one visit done, one under way, two to come) and on the coming days; and demo-resident's own
    services from demo-provider: done in the past months, one rated, one waiting for their rating."""
    provider = demo_provider()
    caregiver = Caregiver.objects.filter(provider=provider).order_by("id").first() if provider else None
    resident = demo_resident(provider) if provider else None
    if provider is None or caregiver is None or resident is None:
        return
    owner, user = User.objects.get(username=f"provider-{provider.pk}"), User.objects.get(caregiver=caregiver)
    nearby = list(
        Person.objects.filter(
            area_range_q("area_id", areacode.county(provider.facility.area_id)),
            birth_date__lte=dt.date(gen.today.year - 61, 1, 1),
            status=Person.Status.ACTIVE,
            facility__isnull=True,
            elderly_profile__isnull=False,
        )
        .exclude(pk=resident.pk)
        .order_by("id")[:300]
    )
    kinds = {k.code: k for k in ServiceKind.objects.all()}

    def book(person: Person, day: dt.date, hour: int, code: str) -> tuple[Order, dt.datetime]:
        start = _moment(day, hour)
        while orders_policy.same_order(recipient=person, kind=kinds[code], scheduled_start=start):  # booked by _orders
            start += dt.timedelta(minutes=30)
        with at(start - dt.timedelta(days=1)) as ordered_at:
            order = orders.order_create(
                by=None,
                recipient=person,
                kind=kinds[code],
                quantity=Decimal(1),
                scheduled_start=start,
                channel=Order.Channel.PROXY,
                provider=provider,
                now=ordered_at,
            )
            return orders.order_accept(by=owner, order=order, caregiver=caregiver, now=ordered_at), start

    round_ = ((8, "cleaning"), (10, "bathing"), (14, "nursing"), (16, "caring_visit"))
    for n, ((hour, code), person) in enumerate(zip(round_, gen.rng.sample(nearby, len(round_)), strict=False)):
        order, start = book(person, gen.today, hour, code)
        if start > timezone.now():  # a demo built before the round began has all of it to come
            continue
        if n == 0:  # the morning's: one checked out, one checked in
            _serve(order, user, start - dt.timedelta(minutes=5))
        elif n == 1:
            with at(start):
                orders.order_check_in(
                    by=user, order=order, latitude=_float(order.latitude), longitude=_float(order.longitude), now=start
                )
    for ahead in range(1, 4):  # the coming days' visits
        for hour, code in round_[:: 1 + ahead % 2]:
            book(gen.rng.choice(nearby), gen.today + dt.timedelta(days=ahead), hour, code)
    worker = User.objects.get(username=f"visitor-{areacode.township(resident.area_id)}")  # who took their call
    born = resident.birth_date
    turned_60 = (
        dt.date(born.year + 60, 3, 1) if (born.month, born.day) == (2, 29) else born.replace(year=born.year + 60)
    )
    for back, code in ((45, "cleaning"), (20, "bathing"), (6, "cleaning")):
        day = max(gen.today - dt.timedelta(days=back), turned_60)  # home care begins at 60
        if day >= gen.today:
            continue
        order, start = book(resident, day, 9, code)
        order = _serve(order, user, start)
        if back > 10:  # the latest waits for the resident's rating
            with at(start + dt.timedelta(days=1)):
                orders.order_rate(by=worker, order=order, rating=5, comment="护理员很耐心")
    gen.counts["visits_today"] = len(round_)


def _serve(
    order: Order, user: User, arrived: dt.datetime, *, latitude: float | None = None, minutes: int | None = None
) -> Order:
    """The caregiver checks in at the door (or at `latitude`) and out after `minutes` (the planned time),
    the person confirming."""
    lat = latitude if latitude is not None else _float(order.latitude)
    lon = _float(order.longitude)
    with at(arrived):
        order = orders.order_check_in(by=user, order=order, latitude=lat, longitude=lon, now=arrived)
    left = arrived + dt.timedelta(minutes=order.planned_minutes if minutes is None else minutes)
    with at(left):
        return orders.order_check_out(
            by=user,
            order=order,
            latitude=lat,
            longitude=lon,
            tasks_done=order.kind.tasks,
            notes="",
            recipient_confirmed=True,
            now=left,
        )


def _float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _emergencies(gen: Generator) -> None:
    """Visits of the past year (half of them this week) that found an emergency raise alerts (those older
    than two days handled); a few found a need and ordered the service."""
    sixty_a_year_ago = VisitPlan.objects.filter(person__birth_date__lte=dt.date(gen.today.year - 61, 1, 1))
    ids = list(sixty_a_year_ago.order_by("id").values_list("id", flat=True))
    chosen = gen.rng.sample(ids, min(len(ids), max(8, round(120 * gen.scale))))
    plans = VisitPlan.objects.select_related("person", "visitor").in_bulk(chosen)
    cleaning = ServiceKind.objects.get(code="cleaning")
    found = (  # what the visitor found, and (for an emergency) what the desk did about it
        ("老人在家中跌倒，无法自行起身", Visit.Outcome.EMERGENCY, "已拨打120送医，通知子女到医院陪护"),
        ("独居老人发热不退，已联系家属", Visit.Outcome.EMERGENCY, "社区医生上门诊治，家属当晚到场照看"),
        ("家中卫生状况差，需要助洁", Visit.Outcome.NEEDS_HELP, ""),
    )
    for n, plan in enumerate(plans[pk] for pk in chosen):
        notes, outcome, handling = found[n % len(found)]
        day = gen.today - dt.timedelta(days=gen.rng.randint(0, 6) if n % 2 else gen.rng.randint(7, 360))
        moment = _happened(day, gen.rng.randint(9, 11))
        while Visit.objects.filter(plan=plan, visited_on=timezone.localdate(moment)).exists():  # one visit a day
            moment -= dt.timedelta(days=1)
        day = timezone.localdate(moment)
        with at(moment) as visited_at:  # the alert is raised by that visit
            visit = visits.visit_record(
                by=plan.visitor,
                plan=plan,
                visited_at=visited_at,
                outcome=outcome,
                notes=notes,
                needed=cleaning if outcome == Visit.Outcome.NEEDS_HELP else None,
            )
        if visit.alert is not None and day < gen.today - dt.timedelta(days=2):
            with at(visited_at + dt.timedelta(hours=gen.rng.randint(1, 4))):  # the desk's handling that day
                alert_handle(by=plan.visitor, alert=visit.alert, note=handling)
    gen.counts["alerts"] = Visit.objects.filter(alert__isnull=False).count()


# --- Meal points and home care beds ------------------------------------------------------------------


def _meal_points(gen: Generator, spec: dict[str, Any]) -> None:
    """Every `meal_point_every`-th community centre runs a meal point; its neighbours (up to
    `meal_diners_per_point`) registered there over the past years, and each has lunch there on
    `meal_attendance` of the days since, over the last `activity_months` whole months and this one."""
    centres = list(
        Facility.objects.filter(
            area_range_q("area_id", gen.plan["code_prefix"]), kind=FacilityKind.COMMUNITY_CENTER
        ).order_by("id")[:: spec["meal_point_every"]]
    )
    points = bulk_create_at(
        [MealPoint(facility=c, meal_price=Decimal(15), delivery_fee=Decimal(3)) for c in centres],
        MealPoint,
        lambda point: gen.facility_registered(point.facility),
    )
    began = month_bounds(months_up_to(gen.today, spec["activity_months"] + 1)[0])[0]
    days = [gen.today - dt.timedelta(days=back) for back in range(1, (gen.today - timezone.localdate(began)).days + 1)]
    rng, attendance, subsidies = gen.rng, spec["meal_attendance"], {}
    meals = []
    for point in points:  # a few dozen points: one query each for the neighbours who eat there
        neighbours = list(
            Person.objects.filter(area_id=point.facility.area_id, elderly_profile__isnull=False, facility__isnull=True)
            .select_related("elderly_profile")
            .order_by("id")[: spec["meal_diners_per_point"]]
        )
        diners = [
            Diner(point=point, person=p, registered_on=gen.today - dt.timedelta(days=rng.randint(20, 1500)))
            for p in neighbours
        ]
        diners = bulk_create_at(diners, Diner, lambda diner: gen.on(diner.registered_on))
        prices = {Meal.Mode.EAT_IN: point.meal_price, Meal.Mode.DELIVERED: point.meal_price + point.delivery_fee}
        for diner in diners:
            person, diner_id = diner.person, diner.pk
            for day in days:
                if day < diner.registered_on:
                    break
                if rng.random() >= attendance:
                    continue
                mode = Meal.Mode.DELIVERED if rng.random() < 0.3 else Meal.Mode.EAT_IN
                # the subsidy changes only with the diner's age (at 60 and at 80)
                key = (diner_id, mode, age_on(person.birth_date, day))
                if key not in subsidies:
                    subsidies[key] = min(
                        prices[mode], rules.meal_subsidy(person.elderly_profile, person.birth_date, day)
                    )
                subsidy = subsidies[key]
                meals.append(
                    {
                        "point_id": point.facility_id,
                        "diner_id": diner_id,
                        "served_on": day,
                        "sitting": Meal.Sitting.LUNCH,
                        "mode": mode,
                        "price": prices[mode],
                        "subsidy": subsidy,
                        "paid": prices[mode] - subsidy,
                    }
                )
    insert_rows(Meal, meals)
    _kitchens(gen, points, days)
    gen.counts["meal_points"], gen.counts["meals"] = len(points), len(meals)


def _kitchens(gen: Generator, points: list[MealPoint], days: list[dt.date]) -> None:
    """What each point's kitchen keeps on record: the week's deliveries with their inspection papers
    (食材可溯), a sample of each day's lunch (安全可查), and now and then a diner's rating (质量可评)."""
    rng, keep = gen.rng, dt.timedelta(hours=rules.sample_rules()["keep_hours"])
    grams = rules.sample_rules()["min_grams"] + 25
    deliveries, samples, ratings = [], [], []
    for point in points:
        diners = list(point.diners.values_list("person_id", flat=True))
        for day in days:
            if day.weekday() == 0:  # Monday's deliveries
                for item, supplier, quantity in rng.sample(INGREDIENTS, 2):
                    deliveries.append(
                        {
                            "point_id": point.pk,
                            "received_on": day,
                            "item": item,
                            "supplier": supplier,
                            "quantity": quantity,
                            "certificate": f"NX{day:%Y%m%d}{rng.randint(1000, 9999)}",
                        }
                    )
            samples.append(
                {
                    "point_id": point.pk,
                    "sampled_on": day,
                    "sitting": Meal.Sitting.LUNCH,
                    "dish": rng.choice(DISHES),
                    "grams": grams,
                    "kept_until": _moment(day, 12) + keep,
                    "kept_by": "食堂留样员",
                }
            )
            if diners and rng.random() < 0.08:
                ratings.append(
                    {
                        "point_id": point.pk,
                        "person_id": rng.choice(diners),
                        "rated_on": day,
                        "score": rng.choice((5, 5, 4, 4, 3)),
                        "comment": rng.choice(("饭菜可口", "味道偏咸", "送餐准时", "")),
                    }
                )
    insert_with_history(IngredientRecord, deliveries, at=lambda row: _happened(row["received_on"], 8))
    insert_with_history(FoodSample, samples, at=lambda row: _happened(row["sampled_on"], 12, 30))
    insert_rows(MealRating, ratings)


def _beds(gen: Generator, spec: dict[str, Any], providers: list[Provider]) -> None:
    """Home care beds for severely disabled people living at home, each adapted, planned and monitored."""
    candidates = list(
        ElderlyProfile.objects.filter(
            area_range_q("person__area_id", gen.plan["code_prefix"]),
            ability_level__gte=3,
            person__facility__isnull=True,
        ).values_list("person_id", "person__area_id")[: spec["home_care_beds"]]
    )
    by_county = defaultdict(list)
    for provider in providers:
        by_county[areacode.county(provider.facility.area_id)].append(provider)
    nursing = ServiceKind.objects.get(code="nursing")
    made = 0
    for person_id, area_id in candidates:
        if not by_county.get(areacode.county(area_id)):
            continue
        contracted = gen.today - dt.timedelta(days=gen.rng.randint(40, 300))
        with at(gen.on(contracted)):
            bed = HomeCareBed.objects.create(
                person_id=person_id,
                area_id=area_id,
                provider=gen.rng.choice(by_county[areacode.county(area_id)]),
                status=HomeCareBed.Status.ACTIVE,
                contracted_on=contracted,
                activated_on=contracted + dt.timedelta(days=30),
            )
            for item, cost in gen.rng.sample(ADAPTATIONS, 3):
                Adaptation.objects.create(
                    bed=bed, item=item, cost=Decimal(cost), completed_on=contracted + dt.timedelta(days=20)
                )
            PlannedService.objects.create(bed=bed, kind=nursing, times_per_month=8)
            for n, kind in enumerate(DEVICES[: gen.rng.randint(2, 4)]):
                Device.objects.create(
                    bed=bed, kind=kind, serial=f"YL{bed.pk:06d}{n}", installed_on=contracted + dt.timedelta(days=25)
                )
        made += 1
    gen.counts["home_care_beds"] = made
