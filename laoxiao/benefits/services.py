"""Every write of benefits: loading the shipped programmes, proactive (免申即享) runs into payment
batches, approval, payment files and reconciliation. One payment per beneficiary, programme and
period is the database's rule (a unique constraint), not only this module's."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from laoxiao.accounts.models import User
from laoxiao.benefits.facts import facility_facts, person_facts, staff_facts
from laoxiao.benefits.models import PayeeAccount, Payment, PaymentBatch, Programme, RuleVersion
from laoxiao.benefits.policy import (
    DEFAULT_LAYOUT,
    minimum_age,
    no_account_reason,
    payable,
    require_covered,
    rule_in_force,
    without_account,
)
from laoxiao.benefits.rules import decide
from laoxiao.core import areacode
from laoxiao.core.bulk import insert_with_history
from laoxiao.core.exporting import csv_chunks
from laoxiao.core.identifiers import birth_date_cutoff
from laoxiao.core.models import Area
from laoxiao.core.months import period_end, period_months
from laoxiao.core.personal import seal_into, unsealed
from laoxiao.core.scope import area_range_q
from laoxiao.core.services import export_record, identifier_reveals_record
from laoxiao.core.tabular import FileError, text_encoding
from laoxiao.core.transitions import Workflow, status_change_record
from laoxiao.core.writes import service
from laoxiao.facilities.models import Facility, StaffMember
from laoxiao.people.models import Person

PROGRAMMES_DIR = Path(__file__).resolve().parent / "programmes"
B, P = PaymentBatch.Status, Payment.Status
BATCH_FLOW = Workflow({B.DRAFT: {B.APPROVED}, B.APPROVED: {B.SENT}, B.SENT: {B.RECONCILED}})
# A line is held back and released one at a time; it is approved, paid or failed with its batch, all its
# lines in one UPDATE under the batch's lock, which the batch's status-change row records.
PAYMENT_FLOW = Workflow({P.PROPOSED: {P.APPROVED, P.HELD}, P.HELD: {P.PROPOSED}, P.APPROVED: {P.PAID, P.FAILED}})


# A programme whose rule says so is not paid in cash: home-care orders draw on it month by month.
SERVICE_ALLOWANCE = "service_allowance"


@service
def programmes_sync() -> int:
    """Load the shipped programmes (programmes/*.json) with their rule as published version 1."""
    loaded = 0
    for path in sorted(PROGRAMMES_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        programme, created = Programme.objects.get_or_create(
            code=data["code"],
            defaults={
                "name": data["name"],
                "beneficiary": data["beneficiary"],
                "period": data["period"],
                "mode": data["mode"],
                "funding_source": data["funding"],
                "source": data["source"],
                "city_code": data.get("city", {}).get("code", ""),
                "city_name": data.get("city", {}).get("name", ""),
            },
        )
        if created:
            rule = {**data["rule"], "documents": data.get("documents", [])}  # what an application must bring
            RuleVersion.objects.create(programme=programme, version=1, rule=rule, published_at=timezone.now())
            loaded += 1
    return loaded


def _require_begun(period: str) -> None:
    """A period is paid once it has begun (the city's day): a later one would pay people not yet known to qualify."""
    year, first, _last = period_months(period)
    today = timezone.localdate()
    if (year, first) > (today.year, today.month):
        raise ValidationError(
            {
                "period": _("Payment period %(period)s has not begun: the latest is this month, %(month)s.")
                % {"period": period, "month": today.strftime("%Y-%m")}
            }
        )


Candidate = tuple[int, str, str, dict[str, Any]]  # id, name, area code, facts


def _candidates(
    programme: Programme, rule: dict[str, Any], prefix: str, previous: QuerySet[Payment, int], on: dt.date
) -> list[Candidate]:
    """Everyone a proactive run weighs: active people (and those paid last period, to explain who dropped
    out), open facilities, or staff of the area's facilities."""
    if programme.beneficiary == Programme.Beneficiary.PERSON:
        people = Person.objects.filter(area_range_q("area_id", prefix)).only(
            "id", "name", "birth_date", "status", "area_id"
        )
        if minimum := minimum_age(rule):
            people = people.filter(birth_date__lte=birth_date_cutoff(minimum, on))
        chosen = list(people.filter(Q(status=Person.Status.ACTIVE) | Q(pk__in=previous)))
        facts = person_facts(chosen, on)
        return [(p.pk, p.name, p.area_id, facts[p.pk]) for p in chosen]
    if programme.beneficiary == Programme.Beneficiary.FACILITY:
        homes = Facility.objects.filter(area_range_q("area_id", prefix)).exclude(status=Facility.Status.PLANNED)
        return [(f.pk, f.name, f.area_id, facility_facts(f)) for f in homes]
    members = list(StaffMember.objects.filter(area_range_q("facility__area_id", prefix)).select_related("facility"))
    facts = staff_facts(members, on)
    return [(m.pk, m.name, m.facility.area_id, facts[m.pk]) for m in members]


@service
def proactive_run(*, by: User | None, programme: Programme, area: Area, period: str) -> PaymentBatch:
    """List every eligible beneficiary in `area` for `period` as a draft batch, with who is new and who
    dropped out since the previous period and why. Beneficiaries already paid for the period are left out."""
    if programme.mode != Programme.Mode.PROACTIVE:
        raise ValidationError({"programme": _("Only proactive programmes are run this way.")})
    require_covered(programme, area.code, "area")
    version = rule_in_force(programme)
    if version.rule.get("delivery") == SERVICE_ALLOWANCE:
        raise ValidationError({"programme": _("This allowance is drawn on by home-care orders, not paid in batches.")})
    _require_begun(period)
    on = period_end(period)
    paid_last = _paid_last_period(programme, period)
    candidates = _candidates(programme, version.rule, areacode.prefix(area.code, area.level), paid_last, on)
    already = set(
        Payment.objects.filter(programme=programme, period=period, beneficiary_type=programme.beneficiary).values_list(
            "beneficiary_id", flat=True
        )
    )
    previous = set(paid_last)
    rows, paid_now, dropped = [], set(), {}
    for pk, name, area_code, facts in candidates:
        decision = decide(version.rule, facts)
        if not decision.eligible:
            if pk in previous:
                dropped[str(pk)] = {"name": name, "reasons": decision.reasons}
            continue
        paid_now.add(pk)
        if pk not in already:
            rows.append(
                {
                    "programme_id": programme.pk,
                    "rule_version_id": version.pk,
                    "beneficiary_type": programme.beneficiary,
                    "beneficiary_id": pk,
                    "beneficiary_name": name,
                    "area_id": area_code,
                    "period": period,
                    "amount": decision.amount,
                    "status": Payment.Status.PROPOSED,
                }
            )
    if not rows:  # a second run of the period, or nobody eligible: an empty batch would only be approved by mistake
        raise ValidationError(
            {"period": _("Nobody is left to pay for this period: everyone eligible is already in a batch of it.")}
        )
    try:
        with transaction.atomic():
            batch = PaymentBatch(
                programme=programme,
                area=area,
                period=period,
                created_by=by,
                changes={"new": len(paid_now - previous), "dropped": dropped, "already_paid": len(already & paid_now)},
            )
            batch.save()
            status_change_record(batch, "", batch.status, by=by)
            for row in rows:
                row["batch_id"] = batch.pk
            insert_with_history(Payment, rows, user_id=by.pk if by else None)
    except IntegrityError:
        raise ValidationError(
            {"period": _("Payments for this period are being made by another run; try again.")}
        ) from None
    return batch


def _paid_last_period(programme: Programme, period: str) -> QuerySet[Payment, int]:
    """Who was paid in the programme's latest period before `period`, as a query: a subquery of the people
    weighed, not a list of the city's ~47,000 ids sent back to the database."""
    earlier = (
        Payment.objects.filter(programme=programme, period__lt=period, beneficiary_type=programme.beneficiary)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    if earlier is None:
        return Payment.objects.none().values_list("beneficiary_id", flat=True)
    return Payment.objects.filter(
        programme=programme, period=earlier, beneficiary_type=programme.beneficiary
    ).values_list("beneficiary_id", flat=True)


def _locked_draft_line(payment: Payment) -> Payment:
    """The line and its batch, both locked: only a draft's lines move. The batch first, as its approval
    locks it before its lines, so a hold and an approval at once wait for each other instead of deadlocking."""
    batch_id = Payment.objects.filter(pk=payment.pk).values_list("batch_id", flat=True).first()
    batch = BATCH_FLOW.lock(PaymentBatch(pk=batch_id)) if batch_id is not None else None
    if batch is None or batch.status != PaymentBatch.Status.DRAFT:
        raise ValidationError({"status": _("Only a line of a draft batch can be held back or released.")})
    payment = PAYMENT_FLOW.lock(payment)
    payment.batch = batch
    return payment


@service
def payment_hold(*, by: User, payment: Payment, reason: str) -> Payment:
    """Hold one line of a draft batch back (e.g. a death not yet registered): it is left out of the
    approval, the total and the payment file until released."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for holding this payment back.")})
    payment = _locked_draft_line(payment)
    PAYMENT_FLOW.move(payment, Payment.Status.HELD, by=by, note=reason.strip()[:200])
    payment.hold_reason = reason.strip()[:200]
    payment.save()
    return payment


@service
def payment_release(*, by: User, payment: Payment) -> Payment:
    """Put a held-back line back into its draft batch."""
    payment = _locked_draft_line(payment)
    PAYMENT_FLOW.move(payment, Payment.Status.PROPOSED, by=by)
    payment.hold_reason = ""
    payment.save()
    return payment


@service
def batch_approve(*, by: User, batch: PaymentBatch) -> PaymentBatch:
    """Approve a draft batch. A line whose beneficiary has no payee account cannot be paid: it is held back
    with that reason (and can be paid in a later batch once the account is recorded)."""
    if batch.created_by_id == by.pk:
        raise ValidationError({"status": _("A batch is approved by someone other than who made it.")})
    locked = BATCH_FLOW.lock(batch)  # a second approval waits, then is refused
    BATCH_FLOW.check(locked, PaymentBatch.Status.APPROVED)
    proposed = locked.payments.filter(status=Payment.Status.PROPOSED)
    held = without_account(proposed, locked.programme.beneficiary).update(
        status=Payment.Status.HELD, hold_reason=no_account_reason()
    )
    proposed.update(status=Payment.Status.APPROVED)
    note = _("%(n)d lines held back: no payee account on record.") % {"n": held} if held else ""
    BATCH_FLOW.move(locked, PaymentBatch.Status.APPROVED, by=by, note=note)
    locked.approved_by = by
    locked.save()
    return locked


@service
def payee_account_set(
    *, by: User, beneficiary_type: str, beneficiary_id: int, area: Area, kind: str, number: str, bank_name: str = ""
) -> PayeeAccount:
    """Record where a beneficiary is paid; the number is sealed and shown masked."""
    digits = "".join(number.split())
    errors = {}
    if not digits.isdigit() or not 12 <= len(digits) <= 30:
        errors["number"] = _("An account or card number has 12 to 30 digits.")
    if kind not in PayeeAccount.Kind.values:
        errors["kind"] = _("Account type: “%(value)s” is not one of the allowed values.") % {"value": kind}
    if errors:
        raise ValidationError(errors)
    account = PayeeAccount.objects.filter(beneficiary_type=beneficiary_type, beneficiary_id=beneficiary_id).first()
    account = account or PayeeAccount(beneficiary_type=beneficiary_type, beneficiary_id=beneficiary_id)
    account.area, account.kind, account.bank_name = area, kind, bank_name.strip()[:60]
    seal_into(account, "account", digits)
    account.save()
    return account


@service(on_read=True)  # a log of what a GET read
def payment_file(*, by: User, batch: PaymentBatch, layout: dict[str, str] | None = None) -> Iterator[bytes]:
    """The CSV the bank pays from (UTF-8 with BOM for Excel), streamed. It carries full ID and account
    numbers, so before it is made each person in it gets an entry in the reveal log and the file one in
    the export log. Making it moves nothing: the batch is sent when someone says so (`batch_send`)."""
    layout = layout or DEFAULT_LAYOUT
    batch = BATCH_FLOW.lock(batch)  # the state it is in now, not the one the page read
    if batch.status not in (PaymentBatch.Status.APPROVED, PaymentBatch.Status.SENT):
        raise ValidationError({"status": _("Approve the batch before making its payment file.")})
    lines = payable(batch)
    ids = lines.values("beneficiary_id")
    is_person = batch.programme.beneficiary == Programme.Beneficiary.PERSON
    people = {p.pk: p for p in Person.objects.filter(pk__in=ids).only("id", "name", "id_number_cipher")}
    credit_codes = dict(Facility.objects.filter(pk__in=ids).values_list("pk", "uscc"))
    accounts = {
        (a.beneficiary_type, a.beneficiary_id): a
        for a in PayeeAccount.objects.filter(beneficiary_id__in=ids, beneficiary_type=batch.programme.beneficiary)
    }
    paid = list(lines.values_list("beneficiary_id", flat=True)) if is_person else []
    identifier_reveals_record(
        by=by,
        subject_type="person",
        reveals=[
            (
                pk,
                people[pk].name,
                "id_number,account" if (Programme.Beneficiary.PERSON, pk) in accounts else "id_number",
            )
            for pk in dict.fromkeys(paid)
        ],
    )
    export_record(by=by, kind=_("payment file"), filters=_("batch %(batch)s") % {"batch": batch}, rows=lines.count())

    def identifier(payment: Payment) -> str:
        """A person is paid by citizen ID; an institution by its credit code."""
        if payment.beneficiary_type == Programme.Beneficiary.PERSON:
            return unsealed(people[payment.beneficiary_id], "id_number")
        return credit_codes.get(payment.beneficiary_id) or ""

    def rows() -> Iterator[list[object]]:
        for n, payment in enumerate(lines.iterator(chunk_size=5000), start=1):
            account = accounts.get((payment.beneficiary_type, payment.beneficiary_id))
            values = {
                "n": n,
                "name": payment.beneficiary_name,
                "amount": f"{payment.amount:.2f}",
                "period": payment.period,
                "programme": batch.programme.name,
                "id_number": identifier(payment),
                "account_kind": account.get_kind_display() if account else "",
                "bank": account.bank_name if account else "",
                "account": unsealed(account, "account") if account else "",
            }
            yield [values[field] for field in layout.values()]

    return csv_chunks(list(layout), rows())


@service
def batch_send(*, by: User, batch: PaymentBatch) -> PaymentBatch:
    """Record that the approved batch's payment file has been handed to the bank; its result file is then awaited."""
    locked = BATCH_FLOW.lock(batch)  # a second click waits, then is refused
    BATCH_FLOW.move(locked, PaymentBatch.Status.SENT, by=by)
    locked.save()
    return locked


@service
def batch_reconcile(*, by: User, batch: PaymentBatch, content: bytes) -> dict[str, int]:
    """Read the bank's result file back (序号, 结果 成功/失败, 原因) and mark each payment paid or failed.
    A file that answers for every line reconciles the batch; one that answers for some leaves it sent."""
    try:  # a bank's file saved by Excel in China is GB18030
        rows = list(csv.DictReader(io.StringIO(content.decode(text_encoding(content)))))
    except FileError as exc:
        raise ValidationError({"file": _("Bank result file: %(problem)s") % {"problem": exc}}) from None
    batch = BATCH_FLOW.lock(batch)  # a second upload of the file waits, then finds the batch reconciled
    BATCH_FLOW.check(batch, PaymentBatch.Status.RECONCILED)
    return _reconciled(batch, rows, by=by)


def _reconciled(batch: PaymentBatch, rows: list[dict[str, str]], *, by: User) -> dict[str, int]:
    """Mark the lines of a sent batch (locked) from the bank's rows; a row in error changes nothing."""
    payments = list(payable(batch))
    errors: list[str] = []
    paid: list[tuple[Payment, str]] = []
    failed: list[tuple[Payment, str]] = []
    for line, row in enumerate(rows, start=2):
        number, result = (row.get("序号") or "").strip(), (row.get("结果") or "").strip()
        if not number.isdigit() or not 1 <= int(number) <= len(payments):
            errors.append(_("Row %(row)d: 序号 “%(value)s” is not in this batch.") % {"row": line, "value": number})
        elif result not in ("成功", "失败"):
            errors.append(_("Row %(row)d: 结果 is 成功 or 失败.") % {"row": line})
        else:
            (paid if result == "成功" else failed).append((payments[int(number) - 1], row.get("原因", "")))
    if errors:
        raise ValidationError({"file": errors})
    # One UPDATE per chunk of paid lines and per failure reason: bulk_update's CASE per row took seconds
    # for a county's batch.
    paid_ids = [p.pk for p, _r in paid]
    for start in range(0, len(paid_ids), 2000):
        Payment.objects.filter(pk__in=paid_ids[start : start + 2000]).update(status=Payment.Status.PAID)
    by_reason: dict[str, list[int]] = defaultdict(list)
    for payment, reason in failed:
        by_reason[(reason or "")[:200]].append(payment.pk)
    for reason, ids in by_reason.items():
        Payment.objects.filter(pk__in=ids).update(status=Payment.Status.FAILED, failure_reason=reason)
    if len(paid) + len(failed) == len(payments):
        note = _("%(paid)d paid, %(failed)d failed.") % {"paid": len(paid), "failed": len(failed)}
        BATCH_FLOW.move(batch, PaymentBatch.Status.RECONCILED, by=by, note=note)
        batch.save()
    return {"paid": len(paid), "failed": len(failed), "total": len(payments)}


@service
def payment_record(
    *,
    by: User,
    programme: Programme,
    beneficiary_type: str,
    beneficiary_id: int,
    name: str,
    area: Area,
    period: str,
    amount: Decimal,
) -> Payment:
    """One payment outside a batch (e.g. an approved application); a second for the same period is refused."""
    version = rule_in_force(programme)
    payment = Payment(
        programme=programme,
        rule_version=version,
        beneficiary_type=beneficiary_type,
        beneficiary_id=beneficiary_id,
        beneficiary_name=name,
        area=area,
        period=period,
        amount=amount,
    )
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError:
        raise ValidationError({"period": _("This beneficiary has already been paid for this period.")}) from None
    return payment


@service
def rule_publish(*, by: User, programme: Programme, rule: dict[str, Any]) -> RuleVersion:
    """A new published version; payments already made keep naming the version that produced them."""
    try:
        decide(rule, {})  # the rule must at least be readable
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError({"rule": _("The rule cannot be read: %(error)s") % {"error": exc}}) from None
    latest = programme.versions.select_for_update().order_by("-version").first()
    return RuleVersion.objects.create(
        programme=programme,
        version=(latest.version if latest else 0) + 1,
        rule=rule,
        published_at=timezone.now(),
        published_by=by,
    )
