"""Reads of home care through the scope chokepoint. The catalogue is public; the `*_by_prefix`
functions measure areas for the plan indicators (planning.formulas), whose callers scope the area."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Least, TruncMonth
from django.utils import timezone

from laoxiao.accounts.models import User
from laoxiao.accounts.roles import Role
from laoxiao.benefits.selectors import entitlement
from laoxiao.core import areacode
from laoxiao.core.models import Area, StatusChange
from laoxiao.core.months import month_bounds
from laoxiao.core.scope import AreaScope, area_range_q, area_scope, public, scoped, scoped_get, within
from laoxiao.core.transitions import status_changes
from laoxiao.facilities.models import Facility, StaffMember, StaffRole
from laoxiao.homecare import rules
from laoxiao.homecare.models import (
    Adaptation,
    Allowance,
    Caregiver,
    Complaint,
    Device,
    Diner,
    FoodSample,
    HomeCareBed,
    IngredientRecord,
    Meal,
    MealPoint,
    MealRating,
    Order,
    OrderEvent,
    PlannedService,
    Provider,
    ServiceKind,
    Statement,
    Visit,
    VisitPlan,
)
from laoxiao.people.models import Person


def _row_count(rows: QuerySet[Any], link: str) -> Coalesce:
    """How many of `rows` point at each listed row, as a correlated subquery: computed for the rows of
    one page only, and left out of the page count (a joined Count would group the whole scope)."""
    counted = rows.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def service_kinds() -> QuerySet[ServiceKind]:
    return public(ServiceKind.objects.filter(active=True).order_by("id"))


# --- Providers and orders ----------------------------------------------------------------------------


def provider_list(*, user: User) -> QuerySet[Provider]:
    return (
        scoped(user, Provider.objects.select_related("facility", "facility__area"))
        .annotate(caregiver_count=Count("caregivers", filter=Q(caregivers__active=True), distinct=True))
        .prefetch_related("kinds", "areas__area")
        .order_by("facility__area_id", "facility__name")
    )


def providers_accepting() -> QuerySet[Provider]:
    """Providers a home care bed may contract with (any in the city: the list of choices, not their data)."""
    return public(Provider.objects.filter(accepts_orders=True).select_related("facility").order_by("facility__name"))


def provider_get(*, user: User, pk: int) -> Provider:
    return scoped_get(user, Provider.objects.select_related("facility"), pk=pk)


def is_caregiver(*, user: User) -> bool:
    return within(user, Caregiver.objects.filter(user=user)).exists()


def is_desk(*, user: User) -> bool:
    """A provider's desk staff: signed in with the provider role and not one of its caregivers (who sign in
    with the same role, see their own visits and record them)."""
    return user.role == Role.PROVIDER and not is_caregiver(user=user)


def dispatches(*, user: User, order: Order) -> bool:
    """Whether the user answers the order's offer (accept, decline) and names its caregiver: the desk of the
    provider it is with. The one rule for the services' check and the order page's controls."""
    return order.provider_id is not None and order.provider_id in user.organisation_ids and is_desk(user=user)


def caregivers_for(*, user: User, order: Order | None) -> QuerySet[Caregiver]:
    """Active caregivers the user may assign; for `order`, those of its provider with the skill."""
    caregivers = scoped(user, Caregiver.objects.filter(active=True)).select_related("staff")
    if order is not None:
        caregivers = caregivers.filter(provider_id=order.provider_id, skills=order.kind)
    return caregivers


def organisations_to_register(*, user: User) -> QuerySet[Facility]:
    return scoped(user, Facility.objects.filter(status=Facility.Status.OPERATING)).order_by("name")


def provider_care_staff(*, user: User, provider: Provider) -> QuerySet[StaffMember]:
    """The provider's caregivers on staff, to register as home-care caregivers."""
    return scoped(
        user, StaffMember.objects.filter(facility_id=provider.pk, left_on__isnull=True, role=StaffRole.CAREGIVER)
    )


def provider_caregivers(*, user: User, provider: Provider) -> QuerySet[Caregiver]:
    return (
        scoped(user, Caregiver.objects.filter(provider=provider))
        .select_related("staff", "user")
        .prefetch_related("skills")
        .order_by("-active", "staff__name", "id")
    )


@dataclass
class OrderFilter:
    status: str = ""
    kind: str = ""
    flagged: bool = False
    review: str = ""  # Order.Review: "pending" lists the visits supervision has to look at
    no_caregiver: bool = False
    month: str = ""
    q: str = ""
    mine: bool = False  # a caregiver's own visits only


def order_list(*, user: User, filters: OrderFilter) -> QuerySet[Order]:
    orders = scoped(
        user, Order.objects.select_related("recipient", "kind", "provider__facility", "caregiver__staff", "area")
    )
    if filters.status:
        orders = orders.filter(status=filters.status)
    if filters.kind:
        orders = orders.filter(kind__code=filters.kind)
    if filters.flagged:
        orders = orders.exclude(flags=[])
    if filters.review:
        orders = orders.filter(review=filters.review)
    if filters.no_caregiver:
        orders = orders.filter(caregiver__isnull=True)
    if filters.month:
        start, end = month_bounds(filters.month)
        orders = orders.filter(scheduled_start__gte=start, scheduled_start__lt=end)
    if filters.q:
        orders = orders.filter(Q(recipient__name__contains=filters.q) | Q(address__contains=filters.q))
    if filters.mine:
        orders = orders.filter(caregiver__user=user)
    return orders.order_by("-scheduled_start", "-id")


def order_visible(*, user: User, pk: int) -> bool:
    """Whether the user still sees the order (a provider no longer does once it has gone to another)."""
    return scoped(user, Order.objects.filter(pk=pk)).exists()


def order_get(*, user: User, pk: int) -> Order:
    orders = Order.objects.all()
    if is_caregiver(user=user):  # their own visits, not the rest of their provider's orders
        orders = orders.filter(caregiver__user=user)
    return scoped_get(
        user,
        orders.select_related(
            "recipient",
            "kind",
            "provider__facility",
            "caregiver__staff",
            "caregiver__user",
            "area",
            "allowance",
            "ordered_by",
        ),
        pk=pk,
    )


def order_events(*, user: User, order: Order) -> QuerySet[OrderEvent]:
    return scoped(user, OrderEvent.objects.filter(order=order)).select_related("by", "provider__facility")


def caregiver_day(*, user: User, day: dt.date) -> QuerySet[Order]:
    """The signed-in caregiver's visits on `day`, in the order they are due."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time()))
    return (
        scoped(user, Order.objects.filter(caregiver__user=user))
        .filter(scheduled_start__gte=start, scheduled_start__lt=start + dt.timedelta(days=1))
        .exclude(status=Order.Status.CANCELLED)
        .select_related("recipient", "kind")
        .order_by("scheduled_start", "id")
    )


def offered_to_me(*, user: User) -> QuerySet[Order]:
    """Offers the user's provider can still take: one whose time limit has passed waits for the sweep to
    pass it on, and accepting it would be refused."""
    if not is_desk(user=user):
        return Order.objects.none()
    offers = Order.objects.filter(
        status=Order.Status.OFFERED, provider_id__in=user.organisation_ids, offer_expires_at__gt=timezone.now()
    )
    return scoped(user, offers).select_related("recipient", "kind", "area").order_by("offer_expires_at")


@dataclass
class Balance:
    month: str
    granted: Decimal
    used: Decimal
    opened: bool  # False: not drawn on yet, the figure is what the rule grants

    @property
    def left(self) -> Decimal:
        return self.granted - self.used

    @property
    def starts_on(self) -> dt.date:
        return dt.date.fromisoformat(f"{self.month}-01")


def allowance_balance(*, user: User, person: Person, month: str) -> Balance | None:
    """The person's allowance this month: the row once an order has drawn on it, before that what the
    programme's rule would grant. None when they have none."""
    row = scoped(user, Allowance.objects.filter(person=person, month=month)).first()
    if row is not None:
        return Balance(month, row.granted, row.used, True)
    if not scoped(user, Person.objects.filter(pk=person.pk)).exists():
        return None
    granted = entitlement(
        programme_code=rules.config()["allowance_programme"], person=person, on=dt.date.fromisoformat(f"{month}-01")
    )
    if granted is None or not granted[1].eligible:
        return None
    return Balance(month, granted[1].amount, Decimal(0), False)


@dataclass
class Price:
    total: Decimal
    allowance_share: Decimal
    personal_share: Decimal
    balance: Balance | None


def order_price(*, user: User, person: Person, kind: ServiceKind, quantity: Decimal, month: str) -> Price:
    """What an order would cost and who would pay it, shown before it is made; nothing is written."""
    balance = allowance_balance(user=user, person=person, month=month)
    _unit, total, drawn = rules.price_split(kind, quantity, balance.left if balance else None)
    return Price(total, drawn, total - drawn, balance)


def person_orders(*, user: User, person: Person) -> QuerySet[Order]:
    return (
        scoped(user, Order.objects.filter(recipient=person))
        .select_related("kind", "provider__facility")
        .order_by("-scheduled_start")
    )


# --- Statements and complaints -----------------------------------------------------------------------


def statement_list(*, user: User, month: str = "") -> QuerySet[Statement]:
    statements = scoped(user, Statement.objects.select_related("provider__facility", "confirmed_by"))
    return statements.filter(month=month) if month else statements


def statement_get(*, user: User, pk: int) -> Statement:
    return scoped_get(user, Statement.objects.select_related("provider__facility", "confirmed_by"), pk=pk)


def statement_orders(*, user: User, statement: Statement) -> QuerySet[Order]:
    start, end = month_bounds(statement.month)
    return (
        scoped(user, Order.objects.filter(provider=statement.provider, status=Order.Status.COMPLETED))
        .filter(scheduled_start__gte=start, scheduled_start__lt=end)
        .select_related("recipient", "kind")
        .order_by("-disputed", "scheduled_start", "id")
    )


def complaint_list(*, user: User, status: str = "") -> QuerySet[Complaint]:
    complaints = scoped(
        user,
        Complaint.objects.select_related("order__recipient", "order__kind", "order__provider__facility", "filed_by"),
    )
    return complaints.filter(status=status) if status else complaints


def order_complaints(*, user: User, order: Order) -> QuerySet[Complaint]:
    return scoped(user, Complaint.objects.filter(order=order)).select_related("filed_by")


def complaint_get(*, user: User, pk: int) -> Complaint:
    return scoped_get(user, Complaint.objects.select_related("order", "order__recipient", "filed_by"), pk=pk)


def complaint_settlement(*, user: User, complaint: Complaint) -> StatusChange | None:
    """The move that settled a complaint (who decided, and when); None while it is open."""
    if complaint.status == Complaint.Status.OPEN:
        return None
    return status_changes(scoped_get(user, Complaint.objects.all(), pk=complaint.pk)).last()


# --- Visits ------------------------------------------------------------------------------------------


# `due` on the visit plan list: the plans with fewer visits in the month than they are due, this month
# (still to do) or last month (missed).
VISITS_DUE = ("this_month", "last_month")


def visits_due_month(due: str, on: dt.date) -> str:
    return f"{on:%Y-%m}" if due == "this_month" else f"{on.replace(day=1) - dt.timedelta(days=1):%Y-%m}"


def visit_plan_list(
    *, user: User, mine: bool = False, q: str = "", area: str = "", due: str = ""
) -> QuerySet[VisitPlan]:
    """Open plans in scope; `q` a name fragment, `area` a code prefix, `due` one of VISITS_DUE."""
    # The area by a second query: joined, SQLite reads the plans area by area and sorts them all (0.5 s for
    # a city) instead of stopping after a page.
    plans = (
        scoped(user, VisitPlan.objects.filter(ends_on__isnull=True))
        .select_related("person", "visitor")
        .prefetch_related("area")
    )
    if mine:
        plans = plans.filter(visitor=user)
    if q:
        plans = plans.filter(person__name__contains=q.strip())
    if area:
        plans = plans.filter(area_range_q("area_id", area))
    if due in VISITS_DUE:
        start, end = month_bounds(visits_due_month(due, timezone.localdate()))
        in_month = Visit.objects.filter(visited_at__gte=start, visited_at__lt=end)
        plans = (
            plans.filter(starts_on__lt=end.date())
            .annotate(month_visits=_row_count(in_month, "plan"))
            .filter(month_visits__lt=F("visits_per_month"))
        )
    return plans.annotate(visit_count=_row_count(Visit.objects.all(), "plan")).order_by("area_id", "person__name")


def visit_plan_get(*, user: User, pk: int) -> VisitPlan:
    return scoped_get(user, VisitPlan.objects.select_related("person", "visitor", "area"), pk=pk)


def plan_visits(*, user: User, plan: VisitPlan) -> QuerySet[Visit]:
    return scoped(user, Visit.objects.filter(plan=plan)).select_related("visitor", "order", "alert")


def visitors_available(*, user: User) -> QuerySet[User]:
    """Community workers of the user's area and volunteers living in it."""
    if user.area is None:
        return User.objects.none()
    prefix = area_scope(user, user.area).prefix
    return (
        User.objects.filter(is_active=True)
        .filter(
            (Q(role=Role.COMMUNITY_WORKER) & area_range_q("area_id", prefix))
            | (Q(role=Role.VOLUNTEER) & area_range_q("person__area_id", prefix))
        )
        .select_related("area")
        .order_by("role", "first_name", "id")
    )


def latest_whole_month(on: dt.date) -> str:
    """The month of `on` if `on` is its last day, else the month before."""
    if (on + dt.timedelta(days=1)).month != on.month:
        return f"{on:%Y-%m}"
    return f"{on.replace(day=1) - dt.timedelta(days=1):%Y-%m}"


def visit_counts_by_prefix(scope: AreaScope, length: int, month: str) -> dict[str, tuple[int, int]]:
    """(visits done, visits due) in `month` by area prefix. A plan open at any time in the month is due
    its visits per month; visits beyond that do not make up for another person's missed ones."""
    start, end = month_bounds(month)
    done = Least(
        _row_count(Visit.objects.filter(visited_at__gte=start, visited_at__lt=end), "plan"),
        "visits_per_month",
        output_field=IntegerField(),
    )
    plans = (
        VisitPlan.objects.filter(area_range_q("area_id", scope.prefix), starts_on__lt=end.date())
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start.date()))
        .order_by()
        .values("area_id")  # summed by the database per area, not per plan in Python
        .annotate(done=Sum(done), due=Sum("visits_per_month"))
        .values_list("area_id", "done", "due")
    )
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for area, area_done, area_due in plans:
        row = totals[area[:length]]
        row[0] += area_done
        row[1] += area_due
    return {prefix: (done, due) for prefix, (done, due) in totals.items()}


def visit_rates(*, user: User, month: str, length: int) -> list[dict[str, Any]]:
    """Visit rate by area (at the level of `length` digits) within the user's scope."""
    if user.area is None or not user.role_scopes_by_area:
        return []
    counts = visit_counts_by_prefix(area_scope(user, user.area), length, month)
    names = dict(
        scoped(user, Area.objects.filter(code__in=[areacode.code_of(p) for p in counts])).values_list("code", "name")
    )
    return [
        {
            "prefix": p,
            "name": names.get(areacode.code_of(p), p),
            "done": done,
            "due": due,
            "rate": Decimal(done * 100) / due if due else None,
        }
        for p, (done, due) in sorted(counts.items())
    ]


# --- Meals and beds ----------------------------------------------------------------------------------


def meal_point_list(*, user: User) -> QuerySet[MealPoint]:
    today = timezone.localdate()
    return (
        scoped(user, MealPoint.objects.select_related("facility", "facility__area"))
        .annotate(
            diner_count=_row_count(Diner.objects.filter(active=True), "point"),
            meals_today=_row_count(Meal.objects.filter(served_on=today), "point"),
        )
        .order_by("facility__area_id", "facility__name")
    )


def meal_point_get(*, user: User, pk: int) -> MealPoint:
    return scoped_get(user, MealPoint.objects.select_related("facility"), pk=pk)


def point_diners(*, user: User, point: MealPoint) -> QuerySet[Diner]:
    return (
        scoped(user, Diner.objects.filter(point=point, active=True)).select_related("person").order_by("person__name")
    )


def point_days(*, user: User, point: MealPoint, since: dt.date) -> list[dict[str, Any]]:
    """Meals served per day, eat-in and delivered, with subsidies and payments."""
    return _point_totals(user, point, since, "served_on")


def point_months(*, user: User, point: MealPoint, months: int) -> list[dict[str, Any]]:
    """The same per month (`served_on`: its first day) for this month and the `months` - 1 before it,
    newest first: the point's year at a glance."""
    since = timezone.localdate().replace(day=1)
    for _ in range(months - 1):
        since = (since - dt.timedelta(days=1)).replace(day=1)
    return _point_totals(user, point, since, TruncMonth("served_on"))


def _point_totals(user: User, point: MealPoint, since: dt.date, period: str | TruncMonth) -> list[dict[str, Any]]:
    rows = (
        scoped(user, Meal.objects.filter(point=point, served_on__gte=since))
        .annotate(period=period if isinstance(period, TruncMonth) else F(period))
        .values("period")
        .annotate(
            eat_in=Count("id", filter=Q(mode=Meal.Mode.EAT_IN)),
            delivered=Count("id", filter=Q(mode=Meal.Mode.DELIVERED)),
            subsidy=Sum("subsidy"),
            paid=Sum("paid"),
        )
        .order_by("-period")
    )
    return [{"served_on": row["period"], **{k: v for k, v in row.items() if k != "period"}} for row in rows]


def point_records(*, user: User, point: MealPoint) -> dict[str, Any]:
    return {
        "ingredients": scoped(user, IngredientRecord.objects.filter(point=point))[:30],
        "samples": scoped(user, FoodSample.objects.filter(point=point))[:30],
        "ratings": scoped(user, MealRating.objects.filter(point=point)).select_related("person")[:30],
        "average": scoped(user, MealRating.objects.filter(point=point)).aggregate(n=Count("id"), avg=Avg("score")),
    }


def meals_by_prefix(scope: AreaScope, length: int, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = (
        Meal.objects.filter(
            area_range_q("point__facility__area_id", scope.prefix), served_on__gte=start, served_on__lt=end
        )
        .annotate(prefix=areacode.cut_in_db("point__facility__area_id", length))
        .values("prefix")
        .annotate(n=Count("id"))
    )
    return {row["prefix"]: row["n"] for row in rows}


def bed_list(*, user: User) -> QuerySet[HomeCareBed]:
    return (
        scoped(user, HomeCareBed.objects.select_related("person", "provider__facility", "area"))
        .annotate(devices_count=Count("devices", distinct=True), adaptation_cost=Sum("adaptations__cost"))
        .order_by("status", "area_id")
    )


def bed_get(*, user: User, pk: int) -> HomeCareBed:
    return scoped_get(user, HomeCareBed.objects.select_related("person", "provider__facility", "assessment"), pk=pk)


def bed_parts(*, user: User, bed: HomeCareBed) -> dict[str, Any]:
    return {
        "adaptations": scoped(user, Adaptation.objects.filter(bed=bed)),
        "plan": scoped(user, PlannedService.objects.filter(bed=bed)).select_related("kind"),
        "devices": scoped(user, Device.objects.filter(bed=bed)),
    }


def adapted_homes_by_prefix(scope: AreaScope, length: int, on: dt.date) -> dict[str, int]:
    """Homes (home care beds) with at least one adaptation completed by `on`."""
    rows = (
        HomeCareBed.objects.filter(area_range_q("area_id", scope.prefix), adaptations__completed_on__lte=on)
        .annotate(prefix=areacode.cut_in_db("area_id", length))
        .values("prefix")
        .annotate(n=Count("id", distinct=True))
    )
    return {row["prefix"]: row["n"] for row in rows}
