"""The demo city's benefits, played through the benefits services so that batches, their timelines and
the audit are what the platform itself makes: for every county, a year of monthly 高龄津贴 batches (eleven
paid and reconciled with the bank's result, this month's a draft with lines held back awaiting approval),
payee accounts for most beneficiaries, and applications for the 普惠托位 grant in every state (submitted,
past the first review, approved, paid in a batch, returned)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from laoxiao.accounts.models import User
from laoxiao.accounts.roles import Role
from laoxiao.benefits import applications, policy, services
from laoxiao.benefits.models import Application, PayeeAccount, Payment, PaymentBatch, Programme
from laoxiao.core import areacode
from laoxiao.core.bulk import insert_with_history
from laoxiao.core.models import Area
from laoxiao.core.personal import sealed
from laoxiao.core.scope import area_range_q
from laoxiao.demo.names import person_name
from laoxiao.demo.story import at, moment
from laoxiao.facilities.models import Facility, FacilityKind

if TYPE_CHECKING:
    from laoxiao.demo.generator import Generator

ALLOWANCE = "advanced-age-allowance"
GRANT = "national-inclusive-place"  # the national 普惠托位 grant, applied for by childcare centres
BANKS = ("宁夏银行", "银川农商银行", "中国工商银行", "中国农业银行", "中国建设银行")
FAILURES = ("账户已销户", "户名与账号不符")
HOLDS = ("死亡待核实", "户籍迁出待核实")
MONTHS = 12  # a year of allowance batches, this month's the draft
ACCOUNT_SHARE = 0.95  # the others have no account on record yet: the batch page says so


def build_benefits(gen: Generator) -> None:
    services.programmes_sync()
    counties = gen.places.counties or [gen.places.city]
    allowance = Programme.objects.get(code=ALLOWANCE)
    months = months_up_to(gen.today, MONTHS)
    for county in counties:
        maker, checker = _officer(gen, county, "经办"), _officer(gen, county, "复核")
        for n, period in enumerate(months):
            run = moment(dt.date.fromisoformat(f"{period}-03"), 9)  # run early in its month (at most now)
            with at(run):
                batch = services.proactive_run(by=maker, programme=allowance, area=county, period=period)
                if n == 0:
                    _accounts(gen, batch)
            done = n < len(months) - 1  # every month but this one
            # The first county's bank has not yet answered for last month: its file is out, unreconciled.
            waiting = county == counties[0] and n == len(months) - 2
            _advance(gen, batch, maker, checker, paid=done and not waiting, approved=done, sent=waiting, run=run)
    _applications(gen, counties[0])
    gen.counts["payment_batches"] = PaymentBatch.objects.count()
    gen.counts["payments"] = Payment.objects.count()
    gen.counts["applications"] = Application.objects.count()


def months_up_to(today: dt.date, count: int) -> list[str]:
    """The `count` months up to this one, oldest first (2025-12 … 2026-11 for twelve)."""
    months, first = [], today.replace(day=1)
    for _ in range(count):
        months.append(f"{first:%Y-%m}")
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return months[::-1]


def _officer(gen: Generator, area: Area, duty: str, role: Role = Role.CIVIL_AFFAIRS) -> User:
    """A named officer of the area's bureau (or street office); the bureau hands out their passwords."""
    user, created = User.objects.get_or_create(
        username=f"benefits-{duty}-{area.code}",
        defaults={
            "role": role,
            "area": area,
            "first_name": person_name(gen.rng, female=gen.rng.random() < 0.6, birth_year=gen.rng.randint(1970, 1995)),
            "department": f"{area.name}{'民政局' if role == Role.CIVIL_AFFAIRS else '办事处'}（补贴{duty}）",
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _accounts(gen: Generator, batch: PaymentBatch) -> None:
    """Social-security cards or bank accounts for most of the batch's beneficiaries, sealed in bulk."""
    rows = []
    person = batch.programme.beneficiary == Programme.Beneficiary.PERSON
    for beneficiary_id, area_id in batch.payments.values_list("beneficiary_id", "area_id"):
        if person and gen.rng.random() >= ACCOUNT_SHARE:
            continue
        card = person and gen.rng.random() < 0.7  # an institution is paid into its own bank account
        number = ("6217" if card else "6228") + "".join(gen.rng.choices("0123456789", k=15))
        rows.append(
            {
                "beneficiary_type": batch.programme.beneficiary,
                "beneficiary_id": beneficiary_id,
                "area_id": area_id,
                "kind": PayeeAccount.Kind.SOCIAL_SECURITY_CARD if card else PayeeAccount.Kind.BANK,
                "bank_name": gen.rng.choice(BANKS),
                **sealed("account", number),
            }
        )
    insert_with_history(PayeeAccount, rows)


def _advance(
    gen: Generator,
    batch: PaymentBatch,
    maker: User,
    checker: User,
    *,
    paid: bool,
    approved: bool,
    run: dt.datetime,
    sent: bool = False,
    holds: bool = True,
) -> None:
    """Take a draft batch (made at `run`) as far as its month has gone, a step a day: held lines,
    approval, the file (`sent` stops there), the bank's result (`paid`)."""
    lines = list(batch.payments.order_by("id")[:40]) if holds else []
    with at(run + dt.timedelta(hours=2)):
        for line, reason in zip(gen.rng.sample(lines, min(len(HOLDS), len(lines))), HOLDS, strict=False):
            services.payment_hold(by=maker, payment=line, reason=reason)
    if not approved:
        return
    with at(run + dt.timedelta(days=1)):
        services.batch_approve(by=checker, batch=batch)
    if not (paid or sent):
        return
    with at(run + dt.timedelta(days=2)):
        services.payment_file(by=checker, batch=batch)  # made, then handed to the bank
        batch = services.batch_send(by=checker, batch=batch)
    if not paid:
        return
    count = policy.payable(batch).count()
    failed = set(gen.rng.sample(range(1, count + 1), min(2, count // 50)))  # a large batch has a few
    result = "序号,结果,原因\n" + "".join(
        f"{n},失败,{gen.rng.choice(FAILURES)}\n" if n in failed else f"{n},成功,\n" for n in range(1, count + 1)
    )
    with at(run + dt.timedelta(days=6)):  # the bank's result file came back
        services.batch_reconcile(by=checker, batch=PaymentBatch.objects.get(pk=batch.pk), content=result.encode())


def _applications(gen: Generator, county: Area) -> None:
    """普惠托位 applications of the county's inclusive childcare centres, one in each state."""
    grant = Programme.objects.get(code=GRANT)
    centres = list(
        Facility.objects.filter(
            area_range_q("area_id", areacode.county(county.code)), kind=FacilityKind.CHILDCARE_CENTER, is_inclusive=True
        )
        .select_related("area__parent")
        .order_by("area_id", "id")[:6]
    )
    if len(centres) < 6:
        return
    officer, checker = _officer(gen, county, "经办"), _officer(gen, county, "复核")
    # Submitted over the year: the paid ones long ago, the one waiting longest past its time limit.
    ages = dict(zip((c.pk for c in centres), (14, 9, 300, 200, 120, 5), strict=True))
    submitted, on = {}, {}
    for centre in centres:
        applicant = _officer(gen, centre.area.parent or county, "申报", Role.COMMUNITY_WORKER)
        places = gen.rng.choice((10, 20, 30, 40))
        on[centre.pk] = moment(gen.today - dt.timedelta(days=ages[centre.pk]), 10)
        with at(on[centre.pk]):
            submitted[centre.pk] = applications.application_submit(
                by=applicant,
                programme=grant,
                facility=centre,
                stated={"application.new_inclusive_places": places},
            )

    def review(application: Application, by: User, days: int, **decision: Any) -> None:
        """The review `days` after the application was submitted."""
        with at(on[application.facility_id] + dt.timedelta(days=days)):  # type: ignore[index]
            applications.application_review(by=by, application=application, **decision)

    first, second, paid_a, paid_b, returned, waiting = (submitted[c.pk] for c in centres)
    for application in (second, paid_a, paid_b, returned, waiting):
        street = _officer(gen, application.area.parent or county, "初审", Role.COMMUNITY_WORKER)
        review(application, street, 2, approve=True)
    review(returned, officer, 6, approve=False, reason="新增托位数与备案材料不一致，请补正后重新申请")
    for application in (paid_a, paid_b):
        review(application, officer, 6, approve=True)
    run = on[centres[3].pk] + dt.timedelta(days=10)  # paid_b's grant, with paid_a's, in one batch
    with at(run):
        batch = applications.batch_from_applications(
            by=officer, programme=grant, area=county, year=timezone.localdate().year
        )
        _accounts(gen, batch)
    _advance(gen, batch, officer, checker, paid=True, approved=True, holds=False, run=run)
    review(waiting, officer, 3, approve=True)  # for the next batch
