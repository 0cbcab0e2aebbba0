"""Every home-care page renders for the roles that use it, on the demo city (orders, visits, meals, beds)."""

import datetime as dt

import pytest

from laoxiao.accounts.models import User
from laoxiao.accounts.roles import Role
from laoxiao.alerts.models import Alert
from laoxiao.homecare.models import (
    Caregiver,
    Complaint,
    HomeCareBed,
    MealPoint,
    Order,
    ServiceKind,
    Statement,
    VisitPlan,
)
from tests import factories

ON = dt.date(2026, 11, 23)


@pytest.fixture
def city(demo_city, db):
    return demo_city


def _pages(client, user, urls):
    client.force_login(user)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url


def test_home_care_pages_render_for_staff_providers_and_caregivers(client, city):
    civil = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    order = Order.objects.filter(status=Order.Status.COMPLETED).first()
    assert order is not None and Statement.objects.exists()
    Complaint.objects.create(order=order, text="服务时间不足", filed_by=civil)
    Alert.objects.create(person=order.recipient, area=order.area, source=Alert.Source.VISIT)
    statement, plan = Statement.objects.first(), VisitPlan.objects.first()
    point, bed = MealPoint.objects.first(), HomeCareBed.objects.first()
    assert plan and point and bed
    _pages(
        client,
        civil,
        [
            "/homecare/",
            "/homecare/?status=completed&flagged=1&month=2026-10&kind=bathing&q=社区",
            f"/homecare/people/{order.recipient_id}/",
            f"/homecare/orders/{order.pk}/",
            "/homecare/providers/",
            "/homecare/providers/new/",
            f"/homecare/providers/{order.provider_id}/",
            "/homecare/statements/?month=2026-10",
            f"/homecare/statements/{statement.pk}/",
            "/homecare/complaints/",
            "/homecare/visits/?month=2026-10&level=6",
            f"/homecare/visits/{plan.pk}/",
            f"/homecare/people/{plan.person_id}/visit-plan/",
            "/homecare/meals/",
            f"/homecare/meals/{point.pk}/",
            "/homecare/beds/",
            f"/homecare/beds/{bed.pk}/",
            f"/homecare/people/{plan.person_id}/bed/",
            "/alerts/",
        ],
    )
    page = client.get("/homecare/visits/?month=2026-10&level=6").content.decode()
    assert "兴庆区" in page and "探访率" in page
    manager = User.objects.get(username=f"provider-{order.provider_id}")
    _pages(client, manager, ["/homecare/", f"/homecare/orders/{order.pk}/", "/homecare/statements/?month=2026-10"])
    caregiver = Caregiver.objects.filter(orders__isnull=False).first().user
    _pages(client, caregiver, ["/homecare/today/", f"/homecare/today/?day={order.scheduled_start:%Y-%m-%d}"])
    assert client.get("/homecare/today/?day=2026-13-01").status_code == 404


def test_a_caregiver_action_with_bad_input_answers_422_naming_the_field(client, city):
    order = Order.objects.filter(status=Order.Status.ACCEPTED).first()
    assert order is not None
    client.force_login(order.caregiver.user)
    response = client.post(
        f"/homecare/orders/{order.pk}/check-in/",
        data='{"device_at": "2099-01-01T09:00:00+08:00", "client_action": "x1"}',
        content_type="application/json",
    )
    assert response.status_code == 422 and "device_at" in response.json()["errors"]
    assert (
        client.post(f"/homecare/orders/{order.pk}/check-in/", data="{", content_type="application/json").status_code
        == 400
    )
    order.refresh_from_db()
    assert order.status == Order.Status.ACCEPTED


def test_bad_input_on_the_forms_names_the_field_and_changes_nothing(client, city):
    person = VisitPlan.objects.first().person
    worker = factories.make_user(Role.COMMUNITY_WORKER, person.area_id[:9] + "000")
    orders_before = Order.objects.count()
    client.force_login(worker)
    page = client.post(f"/homecare/people/{person.pk}/", {"kind": "", "quantity": "1"}).content.decode()
    assert page.count("此项必填。") == 2  # service and time
    bathing = ServiceKind.objects.get(code="bathing")
    page = client.post(
        f"/homecare/people/{person.pk}/",
        {"kind": bathing.pk, "quantity": "1", "scheduled_start": "2020-01-01T09:00"},
    ).content.decode()
    assert "服务时间不能早于现在" in page
    assert Order.objects.count() == orders_before
    civil = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    client.force_login(civil)
    point = MealPoint.objects.first()
    samples_before = point.samples.count()  # the demo's kitchen keeps a year of them
    page = client.post(
        f"/homecare/meals/{point.pk}/",
        {
            "form": "sample",
            "sampled_on": "2026-11-20",
            "sitting": "lunch",
            "dish": "红烧肉",
            "grams": "100",
            "kept_by": "张",
        },
    ).content.decode()
    assert "每个品种留样量不少于125克" in page and point.samples.count() == samples_before


def test_the_order_page_names_the_cancellation_reason(client, city):
    order = Order.objects.filter(status=Order.Status.ACCEPTED).first()
    client.force_login(factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY))
    page = client.get(f"/homecare/orders/{order.pk}/").content.decode()
    assert "取消原因" in page and "评估原因" not in page and "未开工" in page  # it said 评估原因 (assessment reason)


def test_visit_plans_are_paged_and_filtered_by_area_and_name(client, city, settings, django_assert_max_num_queries):
    settings.LAOXIAO_PAGE_SIZE = 5
    civil = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    client.force_login(civil)
    open_plans = VisitPlan.objects.filter(ends_on__isnull=True)
    assert open_plans.count() > 5
    with django_assert_max_num_queries(25):
        html = client.get("/homecare/visits/?month=2026-10").content.decode()
    rows = html.split('data-test="plans"', 1)[1].split("</tbody>", 1)[0].count("<tr><td>")
    assert rows == 5 and f"共 {open_plans.count()} 条记录" in html
    plan = open_plans.select_related("person").first()
    county = plan.area_id[:6].ljust(12, "0")
    html = client.get("/homecare/visits/", {"area": county, "q": plan.person.name}).content.decode()
    assert plan.person.name in html.split('data-test="plans"', 1)[1]
    response = client.get("/homecare/visits/", {"area": "兴庆区"})
    assert response.status_code == 400 and "不在您的辖区内" in response.content.decode()


def test_a_caregiver_cannot_open_the_providers_statements_and_has_no_link_to_them(client, city):
    statement = Statement.objects.first()
    caregiver = Caregiver.objects.filter(provider=statement.provider).first().user
    client.force_login(caregiver)
    for url in ("/homecare/statements/", f"/homecare/statements/{statement.pk}/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "无权访问" in response.content.decode()
    assert 'href="/homecare/statements/"' not in client.get("/homecare/").content.decode()
    client.force_login(User.objects.get(username=f"provider-{statement.provider_id}"))
    assert 'href="/homecare/statements/"' in client.get("/homecare/").content.decode()
    assert client.get("/homecare/statements/").status_code == 200
