"""Every write to a home-care order: ordering against the month's allowance, dispatch to providers,
acceptance, check-in and check-out with their verification, cancellation, rating and complaints.

The allowance row is locked (SELECT … FOR UPDATE) while an order draws on it, so two orders at once
cannot both spend the same balance; the table's check constraint refuses an overdraw besides. The order
row is locked for every step, and its status moves only along ORDER_FLOW (core/transitions.py), so a
step taken twice at once happens once; the order's event log is written beside its status changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from laoxiao.accounts.models import User
from laoxiao.accounts.roles import Role
from laoxiao.benefits.selectors import entitlement
from laoxiao.core.audit import set_actor
from laoxiao.core.months import month_of
from laoxiao.core.scope import scoped
from laoxiao.core.transitions import Workflow, status_change_record, status_changes
from laoxiao.core.writes import service, writing
from laoxiao.homecare import rules
from laoxiao.homecare.models import (
    Allowance,
    Caregiver,
    Complaint,
    Order,
    OrderEvent,
    Provider,
    ServiceKind,
)
from laoxiao.homecare.orders.policy import (
    candidate_providers,
    least_loaded_caregiver,
    order_check,
    ordered_already,
    same_order,
)
from laoxiao.homecare.orders.selectors import dispatches
from laoxiao.people.models import Person
from laoxiao.people.services import person_reveal

S = Order.Status
ORDER_FLOW = Workflow(
    {
        S.UNASSIGNED: {S.OFFERED, S.CANCELLED},
        S.OFFERED: {S.OFFERED, S.UNASSIGNED, S.ACCEPTED, S.CANCELLED},  # declined or lapsed: to the next provider
        S.ACCEPTED: {S.IN_SERVICE, S.CANCELLED},
        S.IN_SERVICE: {S.COMPLETED},
    },
    message_field="order",
)


COMPLAINT_FLOW = Workflow(
    {Complaint.Status.OPEN: {Complaint.Status.UPHELD, Complaint.Status.DISMISSED}}, message_field="resolution"
)


def _event(order: Order, kind: str, by: User | None, **extra: Any) -> OrderEvent:
    return OrderEvent.objects.create(order=order, kind=kind, by=by, **extra)


def _save(order: Order, by: User | None, fields: list[str]) -> None:
    set_actor(order, by)
    order.save(update_fields=fields)


@service
def allowance_open(*, person: Person, month: str) -> Allowance | None:
    """The person's allowance for `month`, granted on first use by the programme's rule in force at the
    month's start; None when they are not eligible (or the programme is not installed)."""
    existing = Allowance.objects.filter(person=person, month=month).first()
    if existing is not None:
        return existing
    start = dt.date.fromisoformat(f"{month}-01")
    granted = entitlement(programme_code=rules.config()["allowance_programme"], person=person, on=start)
    if granted is None or not granted[1].eligible:
        return None
    version, decision = granted
    try:
        with transaction.atomic():
            return Allowance.objects.create(
                person=person,
                month=month,
                granted=decision.amount,
                programme_code=version.programme.code,
                rule_version=version.version,
            )
    except IntegrityError:  # opened by a concurrent order a moment ago
        return Allowance.objects.get(person=person, month=month)


@dataclass
class Quote:
    unit_price: Decimal
    total: Decimal
    allowance: Allowance | None
    allowance_share: Decimal
    personal_share: Decimal


@service
def quote(*, person: Person, kind: ServiceKind, quantity: Decimal, month: str, lock: bool = False) -> Quote:
    """The price and who pays it: people with an allowance pay the government purchase price, drawn from
    the allowance first; everyone else the inclusive (普惠) price."""
    allowance = allowance_open(person=person, month=month)
    if allowance is not None and lock:
        allowance = Allowance.objects.select_for_update().get(pk=allowance.pk)
    unit, total, drawn = rules.price_split(kind, quantity, allowance.granted - allowance.used if allowance else None)
    return Quote(unit, total, allowance, drawn, total - drawn)


def _release(order: Order) -> None:
    """Give an order's draw back to its allowance (cancelled before the service)."""
    if order.allowance_id and order.allowance_share:
        Allowance.objects.filter(pk=order.allowance_id).update(used=F("used") - order.allowance_share)


@service
def order_create(
    *,
    by: User | None,
    recipient: Person,
    kind: ServiceKind,
    quantity: Decimal,
    scheduled_start: dt.datetime,
    channel: str,
    note: str = "",
    provider: Provider | None = None,
    now: dt.datetime | None = None,
) -> Order:
    """Order a service for `recipient`, pay what the allowance covers from it, and offer it to the nearest
    suitable provider (or straight to `provider`, for a care plan's contracted one)."""
    now = now or timezone.now()
    order_check(
        by=by,
        recipient=recipient,
        kind=kind,
        quantity=quantity,
        scheduled_start=scheduled_start,
        channel=channel,
        now=now,
    )
    priced = quote(person=recipient, kind=kind, quantity=quantity, month=month_of(scheduled_start), lock=True)
    if priced.allowance is not None and priced.allowance_share:
        priced.allowance.used += priced.allowance_share
        priced.allowance.save(update_fields=["used"])
    order = Order(
        recipient=recipient,
        area_id=recipient.area_id,
        kind=kind,
        quantity=quantity,
        unit_price=priced.unit_price,
        total=priced.total,
        allowance=priced.allowance,
        allowance_share=priced.allowance_share,
        personal_share=priced.personal_share,
        scheduled_start=scheduled_start,
        planned_minutes=int(kind.planned_minutes * quantity)
        if kind.unit == ServiceKind.Unit.HOUR
        else kind.planned_minutes,
        address=recipient.address,
        latitude=recipient.latitude,
        longitude=recipient.longitude,
        channel=channel,
        ordered_by=by,
        note=note[:300],
        status=Order.Status.UNASSIGNED,
    )
    try:
        with transaction.atomic():
            order.save()
    except IntegrityError:  # the same order, made a moment ago by another request
        repeated = same_order(recipient=recipient, kind=kind, scheduled_start=scheduled_start)
        if repeated is None:
            raise
        raise ordered_already(repeated) from None
    status_change_record(order, "", order.status, by=by)
    _event(order, OrderEvent.Kind.CREATED, by, detail={"channel": channel})
    if provider is not None:
        _offer(order, provider, by, now)
    else:
        _offer_next(order, by, now)
    return order


def _offer(order: Order, provider: Provider, by: User | None, now: dt.datetime) -> None:
    ORDER_FLOW.move(order, S.OFFERED, by=by)
    order.provider, order.offer_expires_at = provider, rules.offer_deadline(now)
    _save(order, by, ["provider", "status", "offer_expires_at"])
    _event(order, OrderEvent.Kind.OFFERED, by, provider=provider)


def _offer_next(order: Order, by: User | None, now: dt.datetime) -> None:
    candidates = candidate_providers(order)
    if candidates:
        _offer(order, candidates[0], by, now)
        return
    if order.status != S.UNASSIGNED:  # a new order that finds no provider stays as it was made
        ORDER_FLOW.move(order, S.UNASSIGNED, by=by)
    order.provider, order.offer_expires_at = None, None
    _save(order, by, ["provider", "status", "offer_expires_at"])


def _desk_user(by: User, order: Order) -> None:
    if order.provider_id is None or order.provider_id not in by.organisation_ids:
        raise ValidationError({"order": _("This order is not offered to your organisation.")})
    if not dispatches(user=by, order=order):
        raise ValidationError({"order": _("Only the provider's desk accepts, declines and assigns orders.")})


def order_accept(
    *, by: User, order: Order, caregiver: Caregiver | None = None, now: dt.datetime | None = None
) -> Order:
    """The offered provider takes the order and names a caregiver (by default its least busy one that day).
    An offer found lapsed goes to the next provider there and then, as the sweep would pass it on."""
    now = now or timezone.now()
    with writing(by=by):  # not a @service: the refusal below must not roll back the passing on
        order = ORDER_FLOW.lock(order)
        _desk_user(by, order)
        ORDER_FLOW.check(order, S.ACCEPTED)
        if _lapsed(order, now):
            _pass_on(order, now)
        else:
            caregiver = caregiver or least_loaded_caregiver(order)
            _check_caregiver(order, caregiver)
            ORDER_FLOW.move(order, S.ACCEPTED, by=by)
            order.caregiver, order.offer_expires_at = caregiver, None
            _save(order, by, ["status", "caregiver", "offer_expires_at"])
            _event(order, OrderEvent.Kind.ACCEPTED, by, provider=order.provider)
            _event(order, OrderEvent.Kind.ASSIGNED, by, detail={"caregiver": caregiver.pk if caregiver else None})
            return order
    # Raised after the block commits, so the passing on stands.
    raise ValidationError({"order": _("The time to accept this order has passed; it has gone to another provider.")})


def _check_caregiver(order: Order, caregiver: Caregiver | None) -> None:
    if caregiver is None or caregiver.provider_id != order.provider_id or not caregiver.active:
        raise ValidationError({"caregiver": _("Choose an active caregiver of the provider.")})
    if not caregiver.skills.filter(pk=order.kind_id).exists():
        raise ValidationError({"caregiver": _("This caregiver does not deliver this service.")})


def _moved_on(order: Order) -> ValidationError:
    """The refusal of a caregiver change on an order no longer waiting for its visit (cancelled by the
    person meanwhile, started, done), phrased as core/transitions phrases a stale state: what it is now,
    and who made it so and when."""
    change = status_changes(order).last()
    by = change.by if change is not None else None
    return ValidationError(
        {
            "order": _(
                "This order is “%(state)s” now (%(who)s, %(when)s) and its caregiver cannot be changed; "
                "someone may have just acted on it."
            )
            % {
                "state": order.get_status_display(),
                "who": (by.first_name or by.get_role_display()) if by is not None else _("system"),
                "when": f"{timezone.localtime(change.at):%Y-%m-%d %H:%M}" if change is not None else "—",
            }
        }
    )


@service
def caregiver_assign(*, by: User, order: Order, caregiver: Caregiver) -> Order:
    order = ORDER_FLOW.lock(order)
    _desk_user(by, order)
    if order.status != Order.Status.ACCEPTED:
        raise _moved_on(order)
    _check_caregiver(order, caregiver)
    order.caregiver = caregiver
    _save(order, by, ["caregiver"])
    _event(order, OrderEvent.Kind.ASSIGNED, by, detail={"caregiver": caregiver.pk})
    return order


@service
def order_decline(*, by: User, order: Order, reason: str, now: dt.datetime | None = None) -> Order:
    order = ORDER_FLOW.lock(order)
    _desk_user(by, order)
    if order.status != Order.Status.OFFERED:
        raise ValidationError({"order": _("Only an order on offer can be declined.")})
    _event(order, OrderEvent.Kind.DECLINED, by, provider=order.provider, detail={"reason": reason[:200]})
    _offer_next(order, by, now or timezone.now())
    return order


def offers_expire(*, now: dt.datetime | None = None) -> int:
    """Offers not answered in time go to the next provider (a scheduler runs this every few minutes)."""
    now = now or timezone.now()
    moved = 0
    for pk in Order.objects.filter(status=Order.Status.OFFERED, offer_expires_at__lt=now).values_list("pk", flat=True):
        with writing():  # order by order: one offer's move never waits on another's
            order = ORDER_FLOW.lock(Order(pk=pk))
            if not _lapsed(order, now):
                continue
            _pass_on(order, now)
            moved += 1
    return moved


def _lapsed(order: Order, now: dt.datetime) -> bool:
    return order.status == Order.Status.OFFERED and order.offer_expires_at is not None and order.offer_expires_at < now


def _pass_on(order: Order, now: dt.datetime) -> None:
    """A lapsed offer (the order locked) goes to the next provider."""
    _event(order, OrderEvent.Kind.EXPIRED, None, provider=order.provider)
    _offer_next(order, None, now)


def visits_flag_missed(*, now: dt.datetime | None = None) -> int:
    """Accepted orders whose visit should long have started and has no check-in are flagged missed."""
    cutoff = rules.missed_cutoff(now or timezone.now())
    flagged = 0
    for pk in Order.objects.filter(
        status=Order.Status.ACCEPTED, check_in_at__isnull=True, scheduled_start__lt=cutoff
    ).values_list("pk", flat=True):
        with writing():
            order = ORDER_FLOW.lock(Order(pk=pk))
            if Order.Flag.MISSED in order.flags or order.check_in_at is not None:
                continue
            order.flags = [*order.flags, Order.Flag.MISSED]
            _save(order, None, ["flags"])
            _event(order, OrderEvent.Kind.FLAGGED, None, detail={"flags": [Order.Flag.MISSED]})
            flagged += 1
    return flagged


def _device_time(device_at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    if device_at is None:
        return now
    if device_at > now + rules.device_clock_skew():
        raise ValidationError({"device_at": _("The device's clock is ahead of the server's; check its time.")})
    return min(device_at, now)


def _distance(order: Order, latitude: float | None, longitude: float | None) -> int | None:
    if latitude is None or longitude is None or order.latitude is None or order.longitude is None:
        return None
    return rules.distance_m(float(order.latitude), float(order.longitude), latitude, longitude)


def _caregiver_user(by: User, order: Order) -> None:
    if order.caregiver is None or order.caregiver.user_id != by.pk:
        raise ValidationError({"order": _("Only the assigned caregiver records this visit.")})


def _where_event(
    order: Order,
    kind: str,
    by: User,
    device_at: dt.datetime | None,
    client_action: str | None,
    where: tuple[float | None, float | None],
    distance: int | None,
    flags: list[str],
) -> None:
    """A check-in or check-out: where the phone said it was, how far from the home, what it flagged."""
    detail = {"latitude": where[0], "longitude": where[1], "distance_m": distance, "flags": flags}
    _event(order, kind, by, device_at=device_at, client_action=client_action or None, detail=detail)


def _replayed(client_action: str | None) -> bool:
    return bool(client_action) and OrderEvent.objects.filter(client_action=client_action).exists()


@service
def order_check_in(
    *,
    by: User,
    order: Order,
    latitude: float | None,
    longitude: float | None,
    device_at: dt.datetime | None = None,
    client_action: str | None = None,
    now: dt.datetime | None = None,
) -> Order:
    """The caregiver arrives: when (on the device), where (distance from the home), who; exceptions flagged."""
    order = ORDER_FLOW.lock(order)
    _caregiver_user(by, order)
    if _replayed(client_action):
        return order
    ORDER_FLOW.check(order, S.IN_SERVICE)
    received = now or timezone.now()
    at = _device_time(device_at, received)
    distance = _distance(order, latitude, longitude)
    flags = rules.check_in_flags(scheduled_start=order.scheduled_start, at=at, distance=distance)
    flags += rules.device_time_flags(device_at=device_at, received_at=received)
    ORDER_FLOW.move(order, S.IN_SERVICE, by=by)
    order.check_in_at, order.check_in_distance_m = at, distance
    order.flags = [f for f in order.flags if f != Order.Flag.MISSED] + flags  # arrived after all
    _save(order, by, ["status", "check_in_at", "check_in_distance_m", "flags"])
    _where_event(order, OrderEvent.Kind.CHECK_IN, by, device_at, client_action, (latitude, longitude), distance, flags)
    return order


@service
def order_check_out(
    *,
    by: User,
    order: Order,
    latitude: float | None,
    longitude: float | None,
    tasks_done: list[str],
    notes: str,
    recipient_confirmed: bool,
    device_at: dt.datetime | None = None,
    client_action: str | None = None,
    now: dt.datetime | None = None,
) -> Order:
    """The caregiver leaves: tasks done, notes, the recipient's confirmation; the order is complete."""
    order = ORDER_FLOW.lock(order)
    _caregiver_user(by, order)
    if _replayed(client_action):
        return order
    ORDER_FLOW.check(order, S.COMPLETED)
    assert order.check_in_at is not None  # in service since its check-in
    received = now or timezone.now()
    at = _device_time(device_at, received)
    if at < order.check_in_at:
        raise ValidationError({"device_at": _("Check-out cannot come before check-in.")})
    unknown = set(tasks_done) - set(order.kind.tasks)
    if unknown:
        raise ValidationError({"tasks_done": _("Unknown tasks: %(tasks)s") % {"tasks": "、".join(sorted(unknown))}})
    distance = _distance(order, latitude, longitude)
    flags = rules.check_out_flags(
        check_in_at=order.check_in_at,
        at=at,
        planned_minutes=order.planned_minutes,
        distance=distance,
        tasks_unticked=bool(order.kind.tasks) and not tasks_done,
        recipient_confirmed=recipient_confirmed,
    )
    flags += [f for f in rules.device_time_flags(device_at=device_at, received_at=received) if f not in order.flags]
    ORDER_FLOW.move(order, S.COMPLETED, by=by)
    order.check_out_at, order.check_out_distance_m = at, distance
    order.tasks_done, order.service_notes, order.recipient_confirmed = tasks_done, notes, recipient_confirmed
    order.flags = [*order.flags, *flags]
    if order.flags:  # a visit with exceptions is paid only once supervision has looked at it
        order.review = Order.Review.PENDING
    _save(
        order,
        by,
        [
            "status",
            "check_out_at",
            "check_out_distance_m",
            "tasks_done",
            "service_notes",
            "recipient_confirmed",
            "flags",
            "review",
        ],
    )
    _where_event(order, OrderEvent.Kind.CHECK_OUT, by, device_at, client_action, (latitude, longitude), distance, flags)
    return order


@service
def recipient_phone_reveal(*, by: User, order: Order) -> str:
    """The caregiver calls the person they are to serve: the plain phone of the recipient of an order
    assigned to them (nobody else's), through the logged reveal."""
    if (
        order.caregiver is None
        or order.caregiver.user_id != by.pk
        or order.status not in (Order.Status.ACCEPTED, Order.Status.IN_SERVICE, Order.Status.COMPLETED)
    ):
        raise PermissionDenied
    return person_reveal(by=by, person=order.recipient, field="phone")


@service
def order_cancel(*, by: User, order: Order, reason: str) -> Order:
    order = ORDER_FLOW.lock(order)
    ORDER_FLOW.check(order, S.CANCELLED)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the order is cancelled.")})
    _release(order)
    ORDER_FLOW.move(order, S.CANCELLED, by=by, note=reason)
    order.offer_expires_at = None
    order.allowance_share, order.personal_share, order.total = Decimal(0), Decimal(0), Decimal(0)
    _save(order, by, ["status", "offer_expires_at", "allowance_share", "personal_share", "total"])
    _event(order, OrderEvent.Kind.CANCELLED, by, detail={"reason": reason[:200]})
    return order


def _on_behalf(by: User, order: Order) -> None:
    """The recipient, their family, or staff responsible for them (taking a phone call)."""
    if not scoped(by, Order.objects.filter(pk=order.pk)).exists() or by.role == Role.PROVIDER:
        raise ValidationError({"order": _("Only the person served, their family or their community can do this.")})


@service
def order_review(*, by: User, order: Order, genuine: bool, note: str) -> Order:
    """Supervision looks at a completed visit with exceptions: genuine (paid in the next statement built)
    or not payable (its government share never is). Once only; a refusal says why."""
    if not by.has_role_permission("homecare.supervise"):
        raise PermissionDenied
    order = ORDER_FLOW.lock(order)
    if order.review != Order.Review.PENDING:
        raise ValidationError({"review": _("This visit is not waiting for a review.")})
    note = note.strip()
    if not genuine and not note:
        raise ValidationError({"note": _("Say why this visit is not payable.")})
    order.review = Order.Review.GENUINE if genuine else Order.Review.REFUSED
    _save(order, by, ["review"])
    _event(order, OrderEvent.Kind.REVIEWED, by, detail={"review": order.review, "note": note[:300]})
    return order


@service
def order_rate(*, by: User, order: Order, rating: int, comment: str) -> Order:
    order = ORDER_FLOW.lock(order)
    _on_behalf(by, order)
    if order.status != Order.Status.COMPLETED:
        raise ValidationError({"rating": _("A service can be rated once it is completed.")})
    if order.rating is not None:
        raise ValidationError({"rating": _("This service has been rated already.")})
    if rating not in range(1, 6):
        raise ValidationError({"rating": _("Give a rating from 1 to 5.")})
    order.rating, order.rating_comment = rating, comment[:300]
    _save(order, by, ["rating", "rating_comment"])
    _event(order, OrderEvent.Kind.RATED, by, detail={"rating": rating})
    return order


class ComplaintFiledAlready(ValidationError):
    """The same complainant's same complaint about the order is still open; `complaint` is that one."""

    def __init__(self, complaint: Complaint) -> None:
        when = f"{timezone.localtime(complaint.filed_at):%Y-%m-%d %H:%M}"
        super().__init__(
            {
                "text": _(
                    "You filed the same complaint about this service on %(when)s and it is still being handled; "
                    "it was not filed again."
                )
                % {"when": when}
            }
        )
        self.complaint = complaint


def _same_words(text: str) -> str:
    return " ".join(text.split())


@service
def complaint_file(*, by: User, order: Order, text: str) -> Complaint:
    """A complaint goes to supervision; the order is disputed until it is settled. The same complainant's same
    text about the same order while the first is open is that complaint again (a second tab, a second send)."""
    order = ORDER_FLOW.lock(order)
    _on_behalf(by, order)
    if not text.strip():
        raise ValidationError({"text": _("Say what went wrong.")})
    # A check under the order's row lock (taken above; every complaint about an order is filed under it), not a
    # unique constraint: the text is unbounded, and an index on it fails PostgreSQL's row limit for a long
    # complaint, nor could it compare the text with its spacing normalised. Two tabs sending at once wait for
    # the lock in turn, and the second finds the first's complaint committed.
    words = _same_words(text)
    for earlier in order.complaints.filter(filed_by=by, status=Complaint.Status.OPEN):
        if _same_words(earlier.text) == words:
            raise ComplaintFiledAlready(earlier)
    complaint = Complaint(order=order, text=text, filed_by=by)
    complaint.save()
    order.disputed = True
    _save(order, by, ["disputed"])
    _event(order, OrderEvent.Kind.COMPLAINT, by, detail={"complaint": complaint.pk})
    return complaint


@service
def complaint_resolve(*, by: User, complaint: Complaint, upheld: bool, resolution: str) -> Complaint:
    """Supervision settles a complaint. Upheld, the order stays disputed and the government does not pay
    its share; dismissed, the order is paid as usual (unless another complaint still stands)."""
    complaint = COMPLAINT_FLOW.lock(complaint)
    if complaint.status != Complaint.Status.OPEN:
        raise ValidationError({NON_FIELD_ERRORS: _("This complaint has been settled already.")})  # not a field's
    if not resolution.strip():
        raise ValidationError({"resolution": _("Record how the complaint was settled.")})
    COMPLAINT_FLOW.move(
        complaint, Complaint.Status.UPHELD if upheld else Complaint.Status.DISMISSED, by=by, note=resolution
    )
    complaint.resolution, complaint.resolved_by = resolution, by
    complaint.save()
    order = ORDER_FLOW.lock(complaint.order)
    standing = order.complaints.exclude(status=Complaint.Status.DISMISSED).exists()
    if order.disputed != standing:
        order.disputed = standing
        _save(order, by, ["disputed"])
    return complaint
