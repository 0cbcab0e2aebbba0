"""Payments that should not have been made, for recovery, and signals of possible fraud for review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from laoxiao.accounts.models import User
from laoxiao.benefits.models import Payment
from laoxiao.core.months import period_months
from laoxiao.core.scope import scoped
from laoxiao.facilities.models import Facility, StaffMember
from laoxiao.people.models import Person

PAID = (Payment.Status.APPROVED, Payment.Status.PAID)
# Named rather than "not active", so that the status index can find them.
LEFT_REGISTER = [status for status in Person.Status.values if status != Person.Status.ACTIVE]


@dataclass(frozen=True)
class Finding:
    payment: Payment
    reason: str
    amount: Decimal


def _period_start(period: str) -> dt.date | None:
    """The first day of a period (2026-11, 2026-Q4, 2026); None for a period written otherwise."""
    try:
        year, first, _last = period_months(period)
    except ValidationError:
        return None
    return dt.date(year, first, 1)


def overpayments(*, user: User) -> list[Finding]:
    """Person payments for periods that began after the person died or moved away (first stopped being
    an active resident, by the audit history). Only the payments of the few who left are read: their
    history rows are found by the status index, not by the whole register's."""
    left = Person.history.filter(status__in=LEFT_REGISTER)
    payments = (
        scoped(
            user,
            Payment.objects.filter(beneficiary_type="person", status__in=PAID, beneficiary_id__in=left.values("id")),
        )
        .annotate(
            left_at=Subquery(
                left.filter(id=OuterRef("beneficiary_id")).order_by("history_date").values("history_date")[:1]
            )
        )
        .select_related("programme")
    )
    findings = []
    for payment in payments:
        start, left_on = _period_start(payment.period), timezone.localdate(payment.left_at)
        if start and start > left_on:
            findings.append(Finding(payment, f"离册于 {left_on:%Y-%m-%d}", payment.amount))
    return findings


def fraud_signals(*, user: User) -> list[Finding]:
    """Payments to list for review: an allowance for a caregiver not on staff in that period; an operating
    subsidy for more occupied beds than the home has. Only the payments of staff who left or are gone
    from the register are read, each set found by a subquery, not an id list of every payment."""
    findings = []
    staff = StaffMember.objects.all()
    suspect = Q(beneficiary_id__in=staff.filter(left_on__isnull=False).values("id")) | ~Q(
        beneficiary_id__in=staff.values("id")
    )
    staff_payments = scoped(user, Payment.objects.filter(beneficiary_type="staff", status__in=PAID)).filter(suspect)
    members = StaffMember.objects.filter(pk__in=staff_payments.values("beneficiary_id")).in_bulk()
    for payment in staff_payments:
        member, start = members.get(payment.beneficiary_id), _period_start(payment.period)
        if member is None or (start and member.left_on and member.left_on < start):
            findings.append(Finding(payment, "领取岗位津贴时不在岗", payment.amount))
    operating = scoped(
        user, Payment.objects.filter(beneficiary_type="facility", status__in=PAID, programme__code="baotou-operating")
    ).select_related("rule_version")
    homes = Facility.objects.filter(pk__in=operating.values("beneficiary_id")).in_bulk()
    for payment in operating:
        home = homes.get(payment.beneficiary_id)
        rate = Decimal(str(payment.rule_version.rule["amount"]["rate"]))  # per occupied bed, from the rule paid under
        if home is None or payment.amount > home.beds_total * rate:
            findings.append(Finding(payment, "运营补贴对应床位数超过机构床位总数", payment.amount))
    return findings
