"""Each workflow's move happens once, however many people (or clicks) make it at the same moment:
N threads, each with its own connection, make the same transition on PostgreSQL; exactly one applies."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from laoxiao.accounts.roles import Role
from laoxiao.benefits import applications, policy, services
from laoxiao.benefits.models import Application, PaymentBatch, Programme
from laoxiao.core.models import Area, StatusChange
from laoxiao.core.transitions import status_changes
from laoxiao.homecare.models import Complaint
from laoxiao.homecare.orders import services as orders
from laoxiao.homecare.providers.services import catalogue_sync
from tests import factories
from tests.concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are proven on PostgreSQL (SQLite serialises all writers)")
    factories.load_test_areas()
    services.programmes_sync()


def test_six_approvals_of_one_payment_batch_approve_it_once():
    maker, checker = (factories.make_user(Role.CIVIL_AFFAIRS, factories.XINGQING) for _ in range(2))
    for _ in range(2):
        factories.make_person(by=maker, age=85)
    allowance = Programme.objects.get(code="advanced-age-allowance")
    batch = services.proactive_run(
        by=maker, programme=allowance, area=Area.objects.get(code=factories.XINGQING), period="2026-11"
    )
    outcomes = at_once(6, lambda: services.batch_approve(by=checker, batch=PaymentBatch.objects.get(pk=batch.pk)))
    assert outcomes == ["applied"] + ["当前状态为“已审核通过”，不能变为“已审核通过”，可能刚有他人处理过。"] * 5
    assert [(c.from_status, c.to_status) for c in status_changes(batch)] == [("", "draft"), ("draft", "approved")]


def _application() -> tuple[Programme, object, dict]:
    factories.adopt_programmes("baotou-construction-new")
    officer = factories.make_user()
    home = factories.make_facility(by=officer, floor_area_m2="3000")
    programme = Programme.objects.get(code="baotou-construction-new")
    titles = policy.rule_in_force(programme).rule["documents"]
    values = {
        "by": officer,
        "programme": programme,
        "facility": home,
        "stated": {"application.construction": "new", "application.beds": 100},
    }
    return programme, home, values | {"documents_titles": titles}


def test_an_application_sent_twice_at_once_exists_once_and_a_third_is_refused():
    _programme, home, values = _application()
    titles = values.pop("documents_titles")

    def submit() -> None:
        uploads = {title: SimpleUploadedFile("d.pdf", b"%PDF") for title in titles}
        applications.application_submit(**values, documents=uploads)

    refused = "该机构已有一份本项目的申请正在办理。"
    assert at_once(2, submit) == ["applied", refused]
    with pytest.raises(ValidationError) as again:
        submit()
    assert again.value.messages == [refused]
    application = Application.objects.get(facility=home)
    assert [(c.from_status, c.to_status) for c in status_changes(application)] == [("", "submitted")]


def test_two_county_reviews_at_once_decide_once():
    _programme, _home, values = _application()
    uploads = {title: SimpleUploadedFile("d.pdf", b"%PDF") for title in values.pop("documents_titles")}
    application = applications.application_submit(**values, documents=uploads)
    street = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    applications.application_review(by=street, application=application, approve=True)
    reviewers = iter([factories.make_user() for _ in range(2)])

    def review() -> None:
        fresh = Application.objects.get(pk=application.pk)
        applications.application_review(by=next(reviewers), application=fresh, approve=True)

    assert at_once(2, review) == ["applied", "该申请已作出决定。"]
    moves = [(c.from_status, c.to_status) for c in status_changes(Application.objects.get(pk=application.pk))]
    assert moves == [("", "submitted"), ("submitted", "first_approved"), ("first_approved", "approved")]


def test_two_decisions_on_one_complaint_at_once_make_one():
    from tests.factories import accepted_order, visit_completed

    civil = factories.make_user()
    catalogue_sync()
    worker = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    person = factories.make_person(by=civil, age=78, latitude=factories.HOME[0], longitude=factories.HOME[1])
    order, caregiver = accepted_order(civil, worker, person)
    complaint = orders.complaint_file(by=worker, order=visit_completed(order, caregiver), text="没有来")
    inspectors = iter([factories.make_user(Role.INSPECTOR, factories.XINGQING) for _ in range(2)])
    decisions = iter([True, False])

    def decide() -> None:
        orders.complaint_resolve(
            by=next(inspectors),
            complaint=Complaint.objects.get(pk=complaint.pk),
            upheld=next(decisions),
            resolution="经核实",
        )

    assert at_once(2, decide) == ["applied", "该投诉已处理。"]
    assert StatusChange.objects.filter(object_id=complaint.pk, from_status="open").count() == 1


def test_the_same_complaint_from_two_tabs_at_once_is_filed_once():
    from tests.factories import accepted_order, visit_completed

    civil = factories.make_user()
    catalogue_sync()
    worker = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    person = factories.make_person(by=civil, age=78, latitude=factories.HOME[0], longitude=factories.HOME[1])
    order, caregiver = accepted_order(civil, worker, person)
    order = visit_completed(order, caregiver)

    outcomes = at_once(2, lambda: orders.complaint_file(by=worker, order=order, text="没有来"))
    assert outcomes[0] == "applied" and "提交过同样的投诉" in outcomes[1]
    assert Complaint.objects.filter(order=order).count() == 1


def test_two_reviews_of_one_flagged_visit_at_once_make_one():
    import datetime as dt

    from django.utils import timezone

    from laoxiao.homecare.models import Order, OrderEvent
    from laoxiao.homecare.orders import services as orders
    from laoxiao.homecare.providers.services import catalogue_sync
    from tests.factories import accepted_order

    civil = factories.make_user()
    catalogue_sync()
    worker = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    person = factories.make_person(by=civil, age=78, latitude=factories.HOME[0], longitude=factories.HOME[1])
    order, caregiver = accepted_order(civil, worker, person)
    now = timezone.now()
    order = orders.order_check_in(by=caregiver, order=order, latitude=None, longitude=None, now=now)
    order = orders.order_check_out(
        by=caregiver,
        order=order,
        latitude=None,
        longitude=None,
        tasks_done=[],
        notes="",
        recipient_confirmed=False,
        now=now + dt.timedelta(minutes=1),
    )
    assert order.review == Order.Review.PENDING
    inspectors = iter([factories.make_user(Role.INSPECTOR, factories.XINGQING) for _ in range(2)])

    def review() -> None:
        fresh = Order.objects.get(pk=order.pk)
        orders.order_review(by=next(inspectors), order=fresh, genuine=True, note="回访属实")

    assert at_once(2, review) == ["applied", "该服务无需核实或已核实。"]
    assert OrderEvent.objects.filter(order=order, kind="reviewed").count() == 1
