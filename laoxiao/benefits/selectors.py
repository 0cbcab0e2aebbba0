"""Reads of benefits through the scope chokepoint. Programmes are public rules; batches and payments are
scoped by the area they were made for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet, Sum

from laoxiao.accounts.models import User
from laoxiao.benefits.facts import person_facts
from laoxiao.benefits.models import Application, ApplicationDocument, Payment, PaymentBatch, Programme, RuleVersion
from laoxiao.benefits.rules import Decision, decide
from laoxiao.benefits.services import rule_in_force
from laoxiao.core.scope import scoped, scoped_get
from laoxiao.people.models import Person


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.prefetch_related("versions").order_by("code")


def programme_get(*, code: str) -> Programme:
    return Programme.objects.get(code=code)


def batch_list(*, user: User, programme: Programme) -> QuerySet[PaymentBatch]:
    return (
        scoped(user, PaymentBatch.objects.filter(programme=programme))
        .select_related("area")
        .annotate(n=Count("payments"), total=Sum("payments__amount"))
        .order_by("-period", "-id")
    )


def batch_get(*, user: User, pk: int) -> PaymentBatch:
    return scoped_get(
        user, PaymentBatch.objects.select_related("programme", "area", "created_by", "approved_by"), pk=pk
    )


def batch_payments(*, user: User, batch: PaymentBatch) -> QuerySet[Payment]:
    return scoped(user, Payment.objects.filter(batch=batch)).select_related("area").order_by("id")


def application_list(*, user: User, programme: Programme) -> QuerySet[Application]:
    return (
        scoped(user, Application.objects.filter(programme=programme)).select_related("area").order_by("-submitted_at")
    )


def application_get(*, user: User, pk: int) -> Application:
    return scoped_get(
        user,
        Application.objects.select_related("programme", "area", "first_review_by", "county_review_by", "submitted_by"),
        pk=pk,
    )


def spending(*, user: User, year: str) -> list[dict[str, Any]]:
    """Approved and paid amounts by programme, funding source, period and county, with each programme's budget."""
    from django.db.models.functions import Substr

    rows = (
        scoped(
            user,
            Payment.objects.filter(period__startswith=year, status__in=(Payment.Status.APPROVED, Payment.Status.PAID)),
        )
        .annotate(county=Substr("area_id", 1, 6))
        .values("programme__name", "programme__funding_source", "programme__budget", "period", "county")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by("programme__name", "period", "county")
    )
    return [dict(row) for row in rows]


def document_get(*, user: User, pk: int) -> ApplicationDocument:
    return scoped_get(user, ApplicationDocument.objects.all(), pk=pk)


def entitlement(*, programme_code: str, person: Person, on: dt.date) -> tuple[RuleVersion, Decision] | None:
    """What `person` is granted by a programme's rule in force on `on`; None when the programme is absent."""
    programme = Programme.objects.filter(code=programme_code).first()
    if programme is None:
        return None
    version = rule_in_force(programme)
    return version, decide(version.rule, person_facts([person], on)[person.pk])
