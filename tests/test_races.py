"""Identical transitions at the same moment, each from its own thread and connection, on PostgreSQL:
exactly one is applied and the others are refused (SQLite serialises every writer, so it proves nothing)."""

import datetime as dt
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from laoxiao.accounts.models import User
from laoxiao.accounts.roles import Role
from laoxiao.assessments import services as assessments
from laoxiao.assessments.models import Assessment
from laoxiao.benefits import services as benefits
from laoxiao.benefits.models import Payment, PaymentBatch, Programme
from laoxiao.core.models import Area
from laoxiao.core.transitions import status_changes
from laoxiao.homecare.models import Order, OrderEvent, Statement
from laoxiao.homecare.orders import services as orders
from laoxiao.homecare.providers import services as homecare
from laoxiao.homecare.providers.services import catalogue_sync
from tests import factories
from tests.concurrency import at_once
from tests.factories import GBT, TOMORROW_9, answers_for_total, confirm_all, order_for, visit_completed

THREADS = 4
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are proven on PostgreSQL (SQLite serialises all writers)")
    factories.load_test_areas()


def _race(attempt: Callable[[], object]) -> list[str]:
    """Run `attempt` in THREADS threads released together; each says whether it was applied or refused."""
    return sorted("applied" if outcome == "applied" else "refused" for outcome in at_once(THREADS, attempt))


ONE = ["applied"] + ["refused"] * (THREADS - 1)


def test_an_assessment_is_assigned_once_by_concurrent_officers():
    civil = factories.make_user(Role.CIVIL_AFFAIRS, factories.XINGQING)
    person = factories.make_person(by=civil, age=82)
    _agency, (first, second) = factories.make_agency_with_assessors(by=civil)
    request = assessments.assessment_request(by=civil, person=person, reason="first", requester_kind="community")

    outcomes = _race(
        lambda: assessments.assessment_assign(by=civil, assessment=request, assessor_1=first, assessor_2=second)
    )
    assert outcomes == ONE
    assert status_changes(request).filter(to_status="assigned").count() == 1
    assert Assessment.objects.get(pk=request.pk).status == "assigned"


def test_a_payment_line_is_held_and_released_once_by_concurrent_officers():
    benefits.programmes_sync()
    officer = factories.make_user(Role.CIVIL_AFFAIRS, factories.XINGQING)
    for _n in range(2):
        factories.make_person(by=officer, age=85)
    batch = benefits.proactive_run(
        by=officer,
        programme=Programme.objects.get(code="advanced-age-allowance"),
        area=Area.objects.get(code=factories.XINGQING),
        period="2026-11",
    )
    line = batch.payments.order_by("id").first()

    assert _race(lambda: benefits.payment_hold(by=officer, payment=line, reason="死亡待核实")) == ONE
    assert status_changes(line).filter(to_status="held").count() == 1
    assert _race(lambda: benefits.payment_release(by=officer, payment=line)) == ONE
    assert status_changes(line).filter(to_status="proposed").count() == 1
    assert Payment.objects.get(pk=line.pk).status == "proposed"


def test_the_sweep_passes_a_lapsed_offer_on_once_when_it_runs_twice_at_once():
    from laoxiao.benefits.services import programmes_sync

    programmes_sync()
    homecare.catalogue_sync()
    civil = factories.make_user(Role.CIVIL_AFFAIRS, factories.XINGQING)
    worker = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    near, _users = factories.make_provider(by=civil, name="近处服务中心", latitude="38.471")
    far, _users = factories.make_provider(by=civil, name="远处服务中心", latitude="38.60")
    person = factories.make_person(by=civil, age=78, latitude=factories.HOME[0], longitude=factories.HOME[1])
    order = order_for(worker, person)
    assert order.provider == near
    Order.objects.filter(pk=order.pk).update(offer_expires_at=timezone.now() - dt.timedelta(minutes=1))

    reports: list[str] = []

    def sweep() -> None:
        out = StringIO()
        call_command("homecare-sweep", stdout=out)
        reports.append(out.getvalue().split(" offers")[0])

    assert _race(sweep) == ["applied"] * THREADS  # every sweep runs; only one of them moves the offer
    assert sorted(reports) == ["0"] * (THREADS - 1) + ["1"]
    order.refresh_from_db()
    assert (order.status, order.provider) == (Order.Status.OFFERED, far)
    kinds = list(OrderEvent.objects.filter(order=order).values_list("kind", flat=True))
    assert kinds == ["created", "offered", "expired", "offered"]


def _refused(state: str, next_state: str) -> str:
    """The one refusal of every workflow (core/transitions.py), as the user reads it."""
    return f"当前状态为“{state}”，不能变为“{next_state}”，可能刚有他人处理过。"


def test_a_payment_batch_is_sent_once_and_reconciled_once_by_concurrent_officers():
    benefits.programmes_sync()
    maker, checker = (factories.make_user(Role.CIVIL_AFFAIRS, factories.XINGQING) for _ in range(2))
    xingqing = Area.objects.get(code=factories.XINGQING)
    for n in range(2):
        person = factories.make_person(by=maker, age=85)
        number = f"62220202001122334{n}"
        benefits.payee_account_set(
            by=maker, beneficiary_type="person", beneficiary_id=person.pk, area=xingqing, kind="bank", number=number
        )
    programme = Programme.objects.get(code="advanced-age-allowance")
    batch = benefits.proactive_run(by=maker, programme=programme, area=xingqing, period="2026-11")
    benefits.batch_approve(by=checker, batch=batch)

    def fresh() -> PaymentBatch:  # each request reads the batch as its page does
        return PaymentBatch.objects.get(pk=batch.pk)

    # Every officer gets the file, which moves nothing; the batch is marked sent to the bank once.
    assert _race(lambda: b"".join(benefits.payment_file(by=checker, batch=fresh()))) == ["applied"] * THREADS
    assert not status_changes(batch).filter(to_status="sent").exists()
    outcomes = at_once(THREADS, lambda: benefits.batch_send(by=checker, batch=fresh()))
    assert outcomes == ["applied"] + [_refused("已交银行", "已交银行")] * (THREADS - 1)
    assert status_changes(batch).filter(to_status="sent").count() == 1

    result = "序号,结果,原因\n1,成功,\n2,失败,账户冻结\n".encode()
    outcomes = at_once(THREADS, lambda: benefits.batch_reconcile(by=checker, batch=fresh(), content=result))
    assert outcomes == ["applied"] + [_refused("已对账", "已对账")] * (THREADS - 1)  # all were applied
    assert status_changes(batch).filter(to_status="reconciled").count() == 1
    assert PaymentBatch.objects.get(pk=batch.pk).status == "reconciled"


def test_an_order_is_accepted_once_and_checked_in_once_by_concurrent_taps():

    benefits.programmes_sync()
    catalogue_sync()
    civil = factories.make_user(Role.CIVIL_AFFAIRS, factories.XINGQING)
    worker = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    provider, (caregiver,) = factories.make_provider(by=civil)
    desk = factories.make_desk(provider)
    person = factories.make_person(by=civil, age=78, latitude=factories.HOME[0], longitude=factories.HOME[1])
    order = order_for(worker, person)

    outcomes = at_once(THREADS, lambda: orders.order_accept(by=desk, order=order))
    assert outcomes == ["applied"] + [_refused("已接单", "已接单")] * (THREADS - 1)
    assert status_changes(order).filter(to_status="accepted").count() == 1
    assert OrderEvent.objects.filter(order=order, kind="accepted").count() == 1

    home = {"latitude": float(factories.HOME[0]), "longitude": float(factories.HOME[1])}
    outcomes = at_once(THREADS, lambda: orders.order_check_in(by=caregiver, order=order, now=TOMORROW_9, **home))
    assert outcomes == ["applied"] + [_refused("服务中", "服务中")] * (THREADS - 1)
    assert status_changes(order).filter(to_status="in_service").count() == 1
    assert Order.objects.get(pk=order.pk).status == "in_service"


def test_an_assessment_is_signed_once_and_cancelled_once_by_concurrent_clicks():
    civil = factories.make_user(Role.CIVIL_AFFAIRS, factories.XINGQING)
    _agency, (first, second) = factories.make_agency_with_assessors(by=civil)

    def ready(person_age: int) -> Assessment:
        """Assigned, answered and signed by the first assessor, every answer confirmed by the second."""
        person = factories.make_person(by=civil, age=person_age)
        request = assessments.assessment_request(by=civil, person=person, reason="first", requester_kind="community")
        assessment = assessments.assessment_assign(by=civil, assessment=request, assessor_1=first, assessor_2=second)
        assessments.assessment_save_answers(by=first.user, assessment=assessment, answers=answers_for_total(GBT, 50))
        assessments.assessment_sign(by=first.user, assessment=assessment)
        confirm_all(second, assessment)
        return assessment

    first_signing = assessments.assessment_assign(
        by=civil,
        assessment=assessments.assessment_request(
            by=civil, person=factories.make_person(by=civil, age=81), reason="first", requester_kind="community"
        ),
        assessor_1=first,
        assessor_2=second,
    )
    assessments.assessment_save_answers(by=first.user, assessment=first_signing, answers=answers_for_total(GBT, 50))
    outcomes = at_once(THREADS, lambda: assessments.assessment_sign(by=first.user, assessment=first_signing))
    assert outcomes == ["applied"] + ["您已在此表单上签字。"] * (THREADS - 1)  # one half-signature, one line
    assert status_changes(first_signing).filter(note="已签字：第一评估员").count() == 1

    signing = ready(82)
    outcomes = at_once(THREADS, lambda: assessments.assessment_sign(by=second.user, assessment=signing))
    assert outcomes == ["applied"] + [_refused("双人已签字", "双人已签字")] * (THREADS - 1)
    assert status_changes(signing).filter(to_status="signed").count() == 1

    cancelling = ready(83)
    outcomes = at_once(THREADS, lambda: assessments.assessment_cancel(by=civil, assessment=cancelling, note="已去世"))
    assert outcomes == ["applied"] + [_refused("已取消", "已取消")] * (THREADS - 1)  # all were applied
    assert status_changes(cancelling).filter(to_status="cancelled").count() == 1


def test_two_city_administrators_disabling_each_other_at_once_leave_one():
    from laoxiao.accounts.services import account_disable

    first, second = (factories.make_user(Role.ADMIN, factories.CITY) for _ in range(2))
    acts = [lambda: account_disable(by=first, account=second), lambda: account_disable(by=second, account=first)]
    outcomes = at_once(2, lambda: acts.pop()())
    assert outcomes[0] == "applied" and "最后一名市级管理员" in outcomes[1]
    still_active = User.objects.filter(pk__in=[first.pk, second.pk], is_active=True)
    assert still_active.count() == 1


def test_an_alert_is_closed_once_by_concurrent_officers():
    from laoxiao.alerts.models import Alert
    from laoxiao.alerts.services import alert_handle, alert_raise

    civil = factories.make_user(Role.CIVIL_AFFAIRS, factories.XINGQING)
    alert = alert_raise(by=civil, person=factories.make_person(by=civil), source=Alert.Source.CALL, detail="来电")
    assert _race(lambda: alert_handle(by=civil, alert=alert, note="已上门查看")) == ONE
    assert status_changes(alert).filter(to_status="handled").count() == 1


def test_statements_built_at_once_are_one_per_provider_and_confirmed_once():
    from laoxiao.homecare.orders import services as orders
    from laoxiao.homecare.providers import services as homecare

    benefits.programmes_sync()
    civil = factories.make_user(Role.CIVIL_AFFAIRS, factories.XINGQING)
    worker = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    provider, (caregiver,) = factories.make_provider(by=civil)
    person = factories.make_person(by=civil, age=78, latitude=factories.HOME[0], longitude=factories.HOME[1])
    visit_completed(orders.order_accept(by=factories.make_desk(provider), order=order_for(worker, person)), caregiver)
    month = f"{TOMORROW_9:%Y-%m}"

    # two officers (and the monthly job) building at once: each waits for the other; one statement stays
    assert _race(lambda: homecare.statements_build(by=civil, month=month)) == ["applied"] * THREADS
    statement = Statement.objects.get(provider=provider, month=month)
    assert statement.orders == 1

    outcomes = at_once(THREADS, lambda: homecare.statement_confirm(by=civil, statement=statement))
    assert outcomes == ["applied"] + ["该结算单已确认。"] * (THREADS - 1)
    assert Statement.objects.get(pk=statement.pk).confirmed_by == civil
