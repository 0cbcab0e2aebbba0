"""Home-care dispatch and month-end statements.

Dispatch: 500 providers (each serving one county of Yinchuan) and 2,000 caregivers; each sample is one
whole order_create for an eligible person (allowance drawn under its row lock, nearest suitable provider
found and offered). Baselines in the same run: reading the person by key, and the provider search alone.

Statements: 1,000,000 completed orders in one month across the 500 providers (written straight to the
table, without history, to set the scene), then statements_build for that month; the baseline is one
ungrouped SUM over the same orders.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import time
from collections.abc import Iterator
from decimal import Decimal

from common import add_load_option, conditions, database, headroom, p95, setup_django, summary, timed

PROVIDERS, CAREGIVERS, PEOPLE, ORDERS = 500, 2_000, 2_000, 1_000_000
COUNTIES = ("640104", "640105", "640106", "640121", "640122", "640181")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--orders", type=int, default=ORDERS)
    add_load_option(parser)
    args = parser.parse_args()
    from common import BENCH_DIR

    (BENCH_DIR / "homecare.sqlite3").unlink(missing_ok=True)
    with database(args.db, "homecare.sqlite3") as url:
        setup_django(url)
        scene = build_scene()
        month_of_orders(scene, args.orders)
        runs = {}
        for condition, load in conditions(args):
            print(f"== {condition}")
            with load:
                runs[condition] = dispatch(scene) | statements()
        headroom(runs)


def build_scene() -> dict[str, object]:
    from django.utils import timezone

    from laoxiao.accounts.roles import Role
    from laoxiao.accounts.services import user_create
    from laoxiao.benefits.services import programmes_sync
    from laoxiao.core.models import Area
    from laoxiao.core.personal import sealed
    from laoxiao.core.services import areas_load
    from laoxiao.demo.generator import IdNumbers
    from laoxiao.facilities.models import Facility, FacilityKind, StaffMember, StaffRole
    from laoxiao.homecare.models import Caregiver, Provider, ProviderArea, ServiceKind
    from laoxiao.homecare.providers.services import catalogue_sync
    from laoxiao.people.models import ElderlyProfile, Person

    rng = random.Random(6)
    ids = IdNumbers(rng)
    started = time.perf_counter()
    areas_load(prefix="6401")
    catalogue_sync()
    programmes_sync()
    kinds = list(ServiceKind.objects.all())
    villages = {c: list(Area.objects.filter(level="village", code__startswith=c)) for c in COUNTIES}

    def point() -> tuple[Decimal, Decimal]:
        return Decimal(f"{rng.gauss(38.48, 0.08):.6f}"), Decimal(f"{rng.gauss(106.25, 0.08):.6f}")

    facilities = []
    for n in range(PROVIDERS):
        county = COUNTIES[n % len(COUNTIES)]
        lat, lon = point()
        facilities.append(
            Facility(
                kind=FacilityKind.HOME_CARE_PROVIDER,
                name=f"居家养老服务中心{n:03d}",
                ownership="private",
                profit_status="non_profit",
                address="-",
                area=rng.choice(villages[county]),
                latitude=lat,
                longitude=lon,
            )
        )
    facilities = Facility.objects.bulk_create(facilities)
    providers = Provider.objects.bulk_create([Provider(facility=f, daily_capacity=400) for f in facilities])
    Provider.kinds.through.objects.bulk_create(
        [Provider.kinds.through(provider_id=p.pk, servicekind_id=k.pk) for p in providers for k in kinds]
    )
    ProviderArea.objects.bulk_create(
        [
            ProviderArea(provider=p, area_id=p.facility.area_id[:6] + "000000", prefix=p.facility.area_id[:6])
            for p in providers
        ]
    )
    staff = StaffMember.objects.bulk_create(
        [
            StaffMember(
                facility=facilities[n % PROVIDERS],
                name=f"护理员{n}",
                role=StaffRole.CAREGIVER,
                hired_on=dt.date(2024, 1, 1),
                **sealed("id_number", ids.make("640104", dt.date(1986, 1, 1) + dt.timedelta(days=n), female=True)),
            )
            for n in range(CAREGIVERS)
        ]
    )
    caregivers = Caregiver.objects.bulk_create([Caregiver(staff=s, provider_id=s.facility_id) for s in staff])
    Caregiver.skills.through.objects.bulk_create(
        [Caregiver.skills.through(caregiver_id=c.pk, servicekind_id=k.pk) for c in caregivers for k in kinds]
    )
    people = []
    for n in range(PEOPLE):
        lat, lon = point()
        village = rng.choice(villages[COUNTIES[n % len(COUNTIES)]])
        people.append(
            Person(
                name=f"老人{n}",
                birth_date=dt.date(1945, 1, 1) + dt.timedelta(days=n),
                sex="1",
                address="-",
                area=village,
                latitude=lat,
                longitude=lon,
                **sealed(
                    "id_number", ids.make(village.code[:6], dt.date(1945, 1, 1) + dt.timedelta(days=n), female=False)
                ),
            )
        )
    people = Person.objects.bulk_create(people)
    ElderlyProfile.objects.bulk_create(
        [ElderlyProfile(person=p, extreme_poverty=True, ability_level=3) for p in people]
    )
    worker = user_create(
        username="bench-worker",
        password="bench-password-1",
        role=Role.CIVIL_AFFAIRS,
        area=Area.objects.get(code="640100000000"),
    )
    took = time.perf_counter() - started
    print(f"scene: {PROVIDERS} providers, {CAREGIVERS} caregivers, {PEOPLE} people in {took:.1f} s")
    when = (timezone.localtime() + dt.timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)
    return {"people": people, "kinds": kinds, "worker": worker, "when": when, "providers": providers}


def dispatch(scene: dict[str, object]) -> dict[str, list[float]]:
    from laoxiao.homecare.models import Order
    from laoxiao.homecare.orders import policy as orders_policy
    from laoxiao.homecare.orders import services as orders
    from laoxiao.people.models import Person

    people: list = scene["people"]  # type: ignore[assignment]
    kinds: list = scene["kinds"]  # type: ignore[assignment]
    turn: Iterator[int] = scene.setdefault("turn", itertools.count())  # type: ignore[assignment]  # a run's orders are new

    def one_order() -> None:
        n = next(turn)
        orders.order_create(
            by=scene["worker"],  # type: ignore[arg-type]
            recipient=people[n % len(people)],
            kind=kinds[n % len(kinds)],
            quantity=Decimal(1),
            scheduled_start=scene["when"],  # type: ignore[arg-type]
            channel=Order.Channel.PROXY,
        )

    made = timed(one_order, repeat=500)
    probe = Order.objects.order_by("-id").first()
    assert probe is not None and probe.provider_id is not None
    search = timed(lambda: orders_policy.candidate_providers(probe), repeat=200)
    baseline = timed(lambda: Person.objects.get(pk=people[0].pk), repeat=200)
    print(summary("order_create with dispatch (500 providers)", made))
    print(summary("  provider search alone", search))
    print(summary("  baseline: read one person by key", baseline))
    print(f"dispatch p95 {p95(made):.1f} ms (goal < 50 ms); ×{p95(made) / p95(baseline):.0f} the baseline")
    return {"order_create with dispatch": made, "provider search": search, "read one person": baseline}


MONTH = "2026-10"


def month_of_orders(scene: dict[str, object], count: int) -> None:
    """`count` completed orders in MONTH across the providers, written straight to the table."""
    from laoxiao.core.months import month_bounds
    from laoxiao.homecare.models import Order

    rng = random.Random(8)
    people: list = scene["people"]  # type: ignore[assignment]
    kinds: list = scene["kinds"]  # type: ignore[assignment]
    providers: list = scene["providers"]  # type: ignore[assignment]
    start, _end = month_bounds(MONTH)
    started = time.perf_counter()
    batch = []
    for n in range(count):
        person, kind = people[n % len(people)], kinds[n % len(kinds)]
        share = Decimal(rng.choice((0, 20, 40, 80)))
        total = kind.purchase_price
        drawn = min(share, total)
        at = start + dt.timedelta(minutes=rng.randrange(31 * 24 * 60))
        batch.append(
            Order(
                recipient_id=person.pk,
                area_id=person.area_id,
                kind_id=kind.pk,
                quantity=1,
                unit_price=total,
                total=total,
                allowance_share=drawn,
                personal_share=total - drawn,
                scheduled_start=at,
                planned_minutes=60,
                address="-",
                channel=Order.Channel.PROXY,
                status=Order.Status.COMPLETED,
                provider_id=providers[n % len(providers)].pk,
                check_in_at=at,
                check_out_at=at + dt.timedelta(hours=1),
                disputed=n % 997 == 0,
            )
        )
        if len(batch) == 20_000:
            Order.objects.bulk_create(batch)
            batch = []
    Order.objects.bulk_create(batch)
    print(f"scene: {count:,} completed orders for {MONTH} written in {time.perf_counter() - started:.1f} s")


def statements() -> dict[str, list[float]]:
    """statements_build over MONTH, from none (an earlier run's are removed first, untimed)."""
    from django.db.models import Sum

    from laoxiao.core.months import month_bounds
    from laoxiao.homecare.models import Order, Statement
    from laoxiao.homecare.providers.services import statements_build

    start, _end = month_bounds(MONTH)
    Statement.objects.filter(month=MONTH).delete()
    month_orders = Order.objects.filter(status=Order.Status.COMPLETED, scheduled_start__gte=start)
    count = month_orders.count()
    started = time.perf_counter()
    month_orders.aggregate(Sum("allowance_share"), Sum("personal_share"))
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    built = statements_build(by=None, month=MONTH)
    took = time.perf_counter() - started
    totals = Statement.objects.filter(month=MONTH).aggregate(g=Sum("government_amount"), d=Sum("disputed_amount"))
    print(f"statements_build over {count:,} orders: {built} statements in {took:.2f} s (goal < 30 s)")
    print(f"  baseline: one ungrouped SUM over the same orders {baseline:.2f} s; ×{took / baseline:.1f}")
    print(f"  government owes {totals['g']:,} yuan, {totals['d']:,} held back for disputes")
    return {"statements_build": [took * 1000], "SUM over the month": [baseline * 1000]}


if __name__ == "__main__":
    main()
