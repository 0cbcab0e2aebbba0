"""Visit plans and the visit rate, meal points, home care beds, and the numbers of homecare/rules.json."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from laoxiao.accounts.roles import Role
from laoxiao.alerts.models import Alert
from laoxiao.assessments import services as assessment_services
from laoxiao.benefits.services import programmes_sync
from laoxiao.core.models import Area
from laoxiao.core.scope import system_area_scope
from laoxiao.homecare.beds import services as beds
from laoxiao.homecare.meals import services as meals
from laoxiao.homecare.models import Allowance, HomeCareBed, Meal, Order, ServiceKind, Visit, VisitPlan
from laoxiao.homecare.orders import services as orders
from laoxiao.homecare.providers import services
from laoxiao.homecare.visits import services as visits
from laoxiao.homecare.visits.selectors import latest_whole_month, visit_counts_by_prefix
from laoxiao.planning.formulas import measure
from tests import factories
from tests.factories import complete


@pytest.fixture
def worker(areas):
    return factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)


def _visit(worker, plan, day, outcome="well", **extra):
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    # Visits are recorded as they happen (`now`): the fixture plays them in October.
    visit = visits.visit_record(by=worker, plan=plan, visited_at=moment, outcome=outcome, now=moment, **extra)
    return visit


def test_visit_rate_is_visits_done_over_visits_due(client, xingqing_civil, worker):
    # Three plans in 崇安社区 (4 + 1 + 1 visits due in October) and one in another community (4 due).
    alone = factories.make_person(by=xingqing_civil, categories=["living_alone"])
    nest = factories.make_person(by=xingqing_civil, categories=["empty_nest"])
    behind = factories.make_person(by=xingqing_civil, categories=["left_behind"])
    elsewhere = factories.make_person(by=xingqing_civil, area="640104001003", categories=["extreme_poverty"])
    start = dt.date(2026, 9, 1)
    plans = {
        p: visits.visit_plan_create(by=xingqing_civil, person=p, visitor=worker, starts_on=start)
        for p in (alone, nest, behind, elsewhere)
    }
    assert [plans[p].visits_per_month for p in (alone, nest, behind, elsewhere)] == [4, 1, 1, 4]
    for day in (1, 8, 15):  # 3 of 4 weekly visits
        _visit(worker, plans[alone], dt.date(2026, 10, day))
    for day in (3, 20):  # twice, due once: counts once
        _visit(worker, plans[nest], dt.date(2026, 10, day))
    _visit(worker, plans[behind], dt.date(2026, 9, 30))  # September: not October's
    for day in (2, 9, 16, 23):
        _visit(worker, plans[elsewhere], dt.date(2026, 10, day))
    county = Area.objects.get(code=factories.XINGQING)
    counts = visit_counts_by_prefix(system_area_scope(county), 12, "2026-10")
    assert counts == {factories.XINGQING_VILLAGE: (4, 6), "640104001003": (4, 4)}
    rate = measure(
        "special_elderly_monthly_visit_rate", scope=system_area_scope(county), level="county", on=dt.date(2026, 11, 5)
    )
    assert (rate["640104"].numerator, rate["640104"].denominator) == (8, 10)
    assert rate["640104"].value == Decimal("80.0000")
    assert latest_whole_month(dt.date(2026, 10, 31)) == "2026-10"
    client.force_login(xingqing_civil)
    page = client.get("/homecare/visits/", {"month": "2026-10", "level": "12"}).content.decode()
    village = Area.objects.get(code=factories.XINGQING_VILLAGE).name
    rates = page.split('data-test="visit-rates"')[1].split("</table>")[0]
    assert re.search(
        rf"<td>{village}</td><td class=\"num\">4</td><td class=\"num\">6</td><td class=\"num\">66.7</td>", rates
    )
    num = r'<td class="num">(\d+)</td>'
    shown = re.findall(
        rf'<td><a href="/homecare/visits/\d+/">([^<]+)</a></td>{num}<td>([^<]+)</td><td>[^<]*</td>{num}', page
    )
    assert sorted((name, area, int(due), int(n)) for name, due, area, n in shown) == sorted(
        (p.name, plans[p].area.name, plans[p].visits_per_month, n)
        for p, n in ((alone, 3), (nest, 2), (behind, 1), (elsewhere, 4))
    )


def test_a_visit_finding_need_orders_a_service_and_an_emergency_raises_an_alert(xingqing_civil, worker):
    programmes_sync()
    services.catalogue_sync()
    volunteer_person = factories.make_person(by=xingqing_civil, age=35)
    volunteer = factories.make_user(Role.VOLUNTEER, None, person_id=volunteer_person.pk)
    elder = factories.make_person(by=xingqing_civil, categories=["living_alone"])
    plan = visits.visit_plan_create(by=xingqing_civil, person=elder, visitor=volunteer, starts_on=dt.date(2026, 1, 1))
    now = timezone.now()
    with pytest.raises(ValidationError) as refused:
        visits.visit_record(by=volunteer, plan=plan, visited_at=now, outcome="needs_help")
    assert "needed" in refused.value.message_dict
    cleaning = ServiceKind.objects.get(code="cleaning")
    helped = visits.visit_record(by=volunteer, plan=plan, visited_at=now, outcome="needs_help", needed=cleaning)
    assert helped.order.kind == cleaning and helped.order.channel == Order.Channel.VISIT
    yesterday = now - dt.timedelta(days=1)  # one visit a plan a day
    emergency = visits.visit_record(
        by=volunteer, plan=plan, visited_at=yesterday, outcome="emergency", notes="摔倒在地"
    )
    assert emergency.alert.source == Alert.Source.VISIT and emergency.alert.area_id == elder.area_id
    stranger = factories.make_user(Role.VOLUNTEER, None, person_id=factories.make_person(by=xingqing_civil, age=30).pk)
    with pytest.raises(ValidationError):
        visits.visit_record(by=stranger, plan=plan, visited_at=now, outcome="well")
    assert Visit.objects.count() == 2
    with pytest.raises(ValidationError):  # one open plan a person
        visits.visit_plan_create(by=xingqing_civil, person=elder, visitor=worker, starts_on=dt.date(2026, 2, 1))
    with pytest.raises(ValidationError) as refused:
        visits.visit_plan_create(
            by=xingqing_civil,
            person=factories.make_person(by=xingqing_civil),
            visitor=worker,
            starts_on=dt.date(2026, 2, 1),
        )
    assert "person" in refused.value.message_dict
    assert VisitPlan.objects.count() == 1


def test_meal_price_less_the_subsidy_of_the_diners_category(xingqing_civil):
    point_facility = factories.make_facility(
        by=xingqing_civil, kind="meal_point", beds_total=0, beds_nursing=0, beds_inclusive=0, beds_occupied=0
    )
    point = meals.meal_point_configure(
        by=xingqing_civil, facility=point_facility, meal_price=Decimal(15), delivery_fee=Decimal(3)
    )
    poor = factories.make_person(by=xingqing_civil, age=70, categories=["extreme_poverty"])
    old = factories.make_person(by=xingqing_civil, age=85)
    young_old = factories.make_person(by=xingqing_civil, age=62)
    today = timezone.localdate()
    served = {}
    for person in (poor, old, young_old):
        diner = meals.diner_register(by=xingqing_civil, point=point, person=person, on=today)
        served[person] = meals.meal_serve(
            by=xingqing_civil, point=point, diner=diner, served_on=today, sitting="lunch", mode="delivered"
        )
    assert [(served[p].price, served[p].subsidy, served[p].paid) for p in (poor, old, young_old)] == [
        (18, 10, 8),
        (18, 4, 14),
        (18, 2, 16),
    ]
    with pytest.raises(ValidationError):  # the same lunch twice
        meals.meal_serve(
            by=xingqing_civil, point=point, diner=served[poor].diner, served_on=today, sitting="lunch", mode="eat_in"
        )
    with pytest.raises(ValidationError) as refused:
        meals.food_sample_record(
            by=xingqing_civil,
            point=point,
            sampled_on=today,
            sitting="lunch",
            dish="红烧肉",
            grams=100,
            kept_by="张师傅",
        )
    assert "125" in refused.value.message_dict["grams"][0]
    sample = meals.food_sample_record(
        by=xingqing_civil, point=point, sampled_on=today, sitting="lunch", dish="红烧肉", grams=130, kept_by="张师傅"
    )
    assert sample.kept_until - timezone.make_aware(dt.datetime.combine(today, dt.time(12))) == dt.timedelta(hours=48)
    assert Meal.objects.count() == 3
    month_end = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    county = Area.objects.get(code=factories.XINGQING)
    assert measure("meals_served", scope=system_area_scope(county), level="county", on=month_end)["640104"].value == 3


def test_a_home_care_bed_needs_assessment_adaptation_and_a_plan_then_makes_the_months_orders(xingqing_civil):
    programmes_sync()
    provider, _users = factories.make_provider(by=xingqing_civil)
    person = factories.make_person(by=xingqing_civil, age=82, categories=["subsistence_allowance"], ability_level=3)
    bed = beds.bed_create(by=xingqing_civil, person=person, provider=provider, contracted_on=dt.date(2026, 11, 1))
    with pytest.raises(ValidationError) as refused:
        beds.bed_activate(by=xingqing_civil, bed=bed, on=dt.date(2026, 11, 20))
    assert set(refused.value.message_dict) == {"assessment", "adaptations", "plan"}
    beds.adaptation_add(
        by=xingqing_civil, bed=bed, item="卫生间扶手", cost=Decimal("680"), completed_on=dt.date(2026, 11, 10)
    )
    beds.plan_line_set(
        by=xingqing_civil, bed=bed, kind=ServiceKind.objects.get(code="nursing"), times_per_month=4, quantity=Decimal(1)
    )
    beds.device_register(
        by=xingqing_civil, bed=bed, kind="call_button", serial="SOS-0001", installed_on=dt.date(2026, 11, 12)
    )
    with pytest.raises(ValidationError):
        beds.device_register(
            by=xingqing_civil, bed=bed, kind="smoke", serial="SOS-0001", installed_on=dt.date(2026, 11, 12)
        )
    _approved_assessment(person, xingqing_civil)
    bed = beds.bed_activate(by=xingqing_civil, bed=bed, on=dt.date(2026, 11, 20))
    assert bed.status == HomeCareBed.Status.ACTIVE and bed.assessment is not None
    next_month = f"{(timezone.localdate().replace(day=1) + dt.timedelta(days=32)):%Y-%m}"
    assert beds.care_plan_orders(month=next_month) == 4
    assert beds.care_plan_orders(month=next_month) == 0  # run again: nothing missing
    made = Order.objects.filter(channel=Order.Channel.CARE_PLAN)
    assert {o.provider_id for o in made} == {provider.pk} and {o.status for o in made} == {Order.Status.OFFERED}
    assert sum(o.allowance_share for o in made) == 200  # 4 × 50 from the 300 of a 低保 person
    county = Area.objects.get(code=factories.XINGQING)
    assert (
        measure("home_adaptations", scope=system_area_scope(county), level="county", on=dt.date(2026, 11, 30))[
            "640104"
        ].value
        == 1
    )


def _approved_assessment(person, civil):
    """Through the real workflow: requested, assigned, answered, signed twice, approved."""
    worker = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    request = assessment_services.assessment_request(
        by=worker, person=person, reason="first", requester_kind="community"
    )
    signed = complete((person, request, *factories.make_agency_with_assessors(by=civil)[1]), civil, total=30)
    assessment_services.assessment_review(by=civil, assessment=signed, approve=True)


def test_the_visitor_picker_names_people_and_where_they_work_not_their_sign_in(client, xingqing_civil, worker):
    """Issue 10's probe: the visit plan's picker listed sign-in names (u123456789)."""
    named = factories.make_user(
        Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP, full_name="马晓燕", department="崇安社区居委会"
    )
    elder = factories.make_person(by=xingqing_civil, categories=["living_alone"])
    client.force_login(xingqing_civil)
    page = client.get(f"/homecare/people/{elder.pk}/visit-plan/").content.decode()
    township = Area.objects.get(code=factories.XINGQING_TOWNSHIP).name
    assert ">马晓燕（崇安社区居委会）</option>" in page and f">{worker.first_name}（{township}）</option>" in page
    assert named.username not in page and worker.username not in page


def _meal_point(by):
    facility = factories.make_facility(
        by=by, kind="meal_point", beds_total=0, beds_nursing=0, beds_inclusive=0, beds_occupied=0
    )
    return meals.meal_point_configure(by=by, facility=facility, meal_price=Decimal(15), delivery_fee=Decimal(3))


def _errors(response):
    return re.findall(r'<p class="error" role="alert">(.*?)</p>', response.content.decode())


def test_every_message_on_a_home_care_form_names_its_field(client, xingqing_civil, worker):
    """Issue 10's probe: "确保该值大于或等于0" under 留样 and a bare "此项必填" named no field; the order
    page, which lists its messages away from the fields, named none either."""
    point = _meal_point(xingqing_civil)
    client.force_login(xingqing_civil)
    today = f"{timezone.localdate():%Y-%m-%d}"
    sample = {"form": "sample", "sampled_on": today, "sitting": "lunch", "dish": "红烧肉", "kept_by": "张师傅"}
    url = f"/homecare/meals/{point.pk}/"
    assert _errors(client.post(url, sample | {"grams": "-5"})) == ["留样量（克）：确保该值大于或等于0。"]
    assert _errors(client.post(url, sample | {"grams": "100"})) == ["留样量（克）：每个品种留样量不少于125克。"]
    ingredient = {"form": "ingredient", "received_on": today, "item": "大米", "supplier": "塞北雪", "quantity": ""}
    assert _errors(client.post(url, ingredient)) == ["数量：此项必填。"]
    services.catalogue_sync()
    programmes_sync()
    elder = factories.make_person(by=xingqing_civil, age=75)
    client.force_login(worker)
    meal = ServiceKind.objects.get(code="meal")
    order = {"kind": meal.pk, "scheduled_start": f"{timezone.localdate() + dt.timedelta(days=1):%Y-%m-%d}T11:30"}
    for quantity in ("-1", "13"):
        assert _errors(client.post(f"/homecare/people/{elder.pk}/", order | {"quantity": quantity})) == [
            "数量：助餐按餐次计，应大于0且不超过12，且为整数。"
        ]


def test_an_ingredient_row_is_dated_by_today_at_the_latest_and_traces_an_amount_and_its_paper(client, xingqing_civil):
    """Issue 10's probe: 进货日期 2031-01-01, 数量 -10 and no 检验合格证明 were recorded; a row of last
    December read "12-31" like this year's."""
    point = _meal_point(xingqing_civil)
    client.force_login(xingqing_civil)
    url, today = f"/homecare/meals/{point.pk}/", timezone.localdate()
    delivery = {"form": "ingredient", "item": "大米", "supplier": "塞北雪", "quantity": "50 kg", "certificate": "NX1"}
    tomorrow = f"{today + dt.timedelta(days=1):%Y-%m-%d}"
    bad = client.post(url, delivery | {"received_on": tomorrow, "quantity": "-10", "certificate": ""})
    assert _errors(bad) == [
        "进货日期：日期不能晚于今天。",
        "数量：请填写大于0的数量及其单位，如“50 kg”。",
        "检验合格证明或批号：此项必填。",
    ]
    for quantity in ("0 kg", "10"):
        assert _errors(client.post(url, delivery | {"received_on": f"{today:%Y-%m-%d}", "quantity": quantity})) == [
            "数量：请填写大于0的数量及其单位，如“50 kg”。"
        ]
    sample = {"form": "sample", "sampled_on": f"{today:%Y-%m-%d}", "sitting": "lunch", "dish": "米饭", "kept_by": "张"}
    assert _errors(client.post(url, sample | {"grams": "0"})) == ["留样量（克）：每个品种留样量不少于125克。"]
    assert not point.ingredients.exists() and not point.samples.exists()
    last_december = dt.date(today.year - 1, 12, 31)
    for day in (today, last_december):
        assert client.post(url, delivery | {"received_on": f"{day:%Y-%m-%d}"}).status_code == 302
    page = client.get(url).content.decode()
    assert f"<td>{today:%m-%d}</td><td>大米</td>" in page and f"<td>{last_december:%Y-%m-%d}</td><td>大米</td>" in page


def test_a_resident_books_whole_visits_within_sixty_days_and_the_service_hours(client, xingqing_civil):
    """Issue 10's probe: 1.5 次 of 助浴, a visit on 2099-01-01 and one at 03:00 were booked, and each bad
    quantity had a message of its own ("确保该值大于或等于0", "确认小数点前不超过 5 位")."""
    services.catalogue_sync()
    programmes_sync()
    elder = factories.make_person(by=xingqing_civil, age=75)
    client.force_login(factories.make_user(Role.RESIDENT, None, person_id=elder.pk))
    url, today = f"/homecare/people/{elder.pk}/", timezone.localdate()
    bathing, cleaning = ServiceKind.objects.get(code="bathing"), ServiceKind.objects.get(code="cleaning")
    tomorrow_9 = f"{today + dt.timedelta(days=1):%Y-%m-%d}T09:00"
    booking = {"kind": bathing.pk, "quantity": "1", "scheduled_start": tomorrow_9}
    for quantity in ("1.5", "0", "-1", "13", "1234567", "abc", ""):
        assert _errors(client.post(url, booking | {"quantity": quantity})) == [
            "数量：助浴按次计，应大于0且不超过12，且为整数。"
        ], quantity
    hours = booking | {"kind": cleaning.pk}
    assert _errors(client.post(url, hours | {"quantity": "1.25"})) == ["数量：应大于0且不超过12小时，最多一位小数。"]
    last = today + dt.timedelta(days=60)
    for start in ("2099-01-01T09:00", f"{last + dt.timedelta(days=1):%Y-%m-%d}T09:00"):
        assert _errors(client.post(url, booking | {"scheduled_start": start})) == [
            f"服务时间：服务最多可提前60天预约，即最晚{last:%Y-%m-%d}。"
        ]
    for start in ("03:00", "05:59", "22:01"):
        assert _errors(client.post(url, booking | {"scheduled_start": tomorrow_9[:-5] + start})) == [
            "服务时间：上门服务的开始时间应在06:00至22:00之间。"
        ], start
    assert not Order.objects.exists()
    for fine in (hours | {"quantity": "1.5"}, booking | {"scheduled_start": f"{last:%Y-%m-%d}T22:00"}):
        assert 'data-test="confirm"' in client.post(url, fine).content.decode()  # on to what it costs


def test_a_visit_is_recorded_once_a_day_within_three_days_and_a_second_tab_is_shown_the_first(
    client, xingqing_civil, worker
):
    """Issue 10's probe: two tabs recording one visit made two (each carried its own once-token), and a
    visit dated months back was taken."""
    elder = factories.make_person(by=xingqing_civil, categories=["living_alone"])
    plan = visits.visit_plan_create(by=xingqing_civil, person=elder, visitor=worker, starts_on=dt.date(2026, 1, 1))
    client.force_login(worker)
    url = f"/homecare/visits/{plan.pk}/"
    now = timezone.localtime()
    form = {"outcome": "well", "notes": "精神很好", "visited_at": f"{now:%Y-%m-%dT%H:%M}"}
    assert client.post(url, form).status_code == 302
    first = Visit.objects.get()
    second_tab = client.post(url, form | {"notes": "再次提交"}).content.decode()
    link = f'<a href="/homecare/visits/{plan.pk}/#visit-{first.pk}">查看该次探访</a>'
    assert (
        f"{elder.name}在{now:%Y-%m-%d}已有探访记录（{worker.first_name}，{now:%H:%M}，情况良好）：{link}" in second_tab
    )
    assert f'id="visit-{first.pk}"' in second_tab
    assert list(Visit.objects.values_list("notes", flat=True)) == ["精神很好"]

    four_days_back = now - dt.timedelta(days=4)
    page = client.post(url, form | {"visited_at": f"{four_days_back:%Y-%m-%dT%H:%M}"}).content.decode()
    assert "探访时间应为今天或此前3天内。" in page and Visit.objects.count() == 1
    three_days_back = now - dt.timedelta(days=3)
    assert client.post(url, form | {"visited_at": f"{three_days_back:%Y-%m-%dT%H:%M}"}).status_code == 302
    assert Visit.objects.count() == 2
    # The visit is its own audit record: the one made three days back says on the plan page when it was entered.
    late = Visit.objects.exclude(pk=first.pk).get()
    assert late.recorded_at.date() == timezone.now().date() and first.recorded_at <= late.recorded_at
    rows = client.get(url).content.decode()
    recorded = f"{timezone.localtime(late.recorded_at):%Y-%m-%d %H:%M} 补记"
    assert rows.count("补记") == 1 and recorded in rows.split(f'id="visit-{late.pk}"')[1].split("</tr>")[0]
    with pytest.raises(IntegrityError), transaction.atomic():  # the table itself keeps one a day
        Visit.objects.create(plan=plan, visitor=worker, visited_at=timezone.now(), visited_on=first.visited_on)


def test_a_meal_is_recorded_once_on_the_day_it_is_served(client, xingqing_civil):
    """Issue 10's probe: a lunch recorded from a second tab, and meals and samples dated back, were taken."""
    point = _meal_point(xingqing_civil)
    diner_person = factories.make_person(by=xingqing_civil, age=70)
    diner = meals.diner_register(by=xingqing_civil, point=point, person=diner_person, on=timezone.localdate())
    client.force_login(xingqing_civil)
    url = f"/homecare/meals/{point.pk}/"
    today = timezone.localdate()
    meal = {"form": "meal", "diner": diner.pk, "sitting": "lunch", "mode": "eat_in", "served_on": f"{today:%Y-%m-%d}"}
    assert client.post(url, meal).status_code == 302
    second_tab = _errors(client.post(url, meal | {"mode": "delivered"}))
    link = f'<a href="/homecare/meals/{point.pk}/#day-{today:%Y-%m-%d}">查看当日供餐</a>'
    who = xingqing_civil.first_name
    assert second_tab == [
        f"餐次：{diner_person.name}{today:%Y-%m-%d}的午餐已登记（堂食，登记人：{who}）：{link}。本次未登记。"
    ]
    assert list(Meal.objects.values_list("mode", flat=True)) == ["eat_in"]
    yesterday = f"{today - dt.timedelta(days=1):%Y-%m-%d}"
    assert _errors(client.post(url, meal | {"sitting": "dinner", "served_on": yesterday})) == ["供餐日期只能是今天。"]
    sample = {"form": "sample", "sampled_on": yesterday, "sitting": "lunch", "dish": "红烧肉", "grams": "130"}
    assert _errors(client.post(url, sample | {"kept_by": "张师傅"})) == ["留样日期只能是今天。"]
    assert Meal.objects.count() == 1 and not point.samples.exists()


def test_the_same_service_ordered_twice_for_one_time_is_refused_with_a_link_to_the_first(
    client, xingqing_civil, worker
):
    """Issue 10's probe: two tabs ordering the same 助餐 made two orders, each drawing on the allowance."""
    services.catalogue_sync()
    programmes_sync()
    factories.make_provider(by=xingqing_civil)
    elder = factories.make_person(by=xingqing_civil, age=78, categories=["extreme_poverty"], ability_level=3)
    client.force_login(worker)
    meal = ServiceKind.objects.get(code="meal")
    start = timezone.localtime() + dt.timedelta(days=1)
    form = {"kind": meal.pk, "quantity": "1", "scheduled_start": f"{start:%Y-%m-%d}T11:30"}
    confirmed = form | {"confirmed": "1"}  # as the page stating the cost sends it
    assert client.post(f"/homecare/people/{elder.pk}/", confirmed).status_code == 302
    first = Order.objects.get()
    second_tab = _errors(client.post(f"/homecare/people/{elder.pk}/", form))
    link = f'<a href="/homecare/orders/{first.pk}/">查看该订单</a>'
    assert second_tab == [
        f"服务时间：{elder.name}在{start:%Y-%m-%d} 11:30已有一张助餐订单（待服务商接单）：{link}。本次未下单。"
    ]
    assert Order.objects.count() == 1 and Allowance.objects.get().used == first.allowance_share
    assert (
        client.post(
            f"/homecare/people/{elder.pk}/", confirmed | {"scheduled_start": f"{start:%Y-%m-%d}T17:30"}
        ).status_code
        == 302
    )
    orders.order_cancel(by=worker, order=first, reason="家属送餐")
    assert client.post(f"/homecare/people/{elder.pk}/", confirmed).status_code == 302  # a cancelled order is no order
    assert Order.objects.exclude(status="cancelled").count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_visits_history_rows_give_way_to_the_time_each_visit_was_recorded(xingqing_civil, worker):
    """homecare.0005: a visit keeps no history table; its "+" row's moment becomes the visit's recorded_at."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    elder = factories.make_person(by=xingqing_civil, categories=["living_alone"])
    plan = visits.visit_plan_create(by=xingqing_civil, person=elder, visitor=worker, starts_on=dt.date(2026, 1, 1))
    made = timezone.now() - dt.timedelta(days=2)
    before = [("homecare", "0004_visit_plan_index_in_the_pair")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        entered, unwritten = (
            old.get_model("homecare", "Visit").objects.create(
                plan_id=plan.pk, visitor_id=worker.pk, visited_at=made - dt.timedelta(days=n), outcome="well"
            )
            for n in (0, 1)
        )
        old.get_model("homecare", "HistoricalVisit").objects.create(
            id=entered.pk,
            plan_id=plan.pk,
            visitor_id=worker.pk,
            visited_at=entered.visited_at,
            outcome="well",
            history_date=made + dt.timedelta(hours=5),
            history_type="+",
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    recorded = dict(Visit.objects.values_list("pk", "recorded_at"))
    assert recorded == {entered.pk: made + dt.timedelta(hours=5), unwritten.pk: made - dt.timedelta(days=1)}
