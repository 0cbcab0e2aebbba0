"""巡访关爱: visit plans for special-difficulty older people and the visits made. A visit that finds the
person needs help orders a service for them; one that finds an emergency raises an alert."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from laoxiao.accounts.models import User
from laoxiao.accounts.roles import Role
from laoxiao.alerts.models import Alert
from laoxiao.alerts.services import alert_raise
from laoxiao.core.scope import scoped
from laoxiao.core.writes import service
from laoxiao.homecare import rules
from laoxiao.homecare.models import Order, ServiceKind, Visit, VisitPlan
from laoxiao.homecare.orders.policy import same_order
from laoxiao.homecare.orders.services import order_create
from laoxiao.people.models import ElderlyProfile, Person

VISITOR_ROLES = (Role.COMMUNITY_WORKER, Role.VOLUNTEER)


@service
def visit_plan_create(*, by: User, person: Person, visitor: User, starts_on: dt.date) -> VisitPlan:
    """Visit `person` as often as their categories call for (rules.json), by `visitor`."""
    errors: dict[str, str] = {}
    if not scoped(by, Person.objects.filter(pk=person.pk)).exists():
        errors["person"] = _("This person is not within your responsibility.")
    frequency = rules.visits_per_month(ElderlyProfile.objects.filter(person=person).first())
    if not frequency:
        errors["person"] = _("This person is in no category that is visited.")
    if visitor.role not in VISITOR_ROLES or not visitor.is_active:
        errors["visitor"] = _("The visitor must be a community worker or a volunteer.")
    if errors:
        raise ValidationError(errors)
    plan = VisitPlan(
        person=person, area_id=person.area_id, visits_per_month=frequency, visitor=visitor, starts_on=starts_on
    )
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise ValidationError({"person": _("This person already has a visit plan.")}) from None
    return plan


@service
def visit_plan_end(*, by: User, plan: VisitPlan, on: dt.date) -> VisitPlan:
    if plan.ends_on is not None:
        raise ValidationError({"ends_on": _("This plan has ended already.")})
    if on < plan.starts_on:
        raise ValidationError({"ends_on": _("A plan cannot end before it starts.")})
    plan.ends_on = on
    plan.save(update_fields=["ends_on"])
    return plan


@service
def visit_record(
    *,
    by: User,
    plan: VisitPlan,
    visited_at: dt.datetime,
    outcome: str,
    notes: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    needed: ServiceKind | None = None,
    client_action: str | None = None,
    now: dt.datetime | None = None,
) -> Visit:
    """Record a visit, once a plan a day, on the day it was made or a few days later (rules.json's
    record_window). "Needs help" orders the service needed for tomorrow morning; "emergency" raises an
    alert at once."""
    if client_action and Visit.objects.filter(client_action=client_action).exists():
        return Visit.objects.get(client_action=client_action)
    now = now or timezone.now()
    day = timezone.localdate(visited_at)
    days_back = rules.config()["record_window"]["visit_days_back"]
    errors: dict[str, str] = {}
    if plan.visitor_id != by.pk and not (
        by.role_scopes_by_area and scoped(by, VisitPlan.objects.filter(pk=plan.pk)).exists()
    ):
        errors["plan"] = _("Only the assigned visitor or staff of the area record visits.")
    if outcome not in Visit.Outcome.values:
        errors["outcome"] = _("Choose what the visit found.")
    elif outcome == Visit.Outcome.NEEDS_HELP and needed is None:
        errors["needed"] = _("Choose the service the person needs.")
    if visited_at > now + rules.device_clock_skew():
        errors["visited_at"] = _("A visit cannot be recorded in the future.")
    elif not rules.recordable(day, days_back=days_back, today=timezone.localdate(now)):
        errors["visited_at"] = _("The time of the visit must be today or within the %(days)s days before.") % {
            "days": days_back
        }
    if plan.ends_on is not None and day > plan.ends_on:
        errors["plan"] = _("This plan has ended.")
    if errors:
        raise ValidationError(errors)
    if (made := _visited(plan, day)) is not None:
        raise made
    visit = Visit(
        plan=plan,
        visitor=by,
        visited_at=visited_at,
        visited_on=day,
        outcome=outcome,
        notes=notes,
        latitude=latitude,
        longitude=longitude,
        client_action=client_action or None,
    )
    if outcome == Visit.Outcome.EMERGENCY:
        visit.alert = alert_raise(by=by, person=plan.person, source=Alert.Source.VISIT, detail=notes)
    elif outcome == Visit.Outcome.NEEDS_HELP and needed is not None:
        tomorrow = timezone.localtime(timezone.now()).replace(
            hour=rules.BOOKED_HOUR, minute=0, second=0, microsecond=0
        ) + dt.timedelta(days=1)
        visit.order = same_order(recipient=plan.person, kind=needed, scheduled_start=tomorrow) or order_create(
            by=by,
            recipient=plan.person,
            kind=needed,
            quantity=Decimal(1),
            scheduled_start=tomorrow,
            channel=Order.Channel.VISIT,
            note=notes,
        )
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:  # the same visit, recorded a moment ago from another tab or phone
        refused = _visited(plan, day)
        if refused is None:
            raise
        raise refused from None
    return visit


def _visited(plan: VisitPlan, day: dt.date) -> ValidationError | None:
    """The refusal of a second visit on one day (the rule `one_visit_per_plan_day`): which visit there is,
    with a link to it."""
    visit = Visit.objects.filter(plan=plan, visited_on=day).select_related("visitor").first()
    if visit is None:
        return None
    text = format_html(
        _(
            "{name} was visited on {day} already ({visitor}, {time}, {outcome}): "
            '<a href="{url}">see the visit</a>. Nothing new was recorded.'
        ),
        name=plan.person.name,
        day=f"{day:%Y-%m-%d}",
        visitor=visit.visitor.first_name or visit.visitor.get_role_display(),
        time=f"{timezone.localtime(visit.visited_at):%H:%M}",
        outcome=visit.get_outcome_display(),
        url=reverse("homecare:visit_plan", args=[plan.pk]) + f"#visit-{visit.pk}",
    )
    return ValidationError({"visited_at": text})
