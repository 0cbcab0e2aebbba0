"""Identical transitions at the same moment, each from its own thread and connection, on PostgreSQL:
exactly one is applied and the others are refused (SQLite serialises every writer, so it proves nothing)."""

import datetime as dt
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from laoxiao.accounts.roles import Role
from laoxiao.assessments import services as assessments
from laoxiao.assessments.models import Assessment, StatusChange
from laoxiao.benefits import services as benefits
from laoxiao.benefits.models import BatchEvent, Payment, Programme
from laoxiao.core.models import Area
from laoxiao.homecare.models import Order, OrderEvent
from tests import factories
from tests.concurrency import at_once
from tests.test_homecare import _order

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
    assert StatusChange.objects.filter(assessment=request, to_status="assigned").count() == 1
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
    assert BatchEvent.objects.filter(payment=line, to_status="held").count() == 1
    assert _race(lambda: benefits.payment_release(by=officer, payment=line)) == ONE
    assert BatchEvent.objects.filter(payment=line, to_status="proposed").count() == 1
    assert Payment.objects.get(pk=line.pk).status == "proposed"


def test_the_sweep_passes_a_lapsed_offer_on_once_when_it_runs_twice_at_once():
    from laoxiao.benefits.services import programmes_sync
    from laoxiao.homecare import services as homecare

    programmes_sync()
    homecare.catalogue_sync()
    civil = factories.make_user(Role.CIVIL_AFFAIRS, factories.XINGQING)
    worker = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    near, _users = factories.make_provider(by=civil, name="近处服务中心", latitude="38.471")
    far, _users = factories.make_provider(by=civil, name="远处服务中心", latitude="38.60")
    person = factories.make_person(by=civil, age=78, latitude=factories.HOME[0], longitude=factories.HOME[1])
    order = _order(worker, person)
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
