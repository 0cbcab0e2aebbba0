"""The rules of home care in one place: verification thresholds, the offer time limit, visit frequencies
by category and meal subsidies (rules.json, or the file LAOXIAO_HOMECARE_RULES names), and the pure
functions that apply them. tests/homecare/test_homecare_rules.py pins each number to its source."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from laoxiao.core.identifiers import age_on
from laoxiao.homecare.models import ServiceKind
from laoxiao.people.models import ElderlyProfile

SHIPPED = Path(__file__).with_name("rules.json")
CATALOGUE = Path(__file__).with_name("catalogue.json")
EARTH_RADIUS_M = 6_371_000
# Orders made for a person (from a visit, from a care plan) are booked at this hour; the provider may move them.
BOOKED_HOUR = 9


@cache
def config() -> dict[str, Any]:
    path = getattr(settings, "LAOXIAO_HOMECARE_RULES", "") or SHIPPED
    return json.loads(Path(path).read_text(encoding="utf-8"))


def device_clock_skew() -> dt.timedelta:
    """How far a phone's clock may run ahead of the server's: a queued action may be hours old, but
    never in the future."""
    return dt.timedelta(minutes=config()["verification"]["device_ahead_minutes"])


def max_quantity() -> Decimal:
    """The most hours (or times) of a service one order may ask for."""
    return Decimal(config()["booking"]["max_quantity"])


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> int:
    """Great-circle distance in metres (haversine), close enough for a 500 m check."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(math.sqrt(a)))


def too_far(distance: int | None) -> bool:
    return distance is not None and distance > config()["verification"]["max_distance_m"]


def check_in_flags(*, scheduled_start: dt.datetime, at: dt.datetime, distance: int | None) -> list[str]:
    rules = config()["verification"]
    flags = []
    if distance is None:
        flags.append("no_location")
    elif too_far(distance):
        flags.append("far_check_in")
    if at > scheduled_start + dt.timedelta(minutes=rules["late_after_minutes"]):
        flags.append("late")
    elif at < scheduled_start - dt.timedelta(minutes=rules["early_before_minutes"]):
        flags.append("early")
    return flags


def device_time_flags(*, device_at: dt.datetime | None, received_at: dt.datetime) -> list[str]:
    """An action sent from the phone long after its device time was queued offline or made up: either
    way a supervisor looks before it is paid."""
    behind = dt.timedelta(minutes=config()["verification"]["device_behind_minutes"])
    return ["device_time"] if device_at is not None and device_at < received_at - behind else []


def check_out_flags(
    *,
    check_in_at: dt.datetime,
    at: dt.datetime,
    planned_minutes: int,
    distance: int | None,
    tasks_unticked: bool,
    recipient_confirmed: bool,
) -> list[str]:
    """A check-out is always recorded (nothing the caregiver entered is lost); what looks wrong is flagged."""
    rules = config()["verification"]
    flags = []
    if too_far(distance):
        flags.append("far_check_out")
    minutes = (at - check_in_at).total_seconds() / 60
    if minutes < planned_minutes * rules["short_below_share"]:
        flags.append("short")
    elif minutes > planned_minutes * rules["long_above_share"]:
        flags.append("long")
    if tasks_unticked:
        flags.append("no_tasks")
    if not recipient_confirmed:
        flags.append("unconfirmed")
    return flags


def last_bookable_day(today: dt.date) -> dt.date:
    """The furthest day a service may be booked for (rules.json's booking.days_ahead)."""
    return today + dt.timedelta(days=config()["booking"]["days_ahead"])


def service_hours() -> tuple[dt.time, dt.time]:
    """When a visit may start: from `opens` to `closes`, both included (rules.json's booking)."""
    booking = config()["booking"]
    return dt.time.fromisoformat(booking["opens"]), dt.time.fromisoformat(booking["closes"])


def missed_cutoff(now: dt.datetime) -> dt.datetime:
    """Orders that should have started this long before `now` and have no check-in are missed."""
    return now - dt.timedelta(minutes=config()["verification"]["missed_after_minutes"])


def offer_deadline(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(minutes=config()["dispatch"]["offer_minutes"])


def unit_price(kind: ServiceKind, *, allowance: bool) -> Decimal:
    """People with a purchased-service allowance pay the government purchase price, everyone else the 普惠 price."""
    return kind.purchase_price if allowance else kind.inclusive_price


def price_split(
    kind: ServiceKind, quantity: Decimal, allowance_left: Decimal | None
) -> tuple[Decimal, Decimal, Decimal]:
    """An order's unit price, total and the part its allowance pays (at most what is left of it; None:
    no allowance); the person pays the rest."""
    unit = unit_price(kind, allowance=allowance_left is not None)
    total = (unit * quantity).quantize(Decimal("0.01"))
    return unit, total, min(total, allowance_left) if allowance_left is not None else Decimal(0)


def visits_per_month(profile: ElderlyProfile | None) -> int:
    """How often a special-difficulty person is visited: the most frequent of their categories; 0 when
    none of their categories calls for visits."""
    if profile is None:
        return 0
    table = config()["visits_per_month"]
    return max((table.get(c.value, 0) for c in profile.categories()), default=0)


def meal_subsidy(profile: ElderlyProfile | None, birth_date: dt.date, on: dt.date) -> Decimal:
    """The subsidy of the first category in the table the diner falls in (the table is in priority order)."""
    age = age_on(birth_date, on)
    held = {c.value for c in profile.categories()} if profile else set()
    held |= {"age_80_plus"} if age >= 80 else set()
    held |= {"age_60_plus"} if age >= 60 else set()
    for row in config()["meal_subsidy"]:
        if row["category"] in held:
            return Decimal(str(row["per_meal"]))
    return Decimal(0)


def sample_rules() -> dict[str, int]:
    return config()["food_sample"]


def recordable(day: dt.date, *, days_back: int, today: dt.date) -> bool:
    """Whether `day` may still be recorded: today or one of the `days_back` days before (record_window)."""
    return today - dt.timedelta(days=days_back) <= day <= today
