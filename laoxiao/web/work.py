"""Today's work on each role's start page: counts read through the same selectors as the lists they link to.

A count on the start page and the length of the list behind its link come from one selector call
each, so they cannot disagree. An item shows only to the roles that can act on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laoxiao.accounts.models import User
from laoxiao.accounts.roles import Role
from laoxiao.alerts import selectors as alerts
from laoxiao.assessments import selectors as assessments
from laoxiao.benefits import selectors as benefits
from laoxiao.core.identifiers import age_on
from laoxiao.facilities import selectors as facilities
from laoxiao.facilities.models import Facility, StaffMember
from laoxiao.homecare.models import Order
from laoxiao.homecare.orders import selectors as orders_selectors
from laoxiao.homecare.providers import selectors as providers_selectors
from laoxiao.homecare.visits import selectors as visits_selectors
from laoxiao.people import selectors as people
from laoxiao.people.record import elderly_care
from laoxiao.planning import progress
from laoxiao.planning import selectors as planning


@dataclass(frozen=True)
class WorkItem:
    label: Any
    count: int
    url: str
    urgent: bool


@dataclass(frozen=True)
class _Item:
    label: Any
    roles: frozenset[str]
    rows: Callable[[User], QuerySet[Any] | list[Any]]
    url: Callable[[User], str]
    urgent: bool = False

    def count(self, user: User) -> int:
        rows = self.rows(user)
        return len(rows) if isinstance(rows, list) else rows.count()


def _orders(
    status: str = "", flagged: bool = False, no_caregiver: bool = False, review: str = ""
) -> Callable[[User], QuerySet[Any]]:
    filters = orders_selectors.OrderFilter(status=status, flagged=flagged, no_caregiver=no_caregiver, review=review)
    return lambda user: orders_selectors.order_list(user=user, filters=filters)


def _assessments(status: str) -> Callable[[User], QuerySet[Any]]:
    return lambda user: assessments.assessment_list(
        user=user, filters=assessments.AssessmentFilter(status=status, mine=user.role == Role.ASSESSOR)
    )


def _today_visits(user: User) -> QuerySet[Any]:
    return orders_selectors.caregiver_day(user=user, day=timezone.localdate()).exclude(status=Order.Status.COMPLETED)


def _tomorrows_visits(user: User) -> QuerySet[Any]:
    return orders_selectors.caregiver_day(user=user, day=timezone.localdate() + dt.timedelta(days=1))


def _tomorrow_url(user: User) -> str:
    return reverse("homecare:today") + f"?day={timezone.localdate() + dt.timedelta(days=1):%Y-%m-%d}"


def _url(name: str, query: str = "") -> Callable[[User], str]:
    return lambda user: reverse(name) + (f"?{query}" if query else "")


def _home(user: User) -> Facility | None:
    """An operator's own home: the first institution they run."""
    return user.organisations.order_by("id").first()


def _staff(state: str) -> Callable[[User], QuerySet[Any]]:
    def rows(user: User) -> QuerySet[Any]:
        home = _home(user)
        if home is None:
            return StaffMember.objects.none()
        return facilities.facility_staff(user=user, facility=home, certificates=state)

    return rows


def _staff_url(state: str) -> Callable[[User], str]:
    def url(user: User) -> str:
        home = _home(user)
        return reverse("facilities:detail", args=[home.pk]) + f"?certificates={state}" if home else reverse("home")

    return url


def _visit_plans(due: str = "") -> Callable[[User], QuerySet[Any]]:
    # As the list behind the link reads them: a visitor without an area role (a volunteer) sees their own plans.
    return lambda user: visits_selectors.visit_plan_list(user=user, mine=not user.role_scopes_by_area, due=due)


def _follow_up(what: str) -> Callable[[User], QuerySet[Any]]:
    return lambda user: facilities.facilities_to_follow_up(user=user, what=what)


def _follow_up_url(what: str) -> Callable[[User], str]:
    return lambda user: reverse("facilities:follow_up", args=[what])


def _plan_rows(pick: Callable[[Any, Any, dt.date], list[Any]]) -> Callable[[User], list[Any]]:
    """Rows of the user's plans as their dashboards show them today (`pick(user, plan, on)`)."""

    def rows(user: User) -> list[Any]:
        found = []
        for plan in planning.plan_list(user=user):
            try:
                found += pick(user, plan, timezone.localdate())
            except Http404:  # a plan above the user's area with nothing of it in their scope
                continue
        return found

    return rows


def _behind(user: User, plan: Any, on: dt.date) -> list[Any]:
    area = planning.plan_area(user=user, plan=plan, code=None)
    rows = planning.plan_rows(user=user, plan=plan, area=area, on=on)
    return [r for r in rows if r.standing.status in (progress.OFF_TRACK, progress.AT_RISK)]


# How plans write the department a role is (市卫健委, 区卫生健康委): its indicators are that role's to follow.
DEPARTMENT_WORDS: dict[str, tuple[str, ...]] = {Role.HEALTH_COMMISSION: ("卫健", "卫生健康")}


def _behind_in_charge(user: User, plan: Any, on: dt.date) -> list[Any]:
    words = DEPARTMENT_WORDS.get(user.role, ())
    return [r for r in _behind(user, plan, on) if any(word in r.item.department for word in words)]


def _tasks_overdue(user: User, plan: Any, on: dt.date) -> list[Any]:
    return [t for t in planning.plan_tasks(plan=plan) if planning.task_overdue(t, on)]


def _projects_behind(user: User, plan: Any, on: dt.date) -> list[Any]:
    return [p for p in planning.plan_projects(plan=plan) if planning.project_behind(p, on)]


def _plan_url(anchor: str) -> Callable[[User], str]:
    """The dashboard of the user's one plan at `anchor`, or the list of their plans."""

    def url(user: User) -> str:
        plans = list(planning.plan_list(user=user)[:2])
        if len(plans) == 1:
            return reverse("planning:dashboard", args=[plans[0].code]) + f"#{anchor}"
        return reverse("planning:list")

    return url


_OFFICE = frozenset({Role.CIVIL_AFFAIRS, Role.ADMIN})
_DESK = frozenset({Role.CIVIL_AFFAIRS, Role.ADMIN, Role.COMMUNITY_WORKER, Role.CALL_CENTRE})

_VISITORS = frozenset({Role.COMMUNITY_WORKER, Role.VOLUNTEER})  # 巡访关爱: the street's workers and volunteers

_PLAN = frozenset({Role.LEADING_OFFICE})
_HEALTH = frozenset({Role.HEALTH_COMMISSION})

ITEMS = (
    _Item(_("Plan indicators behind their target line"), _PLAN, _plan_rows(_behind), _plan_url("indicators"), True),
    _Item(_("Plan tasks past their due date"), _PLAN, _plan_rows(_tasks_overdue), _plan_url("tasks"), True),
    _Item(_("Major projects behind their period"), _PLAN, _plan_rows(_projects_behind), _plan_url("projects")),
    _Item(
        _("Staff with an expired certificate"),
        frozenset({Role.INSTITUTION_OPERATOR}),
        _staff("expired"),
        _staff_url("expired"),
        True,
    ),
    _Item(
        _("Staff whose certificate expires soon"),
        frozenset({Role.INSTITUTION_OPERATOR}),
        _staff("expiring"),
        _staff_url("expiring"),
    ),
    _Item(
        _("Plan indicators in your department's charge behind their target line"),
        _HEALTH,
        _plan_rows(_behind_in_charge),
        _plan_url("indicators"),
        True,
    ),
    _Item(
        _("Childcare institutions operating without filing"),
        _HEALTH,
        _follow_up("unfiled"),
        _follow_up_url("unfiled"),
        True,
    ),
    _Item(
        _("Childcare institutions with a staff certificate expired"),
        _HEALTH,
        _follow_up("certificates_expired"),
        _follow_up_url("certificates_expired"),
        True,
    ),
    _Item(
        _("Care homes without medical care"),
        _HEALTH,
        _follow_up("no_medical_care"),
        _follow_up_url("no_medical_care"),
    ),
    _Item(
        _("Older people you visit"),
        frozenset({Role.VOLUNTEER}),
        _visit_plans(),
        lambda user: reverse("homecare:visit_plans") + "#plans",
    ),
    _Item(
        _("Visit plans that missed visits last month"),
        _VISITORS,
        _visit_plans("last_month"),
        _url("homecare:visit_plans", "due=last_month#plans"),
        True,
    ),
    _Item(
        _("Visit plans with visits still due this month"),
        _VISITORS,
        _visit_plans("this_month"),
        _url("homecare:visit_plans", "due=this_month#plans"),
    ),
    _Item(_("Visits still to do today"), frozenset({"caregiver"}), _today_visits, _url("homecare:today"), True),
    _Item(_("Visits tomorrow"), frozenset({"caregiver"}), _tomorrows_visits, _tomorrow_url),
    _Item(
        _("Orders offered to you, waiting for acceptance"),
        frozenset({Role.PROVIDER}),
        lambda user: orders_selectors.offered_to_me(user=user),
        _url("homecare:orders", "status=offered"),
        True,
    ),
    _Item(
        _("Accepted orders without a caregiver"),
        frozenset({Role.PROVIDER}),
        _orders("accepted", no_caregiver=True),
        _url("homecare:orders", "status=accepted&no_caregiver=1"),
    ),
    _Item(
        _("Assessments assigned to you"),
        frozenset({Role.ASSESSOR}),
        _assessments("assessing"),
        _url("assessments:list", "status=assessing"),
        True,
    ),
    _Item(
        _("Assessment requests waiting for assessors"),
        _OFFICE,
        _assessments("requested"),
        _url("assessments:list", "status=requested"),
    ),
    _Item(
        _("Signed assessments waiting for your review"),
        _OFFICE,
        _assessments("signed"),
        _url("assessments:list", "status=signed"),
        True,
    ),
    _Item(
        _("Orders no provider has taken"),
        _DESK | _PLAN,
        _orders("unassigned"),
        _url("homecare:orders", "status=unassigned"),
        True,
    ),
    _Item(
        _("Payment batches waiting for approval"),
        frozenset({Role.CIVIL_AFFAIRS, Role.ADMIN}),
        lambda user: benefits.batch_list(user=user, status="draft"),
        _url("benefits:batches", "status=draft"),
        True,
    ),
    _Item(
        _("Payment files sent, waiting for the bank's result"),
        frozenset({Role.CIVIL_AFFAIRS, Role.ADMIN}),
        lambda user: benefits.batch_list(user=user, status="sent"),
        _url("benefits:batches", "status=sent"),
    ),
    _Item(
        _("Visits with exceptions to review before payment"),
        frozenset({Role.CIVIL_AFFAIRS, Role.ADMIN, Role.INSPECTOR}),
        _orders(review="pending"),
        _url("homecare:orders", "review=pending"),
    ),
    _Item(
        _("Visits with an exception to check"),
        frozenset({Role.PROVIDER, Role.LEADING_OFFICE}),
        _orders(flagged=True),
        _url("homecare:orders", "flagged=1"),
    ),
    _Item(
        _("Open complaints"),
        frozenset({Role.CIVIL_AFFAIRS, Role.ADMIN, Role.INSPECTOR}),
        lambda user: orders_selectors.complaint_list(user=user, status="open"),
        _url("homecare:complaints", "status=open"),
        True,
    ),
    _Item(
        _("Open alerts"),
        frozenset({Role.CALL_CENTRE, Role.COMMUNITY_WORKER, Role.CIVIL_AFFAIRS, Role.ADMIN}),
        lambda user: alerts.alert_list(user=user, status="open"),
        _url("alerts:list", "status=open"),
        True,
    ),
)


def _role_key(user: User) -> str:
    # A caregiver signs in with the provider role; their start page is their own day, not the provider's desk.
    return "caregiver" if user.role == Role.PROVIDER and providers_selectors.is_caregiver(user=user) else str(user.role)


def work_items(*, user: User) -> list[WorkItem]:
    role = _role_key(user)
    return [
        WorkItem(label=item.label, count=item.count(user), url=item.url(user), urgent=item.urgent)
        for item in ITEMS
        if role in item.roles
    ]


@dataclass(frozen=True)
class MyPerson:
    person: Any
    age: int
    ability: Any
    balance: Any
    orders: list[Any]
    assessments: list[Any]
    contacts: list[Any]
    elderly_care: bool  # whether home care and its allowance can apply (not to a child)


def my_people(*, user: User) -> list[MyPerson]:
    """A resident's, family member's or volunteer's own record and those of the people they act for."""
    month = f"{timezone.localdate():%Y-%m}"
    result = []
    for pk in user.represented_person_ids:
        person = people.person_get(user=user, pk=pk)
        result.append(
            MyPerson(
                person=person,
                age=age_on(person.birth_date, timezone.localdate()),
                ability=assessments.ability_current(person=person),
                balance=orders_selectors.allowance_balance(user=user, person=person, month=month),
                orders=list(orders_selectors.person_orders(user=user, person=person)[:5]),
                assessments=list(
                    assessments.assessment_list(user=user, filters=assessments.AssessmentFilter(status="")).filter(
                        person=person
                    )[:3]
                ),
                contacts=list(people.person_emergency_contacts(user=user, person=person)),
                elderly_care=elderly_care(person),
            )
        )
    return result
