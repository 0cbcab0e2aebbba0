"""On the demo city: proactive runs into payment batches, approval, the payment file, reconciliation,
holds, overpayments and the pages."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from laoxiao.accounts.roles import Role
from laoxiao.benefits import policy, services
from laoxiao.benefits.models import Application, PayeeAccount, Payment, PaymentBatch, Programme
from laoxiao.core.bulk import insert_with_history
from laoxiao.core.identifiers import age_on
from laoxiao.core.models import Area, ExportLog, IdentifierReveal
from laoxiao.core.personal import sealed, unsealed
from laoxiao.core.scope import system_area_scope
from laoxiao.people.models import Person
from tests import factories
from tests.rollback import rolled_back

PERIOD_END = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def _demo_payments_set_aside(demo_city, django_db_blocker):
    """These tests make their own runs and applications: the demo's are set aside for the module."""
    with django_db_blocker.unblock(), rolled_back():
        Payment.objects.all().delete()
        PaymentBatch.objects.all().delete()
        Application.objects.all().delete()
        PayeeAccount.objects.all().delete()
        yield


@pytest.fixture
def city(_demo_payments_set_aside, db):
    return Area.objects.get(code="640100000000")


def test_advanced_age_allowance_run_pays_everyone_80_and_over_once(city):
    officer = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    allowance = Programme.objects.get(code="advanced-age-allowance")
    batch = services.proactive_run(by=officer, programme=allowance, area=city, period="2026-11")
    aged = [p for p in Person.objects.filter(status="active") if age_on(p.birth_date, PERIOD_END) >= 80]
    assert batch.payments.count() == len(aged) > 0
    for payment in batch.payments.all()[:50]:
        age = age_on(Person.objects.get(pk=payment.beneficiary_id).birth_date, PERIOD_END)
        assert payment.amount == (Decimal(100) if age < 90 else Decimal(200) if age < 100 else Decimal(500))
        assert payment.rule_version.version == 1
    batches = PaymentBatch.objects.count()
    with pytest.raises(ValidationError) as again:  # a second run of the period makes no empty batch
        services.proactive_run(by=officer, programme=allowance, area=city, period="2026-11")
    assert "已没有待发放的对象" in again.value.message_dict["period"][0]
    assert PaymentBatch.objects.count() == batches

    gone = aged[0]
    Person.objects.filter(pk=gone.pk).update(status="deceased")
    december = services.proactive_run(by=officer, programme=allowance, area=city, period="2026-12")
    aged_december = [
        p for p in Person.objects.filter(status="active") if age_on(p.birth_date, dt.date(2026, 12, 31)) >= 80
    ]
    assert december.payments.count() == len(aged_december)
    assert december.changes["new"] == len(aged_december) - (len(aged) - 1)  # those who turned 80 in December
    assert december.changes["dropped"][str(gone.pk)]["reasons"] == ["在册（未去世、未迁出）: False"]


def test_approve_file_and_reconcile(city):
    maker = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    checker = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    batch = _allowance_batch(maker, city)
    with pytest.raises(ValidationError):
        services.batch_approve(by=maker, batch=batch)
    with pytest.raises(ValidationError):
        services.payment_file(by=maker, batch=batch)
    services.batch_approve(by=checker, batch=batch)
    content = b"".join(services.payment_file(by=checker, batch=batch))
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == batch.payments.count() and len(rows[0]["证件号码"]) == 18
    # Each person the file names gets an entry in the reveal log; the file itself one in the export log.
    reveals = IdentifierReveal.objects.filter(subject_type="person", user=checker, field__startswith="id_number")
    assert sorted(reveals.values_list("subject_id", flat=True)) == sorted(
        batch.payments.values_list("beneficiary_id", flat=True)
    )
    assert ExportLog.objects.get(user=checker).rows == len(rows)
    assert PaymentBatch.objects.get(pk=batch.pk).status == "approved"  # a file downloaded is not money sent
    with pytest.raises(ValidationError):  # the bank answers for a batch it has been given
        services.batch_reconcile(by=checker, batch=PaymentBatch.objects.get(pk=batch.pk), content=b"")
    services.batch_send(by=checker, batch=PaymentBatch.objects.get(pk=batch.pk))
    bad = "序号,结果,原因\n1,成功,\n999,成功,\n".encode()
    with pytest.raises(ValidationError) as caught:
        services.batch_reconcile(by=checker, batch=PaymentBatch.objects.get(pk=batch.pk), content=bad)
    assert "999" in str(caught.value)
    result = "序号,结果,原因\n" + "".join(
        f"{n},{'失败' if n == 1 else '成功'},{'账户冻结' if n == 1 else ''}\n" for n in range(1, len(rows) + 1)
    )
    with pytest.raises(ValidationError) as caught:
        services.batch_reconcile(by=checker, batch=PaymentBatch.objects.get(pk=batch.pk), content=b"\xff\xff")
    assert caught.value.message_dict["file"] == ["银行回盘文件：CSV文件编码既不是UTF-8也不是GB18030。"]
    # the bank's file as Excel in China saves it
    gb18030 = result.encode("gb18030")
    summary = services.batch_reconcile(by=checker, batch=PaymentBatch.objects.get(pk=batch.pk), content=gb18030)
    assert summary == {"paid": len(rows) - 1, "failed": 1, "total": len(rows)}
    assert PaymentBatch.objects.get(pk=batch.pk).status == "reconciled"
    assert Payment.objects.filter(batch=batch, status="failed").get().failure_reason == "账户冻结"


def test_the_database_refuses_a_second_payment_for_the_same_period(city):
    officer = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    programme = Programme.objects.get(code="baotou-operating")
    args = {
        "programme": programme,
        "beneficiary_type": "facility",
        "beneficiary_id": 1,
        "name": "某养老院",
        "area": city,
        "period": "2026-11",
        "amount": Decimal(8000),
    }
    services.payment_record(by=officer, **args)
    with pytest.raises(ValidationError):
        services.payment_record(by=officer, **args)
    with pytest.raises(IntegrityError), transaction.atomic():  # not only the service: the table itself
        Payment.objects.create(
            programme=programme,
            rule_version=programme.versions.get(),
            beneficiary_type="facility",
            beneficiary_id=1,
            beneficiary_name="x",
            area=city,
            period="2026-11",
            amount=1,
        )


def test_benefit_pages_render_and_refuse_other_roles(client, city):
    officer = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    client.force_login(officer)
    assert "高龄津贴" in client.get("/benefits/").content.decode()
    page = client.get("/benefits/advanced-age-allowance/").content.decode()
    assert "生成某期间的全部符合条件对象" in page
    bad = client.post("/benefits/advanced-age-allowance/", {"area": "640100000000", "period": "2026-13"})
    assert "发放期间：请写作 2026-11" in bad.content.decode() and not PaymentBatch.objects.exists()
    client.force_login(factories.make_user(Role.INSPECTOR, factories.CITY))
    assert client.get("/benefits/").status_code == 403


def test_simulator_compares_a_draft_with_the_rule_in_force_and_publishes_it(client, city):
    import json

    officer = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    client.force_login(officer)
    allowance = Programme.objects.get(code="advanced-age-allowance")
    draft = json.loads(json.dumps(policy.rule_in_force(allowance).rule))
    draft["eligibility"][0]["value"] = 70  # from 70 instead of 80
    draft["amount"]["bands"].insert(0, [70, 79, 50])
    page = client.post("/benefits/advanced-age-allowance/simulator/", {"rule": json.dumps(draft)}).content.decode()
    result = policy.simulate(programme=allowance, scope=system_area_scope(city), rule=draft, on=dt.date(2026, 11, 30))
    draft_n = sum(r["draft_n"] for r in result.values())
    now_n = sum(r["now_n"] for r in result.values())
    assert draft_n > now_n > 0 and f'data-test="draft-n">{draft_n:,}' in page
    assert Payment.objects.count() == 0  # simulating writes nothing
    client.post("/benefits/advanced-age-allowance/simulator/", {"rule": json.dumps(draft), "publish": "1"})
    assert policy.rule_in_force(allowance).version == 2
    assert "不是" in client.post("/benefits/advanced-age-allowance/simulator/", {"rule": "[1]"}).content.decode()


def test_spending_report_by_programme_period_and_county(client, city):
    maker = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    checker = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    batch = _allowance_batch(maker, city)
    services.batch_approve(by=checker, batch=batch)
    client.force_login(maker)
    page = client.get("/benefits/spending/", {"year": "2026"}).content.decode()
    total = sum(p.amount for p in batch.payments.all())
    assert "高龄津贴" in page and "兴庆区" in page
    from openpyxl import load_workbook

    sheet = load_workbook(
        io.BytesIO(client.get("/benefits/spending/", {"year": "2026", "format": "xlsx"}).getvalue())
    ).active
    assert sum(row[5] for row in sheet.iter_rows(min_row=2, values_only=True)) == float(total)


def test_overpayments_after_death_and_signals(client, city):
    from laoxiao.benefits import integrity
    from laoxiao.core.audit import set_actor

    maker = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    checker = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    allowance = Programme.objects.get(code="advanced-age-allowance")
    person = Person.objects.filter(birth_date__lte=dt.date(1940, 1, 1), status="active").first()
    person.status = "deceased"
    set_actor(person, maker)
    person.save()  # recorded in the history today
    future = timezone.localdate().replace(day=1) + dt.timedelta(days=40)
    services.payment_record(
        by=maker,
        programme=allowance,
        beneficiary_type="person",
        beneficiary_id=person.pk,
        name=person.name,
        area=city,
        period=f"{future:%Y-%m}",
        amount=Decimal(100),
    )
    past = timezone.localdate().replace(day=1) - dt.timedelta(days=40)
    services.payment_record(  # paid for a month before the death: not an overpayment
        by=maker,
        programme=allowance,
        beneficiary_type="person",
        beneficiary_id=person.pk,
        name=person.name,
        area=city,
        period=f"{past:%Y-%m}",
        amount=Decimal(90),
    )
    Payment.objects.update(status="approved")
    found = integrity.overpayments(user=checker)
    assert [(f.payment.beneficiary_id, f.amount) for f in found] == [(person.pk, Decimal(100))]
    person.status = "active"  # registered again: the payment made after leaving stays to recover
    set_actor(person, maker)
    person.save()
    assert [f.reason for f in integrity.overpayments(user=checker)] == [f"离册于 {timezone.localdate():%Y-%m-%d}"]
    client.force_login(checker)
    row = client.get("/benefits/integrity/").content.decode().split('data-test="overpayments"')[1].split("</table>")[0]
    assert person.name in row and "100.00" in row and "90.00" not in row

    home = factories.make_facility(by=maker, area=factories.XINGQING_VILLAGE)
    carer = factories.make_caregiver(by=maker, facility=home, name="离职护理员")
    carer.left_on = dt.date(2026, 1, 31)
    carer.save()
    for period in ("2026-06", "2026-Q2", "2026-Q1"):  # a quarter that began before they left is not a signal
        services.payment_record(
            by=maker,
            programme=Programme.objects.get(code="baotou-caregiver-allowance"),
            beneficiary_type="staff",
            beneficiary_id=carer.pk,
            name=carer.name,
            area=city,
            period=period,
            amount=Decimal(300),
        )
    services.payment_record(
        by=maker,
        programme=Programme.objects.get(code="baotou-operating"),
        beneficiary_type="facility",
        beneficiary_id=home.pk,
        name=home.name,
        area=city,
        period="2026-06",
        amount=Decimal(100 * (home.beds_total + 5)),
    )
    Payment.objects.update(status="approved")
    found = sorted((f.reason, f.payment.period) for f in integrity.fraud_signals(user=checker))
    assert found == [
        ("运营补贴对应床位数超过机构床位总数", "2026-06"),
        ("领取岗位津贴时不在岗", "2026-06"),
        ("领取岗位津贴时不在岗", "2026-Q2"),
    ]
    client.force_login(checker)
    assert "离职护理员" in client.get("/benefits/integrity/").content.decode()


def test_monthly_runs_for_care_homes_and_caregivers(city):
    from laoxiao.benefits.facts import staff_facts
    from laoxiao.facilities.models import Facility, StaffMember

    officer = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    factories.adopt_programmes("baotou-operating", "baotou-caregiver-allowance")
    operating = services.proactive_run(
        by=officer, programme=Programme.objects.get(code="baotou-operating"), area=city, period="2026-11"
    )
    homes = Facility.objects.filter(kind="care_home", status="operating").exclude(uscc=None)
    assert operating.payments.count() == homes.count()
    assert sum(p.amount for p in operating.payments.all()) == sum(h.beds_occupied for h in homes) * 100

    allowance = services.proactive_run(
        by=officer, programme=Programme.objects.get(code="baotou-caregiver-allowance"), area=city, period="2026-11"
    )
    carers = list(StaffMember.objects.filter(role="caregiver"))
    facts = staff_facts(carers, dt.date(2026, 11, 30))
    expected = {
        m.pk: {"junior": 100, "intermediate": 300, "senior": 500}[facts[m.pk]["staff.certificate_level"]]
        for m in carers
        if facts[m.pk]["staff.certificate_level"]
        and facts[m.pk]["staff.years_of_care_work"] >= 2
        and facts[m.pk]["staff.on_staff"]
    }
    paid = {p.beneficiary_id: int(p.amount) for p in allowance.payments.all()}
    assert paid == expected and paid


def test_a_banks_own_payment_file_layout(client, city, settings):
    settings.LAOXIAO_PAYMENT_FILE_LAYOUTS = {"农商银行": {"账号标识": "id_number", "户名": "name", "金额": "amount"}}
    maker = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    checker = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    batch = _allowance_batch(maker, city)
    services.batch_approve(by=checker, batch=batch)
    client.force_login(checker)
    content = client.get(f"/benefits/batches/{batch.pk}/payments.csv", {"layout": "农商银行"}).getvalue()
    assert content.decode("utf-8-sig").splitlines()[0] == "账号标识,户名,金额"
    assert client.get(f"/benefits/batches/{batch.pk}/payments.csv", {"layout": "nope"}).status_code == 404


def test_a_line_is_held_back_and_left_out_of_approval_total_and_file(client, city):
    maker = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    checker = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    batch = _allowance_batch(maker, city)
    first, second = batch.payments.order_by("id")[:2]
    full_total = sum(p.amount for p in batch.payments.all())
    with pytest.raises(ValidationError):
        services.payment_hold(by=maker, payment=first, reason=" ")  # a reason is required
    client.force_login(checker)
    client.post(f"/benefits/payments/{first.pk}/hold/", {"reason": "死亡待核实"})
    client.post(f"/benefits/payments/{second.pk}/hold/", {"reason": "户籍迁出待核实"})
    client.post(f"/benefits/payments/{second.pk}/hold/", {"release": "1"})
    page = client.get(f"/benefits/batches/{batch.pk}/").content.decode()
    n = batch.payments.count() - 1
    total = full_total - first.amount
    assert f"{n:,} 笔，合计 {total:,.2f} 元" in page
    assert "暂缓发放 · 死亡待核实" in page and "死亡待核实" in page.split('data-test="batch-events"')[1]
    assert "户籍迁出待核实" in page.split('data-test="batch-events"')[1]  # the timeline keeps the released hold
    services.batch_approve(by=checker, batch=batch)
    assert Payment.objects.get(pk=first.pk).status == "held"
    with pytest.raises(ValidationError):  # released only before approval
        services.payment_release(by=checker, payment=Payment.objects.get(pk=first.pk))
    rows = _paid_file(b"".join(services.payment_file(by=checker, batch=PaymentBatch.objects.get(pk=batch.pk))))
    assert len(rows) == n and first.beneficiary_name not in {r["姓名"] for r in rows[:1]}
    assert sum(Decimal(r["金额（元）"]) for r in rows) == total
    result = "序号,结果,原因\n" + "".join(f"{i},成功,\n" for i in range(1, n + 1))
    services.batch_send(by=checker, batch=batch)
    services.batch_reconcile(by=checker, batch=PaymentBatch.objects.get(pk=batch.pk), content=result.encode())
    page = client.get(f"/benefits/batches/{batch.pk}/").content.decode()
    summary = page.split('data-test="batch-summary"')[1].split("</table>")[0]
    assert f'已支付</a></td><td class="num">{n:,}</td><td class="num">{total:,.2f}' in summary
    assert PaymentBatch.objects.get(pk=batch.pk).status == "reconciled"


def test_the_batch_page_finds_a_person_and_the_file_carries_the_sealed_payee_account(client, city):
    maker = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    checker = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    batch = services.proactive_run(
        by=maker, programme=Programme.objects.get(code="advanced-age-allowance"), area=city, period="2026-11"
    )
    line = batch.payments.order_by("id").first()
    with pytest.raises(ValidationError):
        services.payee_account_set(
            by=maker,
            beneficiary_type="person",
            beneficiary_id=line.beneficiary_id,
            area=line.area,
            kind="ss_card",
            number="12ab",
        )
    account = services.payee_account_set(
        by=maker,
        beneficiary_type="person",
        beneficiary_id=line.beneficiary_id,
        area=line.area,
        kind="ss_card",
        number="6217 0012 3456 7890 123",
        bank_name="宁夏银行",
    )
    assert "6217001234567890123" not in account.account_cipher and account.account_masked == "6217 **** **** 0123"
    client.force_login(checker)
    wanted = batch.payments.order_by("-id").first()  # found by name and the last ID digits, past page 1
    person = Person.objects.get(pk=wanted.beneficiary_id)
    page = client.get(f"/benefits/batches/{batch.pk}/").content.decode()
    assert page.count("<tr><td>") <= 100 and person.id_number_masked not in page
    found = client.get(f"/benefits/batches/{batch.pk}/", {"q": unsealed(person, "id_number")[-4:]}).content.decode()
    assert person.id_number_masked in found and person.name in found
    both = client.get(f"/benefits/batches/{batch.pk}/", {"q": f"{person.name} {unsealed(person, 'id_number')[-4:]}"})
    assert both.context["page"].paginator.count == 1
    assert "社保卡 6217 **** **** 0123" in page and "6217001234567890123" not in page
    assert f"{batch.payments.count() - 1:,} 名对象未登记收款账户" in page
    services.batch_approve(by=checker, batch=batch)
    rows = _paid_file(client.get(f"/benefits/batches/{batch.pk}/payments.csv").getvalue())
    assert (rows[0]["账户类型"], rows[0]["开户银行"], rows[0]["收款账号"]) == (
        "社保卡",
        "宁夏银行",
        "6217001234567890123",
    )
    assert len(rows[0]["证件号码"]) == 18
    reveals = IdentifierReveal.objects.filter(user=checker, subject_type="person", subject_id=line.beneficiary_id)
    assert [r.field for r in reveals] == ["id_number,account"]


def test_a_city_runs_only_its_own_programmes(client, city):
    officer = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    client.force_login(officer)
    listing = client.get("/benefits/").content.decode()
    assert "高龄津贴" in listing and "新增普惠托位中央预算内投资补助" in listing
    assert "农村牧区" not in listing and "养老服务机构运营补贴" not in listing  # 包头市's, not 银川市's
    assert client.get("/benefits/baotou-rural-mutual-aid/").status_code == 404
    with pytest.raises(ValidationError) as refused:
        services.proactive_run(
            by=officer, programme=Programme.objects.get(code="baotou-operating"), area=city, period="2026-11"
        )
    assert "包头市" in str(refused.value)
    page = client.get("/benefits/advanced-age-allowance/").content.decode()
    source = page.split('data-test="programme-source">')[1].split("</dd>")[0]
    assert source.startswith("通用规则") and not any("a" <= c <= "z" for c in source)
    assert "发放周期" in page and "建设期限" not in page


def test_approval_holds_back_the_lines_without_a_payee_account_and_says_so(client, city, settings):
    from laoxiao.benefits.views import MISSING_PER_PAGE

    settings.LAOXIAO_PAGE_SIZE = 2
    missing = MISSING_PER_PAGE + 1  # the list of lines without an account runs to a second page
    maker = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    checker = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    batch = _allowance_batch(maker, city, without_account=missing)
    unpaid = list(batch.payments.order_by("id"))[-missing:]
    n, total = batch.payments.count(), sum(p.amount for p in batch.payments.all())
    held_total = sum(p.amount for p in unpaid)
    client.force_login(checker)
    page = client.get(f"/benefits/batches/{batch.pk}/").content.decode()
    listed = page.split('data-test="no-account-lines"')[1].split("</table>")[0]
    assert f"未登记收款账户的发放 · {missing} 笔" in page
    assert listed.count("<tr><td>") == MISSING_PER_PAGE and unpaid[0].beneficiary_name in listed
    second = client.get(f"/benefits/batches/{batch.pk}/", {"missing_page": 2}).content.decode()
    assert second.split('data-test="no-account-lines"')[1].split("</table>")[0].count("<tr><td>") == 1
    statement = page.split('data-test="approve-holds"')[1].split("</p>")[0]
    assert f"{missing} 笔未登记收款账户的发放（{held_total:,.2f} 元）将暂缓发放" in statement
    assert f"批准发放 {n - missing:,} 笔，合计 {total - held_total:,.2f} 元" in statement

    # The approval pays out public money: the first POST only shows what it pays, for what and from which funds.
    confirm = client.post(f"/benefits/batches/{batch.pk}/approve/").content.decode()
    assert PaymentBatch.objects.get(pk=batch.pk).status == "draft"
    facts = confirm.split('data-test="confirm"')[1]
    assert "高龄津贴 · 2026-11 · 银川市" in facts and f"{n - missing:,} 笔，合计 {total - held_total:,.2f} 元" in facts
    assert Programme.objects.get(code="advanced-age-allowance").funding_source in facts
    assert f"批准时将暂缓 {missing} 笔未登记收款账户的发放（{held_total:,.2f} 元），本批次不予支付。" in facts
    assert ">确认审批</button>" in facts and f'href="/benefits/batches/{batch.pk}/"' in facts  # 返回
    approved = client.post(f"/benefits/batches/{batch.pk}/approve/", {"confirmed": "1"}, follow=True)
    approved = approved.content.decode()
    assert f"已批准：{n - missing} 笔，合计 {total - held_total:,.2f} 元。" in approved
    assert f"{missing} 笔未登记收款账户，已暂缓发放，不予支付。" in approved
    held = client.get(f"/benefits/batches/{batch.pk}/", {"status": "held"}).content.decode()
    assert held.count("暂缓发放 · 未登记收款账户") == 2  # each held line shows why (two to a page here)
    assert f"{missing} 笔暂缓发放：未登记收款账户。" in approved.split('data-test="batch-events"')[1]
    assert 'data-test="no-account-lines"' not in approved
    assert {p.status for p in Payment.objects.filter(pk__in=[p.pk for p in unpaid])} == {"held"}
    rows = _paid_file(client.get(f"/benefits/batches/{batch.pk}/payments.csv").getvalue())
    assert len(rows) == n - missing and all(r["收款账号"] for r in rows)


def test_downloading_the_payment_file_is_logged_and_sending_it_is_a_confirmed_step(client, city):
    maker = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    checker = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    batch = _allowance_batch(maker, city)
    services.batch_approve(by=checker, batch=batch)
    client.force_login(checker)
    for _n in range(2):  # a file opened twice is still not money sent
        assert client.get(f"/benefits/batches/{batch.pk}/payments.csv").getvalue().startswith("\ufeff序号".encode())
    assert ExportLog.objects.filter(user=checker).count() == 2  # each download is an export of personal data
    page = client.get(f"/benefits/batches/{batch.pk}/").content.decode()
    assert '<dd data-test="batch-status">已审核通过</dd>' in page and 'data-test="send"' in page
    assert 'data-test="reconcile"' not in page

    confirm = client.post(f"/benefits/batches/{batch.pk}/send/").content.decode()
    assert "支付文件已交给银行了吗？" in confirm and ">确认已交银行</button>" in confirm
    assert PaymentBatch.objects.get(pk=batch.pk).status == "approved"
    page = client.post(f"/benefits/batches/{batch.pk}/send/", {"confirmed": "1"}, follow=True).content.decode()
    assert '<dd data-test="batch-status">已交银行</dd>' in page and 'data-test="reconcile"' in page
    timeline = page.split('data-test="batch-events"')[1]
    assert "已审核通过 → 已交银行" in timeline and 'data-test="send"' not in page
    again = client.post(f"/benefits/batches/{batch.pk}/send/", {"confirmed": "1"}, follow=True).content.decode()
    assert "当前状态为“已交银行”，不能变为“已交银行”" in again


def test_a_run_takes_its_area_from_the_picker_and_refuses_a_period_not_yet_begun(client, city):
    officer = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    client.force_login(officer)
    form = client.get("/benefits/advanced-age-allowance/").content.decode()
    assert '<input type="hidden" name="area"' in form and "区划代码" not in form
    assert '<option value="640104000000">兴庆区</option>' in form
    today = timezone.localdate()
    later = f"{today.year + (today.month == 12)}-{today.month % 12 + 1:02d}"  # next month
    for period in (later, f"{today.year + 1}"):
        page = client.post("/benefits/advanced-age-allowance/", {"area": "", "period": period}).content.decode()
        assert f"发放期间 {period} 尚未开始：最晚只能发放本月（{today:%Y-%m}）。" in page
    page = client.post("/benefits/advanced-age-allowance/", {"area": "150200000000", "period": "2026-11"})
    assert "地区“150200000000”不存在或不在您的辖区内" in page.content.decode()  # 包头市 is not the officer's
    assert not PaymentBatch.objects.exists()
    response = client.post("/benefits/advanced-age-allowance/", {"area": "640104000000", "period": "2026-11"})
    assert PaymentBatch.objects.get().area_id == "640104000000" and response.status_code == 302


def _paid_file(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _allowance_batch(maker, city, *, without_account: int = 0) -> PaymentBatch:
    """This month's 高龄津贴 draft, every beneficiary with a social-security card but the last `without_account`."""
    batch = services.proactive_run(
        by=maker, programme=Programme.objects.get(code="advanced-age-allowance"), area=city, period="2026-11"
    )
    lines = list(batch.payments.order_by("id").values_list("beneficiary_id", "area_id"))
    rows = [
        {
            "beneficiary_type": "person",
            "beneficiary_id": pk,
            "area_id": area,
            "kind": "ss_card",
            "bank_name": "宁夏银行",
        }
        | sealed("account", f"6217{pk:015d}")
        for pk, area in lines[: len(lines) - without_account]
    ]
    insert_with_history(PayeeAccount, rows)
    return batch
