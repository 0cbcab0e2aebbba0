"""Reads of benefits through the scope chokepoint. Programmes are public rules; batches and payments are
scoped by the area they were made for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet, Sum

from laoxiao.accounts.models import User
from laoxiao.benefits.facts import person_facts
from laoxiao.benefits.models import (
    Application,
    ApplicationDocument,
    PayeeAccount,
    Payment,
    PaymentBatch,
    Programme,
    RuleVersion,
)
from laoxiao.benefits.policy import no_account_reason, payable, programme_covers, rule_in_force, without_account
from laoxiao.benefits.rules import Decision, decide, facility_kinds
from laoxiao.core import areacode
from laoxiao.core.models import StatusChange
from laoxiao.core.personal import with_id_ending
from laoxiao.core.scope import public, scoped, scoped_get
from laoxiao.facilities.models import Facility
from laoxiao.facilities.selectors import FacilityFilter, facility_list
from laoxiao.people.models import Person


def _offered(programme: Programme, prefixes: list[str]) -> bool:
    """A city's programme is offered to users inside that city and to those above it (the province)."""
    if not programme.city_code:
        return True
    city = areacode.own_prefix(programme.city_code)
    return any(programme_covers(programme, areacode.code_of(p)) or city.startswith(p) for p in prefixes)


def _user_prefixes(user: User) -> list[str]:
    """The area prefixes a user works in: their area, or their institutions' areas."""
    if user.area is not None:
        return [areacode.prefix(user.area.code, user.area.level)]
    return list(Facility.objects.filter(pk__in=user.organisation_ids).values_list("area_id", flat=True))


def programme_list(*, user: User) -> list[Programme]:
    """The programmes of the user's city (and those any city runs); another city's are not offered."""
    prefixes = _user_prefixes(user)
    programmes = public(Programme.objects.prefetch_related("versions").order_by("code"))
    return [p for p in programmes if _offered(p, prefixes)]


def programme_get(*, user: User, code: str) -> Programme:
    programme = public(Programme.objects.all()).get(code=code)
    if not _offered(programme, _user_prefixes(user)):
        raise Programme.DoesNotExist
    return programme


def batch_list(*, user: User, programme: Programme | None = None, status: str = "") -> QuerySet[PaymentBatch]:
    """A programme's batches, or every programme's (`programme` None), optionally of one status."""
    batches = PaymentBatch.objects.filter(programme=programme) if programme else PaymentBatch.objects.all()
    if status:
        batches = batches.filter(status=status)
    return (
        scoped(user, batches)
        .select_related("area", "programme")
        .annotate(  # held-back lines are not paid: the totals leave them out, as the batch page does
            n=Count("payments", filter=~Q(payments__status=Payment.Status.HELD)),
            total=Sum("payments__amount", filter=~Q(payments__status=Payment.Status.HELD)),
        )
        .order_by("-period", "-id")
    )


def batch_get(*, user: User, pk: int) -> PaymentBatch:
    return scoped_get(
        user, PaymentBatch.objects.select_related("programme", "area", "created_by", "approved_by"), pk=pk
    )


def batch_payments(*, user: User, batch: PaymentBatch, q: str = "", status: str = "") -> QuerySet[Payment]:
    """A batch's lines, found by name and/or the last four digits of the ID number ("张 1234"), and status."""
    lines = scoped(user, Payment.objects.filter(batch=batch)).select_related("area").order_by("id")
    if status in Payment.Status.values:
        lines = lines.filter(status=status)
    for word in q.split():
        if len(word) == 4 and word[:3].isdigit() and (word[3].isdigit() or word[3] in "xX"):
            tails = with_id_ending(Person.objects.filter(pk__in=lines.values("beneficiary_id")), word)
            lines = lines.filter(beneficiary_type=Programme.Beneficiary.PERSON, beneficiary_id__in=tails.values("pk"))
        else:
            lines = lines.filter(beneficiary_name__contains=word)
    return lines


def batch_summary(*, user: User, batch: PaymentBatch) -> dict[str, Any]:
    """Count and amount of the batch (held-back lines left out) and of each status."""
    lines = scoped(user, Payment.objects.filter(batch=batch))
    by_status = {
        row["status"]: row
        for row in lines.values("status").annotate(n=Count("id"), total=Sum("amount")).order_by("status")
    }
    total = scoped(user, payable(batch)).aggregate(n=Count("id"), total=Sum("amount"))
    statuses = [
        {"status": s.value, "label": s.label, "n": by_status[s.value]["n"], "total": by_status[s.value]["total"]}
        for s in Payment.Status
        if s.value in by_status
    ]
    missing = batch_lines_without_account(user=user, batch=batch).aggregate(n=Count("id"), total=Sum("amount"))
    return {
        "n": total["n"],
        "total": total["total"] or 0,
        "statuses": statuses,
        "no_account": missing["n"],
        "no_account_total": missing["total"] or 0,
        "held_no_account": lines.filter(status=Payment.Status.HELD, hold_reason=no_account_reason()).count(),
        # what approval pays: the lines without an account are held back by it
        "approvable_n": total["n"] - missing["n"],
        "approvable_total": (total["total"] or 0) - (missing["total"] or 0),
    }


def batch_lines_without_account(*, user: User, batch: PaymentBatch) -> QuerySet[Payment]:
    """The lines still to be paid whose beneficiary has no payee account: approval holds them back."""
    lines = scoped(user, payable(batch)).select_related("area")
    return without_account(lines, batch.programme.beneficiary)


def payment_line_details(*, user: User, payments: list[Payment]) -> dict[int, dict[str, str]]:
    """Masked ID number and payee account of the lines on one page, by payment id."""
    ids = [p.beneficiary_id for p in payments]
    kind = payments[0].beneficiary_type if payments else ""
    masked_ids = (
        dict(scoped(user, Person.objects.filter(pk__in=ids)).values_list("pk", "id_number_masked"))
        if kind == Programme.Beneficiary.PERSON
        else {}
    )
    accounts = {
        a.beneficiary_id: a
        for a in scoped(user, PayeeAccount.objects.filter(beneficiary_type=kind, beneficiary_id__in=ids))
    }
    return {
        p.pk: {
            "id_number": masked_ids.get(p.beneficiary_id, ""),
            "account": str(accounts[p.beneficiary_id]) if p.beneficiary_id in accounts else "",
        }
        for p in payments
    }


def batch_events(*, user: User, batch: PaymentBatch) -> list[tuple[StatusChange, str]]:
    """The batch's timeline: its own moves and its lines' (held back, released), each with the name of
    the line's beneficiary ("" for the batch's)."""
    changes = list(scoped_get(user, PaymentBatch.objects.all(), pk=batch.pk).timeline())
    line_type = ContentType.objects.get_for_model(Payment)
    lines = [c.object_id for c in changes if c.content_type_id == line_type.pk]
    names = dict(Payment.objects.filter(pk__in=lines).values_list("pk", "beneficiary_name"))
    return [(c, names[c.object_id] if c.content_type_id == line_type.pk else "") for c in changes]


def payment_get(*, user: User, pk: int) -> Payment:
    return scoped_get(user, Payment.objects.select_related("batch"), pk=pk)


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

    rows = (
        scoped(
            user,
            Payment.objects.filter(period__startswith=year, status__in=(Payment.Status.APPROVED, Payment.Status.PAID)),
        )
        .annotate(county=areacode.county_of("area_id"))
        .values("programme__name", "programme__funding_source", "programme__budget", "period", "county")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by("programme__name", "period", "county")
    )
    return [dict(row) for row in rows]


def document_get(*, user: User, pk: int) -> ApplicationDocument:
    return scoped_get(user, ApplicationDocument.objects.all(), pk=pk)


def entitlement(*, programme_code: str, person: Person, on: dt.date) -> tuple[RuleVersion, Decision] | None:
    """What `person` is granted by a programme's rule in force on `on`; None when the programme is absent."""
    programme = public(Programme.objects.filter(code=programme_code)).first()
    if programme is None:
        return None
    version = rule_in_force(programme)
    return version, decide(version.rule, person_facts([person], on)[person.pk])


def facilities_to_apply(*, user: User, rule: dict[str, Any]) -> QuerySet[Facility]:
    """The user's facilities of the kinds a programme is for (a childcare grant is not offered to a care home)."""
    facilities = facility_list(user=user, filters=FacilityFilter())
    kinds = facility_kinds(rule)
    return facilities if kinds is None else facilities.filter(kind__in=kinds)
