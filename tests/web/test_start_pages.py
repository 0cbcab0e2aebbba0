"""Each role starts on its own work: counts that link to the lists behind them, the statistics one click away."""

from django.utils import timezone

from laoxiao.accounts.roles import Role
from laoxiao.assessments import services
from laoxiao.homecare.models import Order
from laoxiao.homecare.orders import services as orders
from laoxiao.homecare.providers import services as homecare
from laoxiao.homecare.visits import services as visits
from tests import factories
from tests.pages import start_page_items


def test_a_count_on_the_start_page_is_the_list_it_links_to(client, xingqing_civil):
    person = factories.make_person(by=xingqing_civil, age=82)
    _agency, (first, second) = factories.make_agency_with_assessors(by=xingqing_civil)
    services.assessment_request(by=xingqing_civil, person=person, reason="first", requester_kind="community")
    client.force_login(xingqing_civil)
    work = start_page_items(client.get("/").content.decode())
    count, url = work["等待指派评估员的评估申请"]
    assert count == 1
    listed = client.get(url).content.decode()
    assert person.name in listed

    assessment = person.assessments.get()
    services.assessment_assign(by=xingqing_civil, assessment=assessment, assessor_1=first, assessor_2=second)
    assert start_page_items(client.get("/").content.decode())["等待指派评估员的评估申请"][0] == 0
    client.force_login(first.user)
    count, url = start_page_items(client.get("/").content.decode())["分配给您的评估"]
    assert count == 1 and person.name in client.get(url).content.decode()


def test_an_assessors_count_leaves_out_what_both_have_signed(client, xingqing_civil):
    from tests.factories import GBT, answers_for_total, confirm_all

    _agency, (first, second) = factories.make_agency_with_assessors(by=xingqing_civil)
    waiting, signed = (factories.make_person(by=xingqing_civil, age=80) for _n in range(2))
    for person in (waiting, signed):
        assessment = services.assessment_request(
            by=xingqing_civil, person=person, reason="first", requester_kind="community"
        )
        services.assessment_assign(by=xingqing_civil, assessment=assessment, assessor_1=first, assessor_2=second)
    services.assessment_save_answers(by=first.user, assessment=assessment, answers=answers_for_total(GBT, 50))
    services.assessment_sign(by=first.user, assessment=assessment)
    confirm_all(second, assessment)
    services.assessment_sign(by=second.user, assessment=assessment)
    client.force_login(first.user)
    count, url = start_page_items(client.get("/").content.decode())["分配给您的评估"]
    listed = client.get(url).content.decode()
    # the signed one waits for the bureau, not the assessor
    assert count == listed.count('<tr><td><a href="/assessments/') == 1
    assert waiting.name in listed and signed.name not in listed


def test_staff_reach_the_statistics_from_the_start_page(client, xingqing_civil):
    client.force_login(xingqing_civil)
    start = client.get("/").content.decode()
    assert "工作台" in start and 'href="/overview/"' in start
    assert "老年人（60岁及以上）" in client.get("/overview/").content.decode()


def test_a_resident_starts_on_their_own_record_without_staff_controls(client, xingqing_civil, areas):
    person = factories.make_person(by=xingqing_civil, age=75)
    resident = factories.make_user(Role.RESIDENT, None, person_id=person.pk)
    client.force_login(resident)
    page = client.get("/").content.decode()
    assert "我的主页" in page and person.name in page and "本人" in page
    for staff_control in ("导出", "导入", "登记人员", "统计总览"):
        assert staff_control not in page
    assert client.get("/overview/").status_code == 403


def test_a_resident_has_no_registry_list_and_staff_see_only_the_buttons_of_their_rights(client, xingqing_civil, areas):
    person = factories.make_person(by=xingqing_civil, age=75)
    client.force_login(factories.make_user(Role.RESIDENT, None, person_id=person.pk))
    assert client.get("/people/").status_code == 403
    assert client.get(f"/people/{person.pk}/").status_code == 200  # their own record
    client.force_login(factories.make_user(Role.LEADING_OFFICE, factories.CITY))
    page = client.get("/people/").content.decode()
    assert "导出" in page and "导入" not in page and "登记人员" not in page


def test_an_operator_starts_on_the_certificates_of_their_home_that_have_lapsed(client, xingqing_civil):
    import datetime as dt

    home = factories.make_facility(by=xingqing_civil)
    member = factories.make_caregiver(by=xingqing_civil, facility=home, name="过期甲")
    factories.add_certificate(by=xingqing_civil, staff=member, expires_on=timezone.localdate() - dt.timedelta(days=3))
    operator = factories.make_user(Role.INSTITUTION_OPERATOR, None)
    operator.organisations.set([home])
    client.force_login(operator)
    count, url = start_page_items(client.get("/").content.decode())["证书已过期的从业人员"]
    assert count == 1 and "过期甲" in client.get(url).content.decode()


def test_accepted_orders_without_a_caregiver_count_what_their_list_shows(client, xingqing_civil):
    from tests.factories import accepted_order, order_for

    worker = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    person = factories.make_person(by=xingqing_civil, age=75)
    homecare.catalogue_sync()
    with_caregiver, _caregiver = accepted_order(xingqing_civil, worker, person)
    without = order_for(worker, person, code="cleaning")
    manager = factories.make_desk(without.provider)  # the provider's desk, not a caregiver
    orders.order_accept(by=manager, order=without)
    Order.objects.filter(pk=without.pk).update(caregiver=None)  # its caregiver taken off the order
    client.force_login(manager)
    count, url = start_page_items(client.get("/").content.decode())["已接单、尚未指派护理员"]
    listed = client.get(url)
    assert count == listed.context["page"].paginator.count == 1
    page = listed.content.decode()
    assert f"/homecare/orders/{without.pk}/" in page and f"/homecare/orders/{with_caregiver.pk}/" not in page


def test_a_caregiver_sees_tomorrows_visits_on_the_start_page(client, xingqing_civil):
    from tests.factories import accepted_order

    worker = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    person = factories.make_person(by=xingqing_civil, age=75)
    homecare.catalogue_sync()
    order, caregiver = accepted_order(xingqing_civil, worker, person)
    client.force_login(caregiver)
    count, url = start_page_items(client.get("/").content.decode())["明天的上门服务"]
    page = client.get(url).content.decode()
    assert count == page.count('data-test="visit"') == 1 and person.name in page


def test_a_batch_waiting_for_approval_is_on_the_officers_start_page_and_its_list(client, xingqing_civil):
    from laoxiao.benefits import services as benefits
    from laoxiao.benefits.models import Programme
    from laoxiao.core.models import Area

    benefits.programmes_sync()
    factories.make_person(by=xingqing_civil, age=85)
    allowance = Programme.objects.get(code="advanced-age-allowance")
    xingqing = Area.objects.get(code=factories.XINGQING)
    benefits.proactive_run(by=xingqing_civil, programme=allowance, area=xingqing, period="2026-11")
    checker = factories.make_user(Role.CIVIL_AFFAIRS, factories.XINGQING)
    client.force_login(checker)
    count, url = start_page_items(client.get("/").content.decode())["待审批的发放批次"]
    assert (count, url) == (1, "/benefits/batches/?status=draft")
    listed = client.get(url).content.decode()
    assert listed.count('<tr><td>高龄津贴</td><td><a href="/benefits/batches/') == 1 and "草稿" in listed
    client.force_login(factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP))
    assert "待审批的发放批次" not in client.get("/").content.decode()


def test_the_health_commission_starts_on_childcare_staff_and_care_homes_without_medical_care(client, xingqing_civil):
    import datetime as dt

    from laoxiao.facilities import services as facilities

    lapsed = factories.make_facility(by=xingqing_civil, kind="childcare_center", name="过期托育中心", places_total=60)
    member = factories.make_caregiver(by=xingqing_civil, facility=lapsed, name="托育甲")
    factories.add_certificate(by=xingqing_civil, staff=member, expires_on=timezone.localdate() - dt.timedelta(days=3))
    factories.make_facility(
        by=xingqing_civil, kind="childcare_center", name="有效托育中心", places_total=60, filing_status="filed"
    )
    bare = factories.make_facility(by=xingqing_civil, name="无医疗颐养院")
    signed = factories.make_facility(by=xingqing_civil, name="签约颐养院")
    facilities.medical_agreement_create(
        by=xingqing_civil,
        facility=signed,
        kind="signed",
        partner_name="兴庆区人民医院",
        signed_on=timezone.localdate(),
        expires_on=None,
    )
    client.force_login(factories.make_user(Role.HEALTH_COMMISSION, factories.XINGQING))
    work = start_page_items(client.get("/").content.decode())
    count, url = work["有从业人员证书过期的托育机构"]
    listed = client.get(url).content.decode()
    assert count == 1 and "过期托育中心" in listed and "有效托育中心" not in listed
    assert f'/facilities/{lapsed.pk}/?certificates=expired">1</a>' in listed  # on to the home's lapsed staff
    count, url = work["不具备医养结合服务能力的养老机构"]
    listed = client.get(url).content.decode()
    assert count == 1 and "无医疗颐养院" in listed and "签约颐养院" not in listed
    assert f"/facilities/{bare.pk}/" in listed
    count, url = work["在营未备案的托育机构"]
    listed = client.get(url).content.decode()
    assert count == 1 and "过期托育中心" in listed and "有效托育中心" not in listed
    assert client.get("/facilities/follow-up/nothing/").status_code == 404


def test_a_street_worker_starts_on_the_visits_missed_last_month_and_due_this_month(client, xingqing_civil):
    import datetime as dt

    worker = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    today = timezone.localdate()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    plans = {}
    for name in ("漏访甲", "已访乙"):
        person = factories.make_person(by=xingqing_civil, age=80, name=name, categories=["living_alone"])
        start = last_month.replace(day=1)
        plans[name] = visits.visit_plan_create(by=worker, person=person, visitor=worker, starts_on=start)
    for day in range(1, 5):  # 已访乙 had the four visits a month living alone asks for, 漏访甲 one
        for name in ("已访乙",) if day > 1 else ("已访乙", "漏访甲"):
            visited = timezone.make_aware(dt.datetime.combine(last_month.replace(day=day), dt.time(10)))
            visits.visit_record(by=worker, plan=plans[name], visited_at=visited, outcome="well", now=visited)
    client.force_login(worker)
    work = start_page_items(client.get("/").content.decode())
    count, url = work["上月探访次数未达标的探访对象"]
    listed = client.get(url)
    assert count == listed.context["page"].paginator.count == 1
    assert "漏访甲" in listed.content.decode() and "已访乙" not in listed.content.decode()
    count, url = work["本月尚待探访的探访对象"]
    assert count == client.get(url).context["page"].paginator.count == 2  # nobody visited yet this month


def test_a_volunteer_starts_on_their_own_visits_with_their_family_one_click_away(client, xingqing_civil):
    import datetime as dt

    street = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    volunteer_person = factories.make_person(by=xingqing_civil, age=35, name="志愿者本人")
    volunteer = factories.make_user(Role.VOLUNTEER, None, person_id=volunteer_person.pk)
    start = timezone.localdate().replace(day=1) - dt.timedelta(days=40)
    for name, visitor in (("我探访的", volunteer), ("社工探访的", street)):
        person = factories.make_person(by=xingqing_civil, age=80, name=name, categories=["living_alone"])
        visits.visit_plan_create(by=street, person=person, visitor=visitor, starts_on=start)
    client.force_login(volunteer)
    start_page = client.get("/").content.decode()
    work = start_page_items(start_page)
    for label in ("我探访的老人", "本月尚待探访的探访对象", "上月探访次数未达标的探访对象"):
        count, url = work[label]
        listed = client.get(url)
        assert count == listed.context["page"].paginator.count == 1, label
        assert "我探访的" in listed.content.decode() and "社工探访的" not in listed.content.decode()
    assert 'data-test="my-family"' in start_page and 'href="/my/"' in start_page
    assert "志愿者本人" in client.get("/my/").content.decode()


def test_an_operator_sees_the_people_living_in_its_home_and_their_assessments(client, xingqing_civil):
    from laoxiao.people.models import Person

    home = factories.make_facility(by=xingqing_civil)
    resident, elsewhere = (factories.make_person(by=xingqing_civil, age=84) for _n in range(2))
    Person.objects.filter(pk=resident.pk).update(facility=home)
    for person in (resident, elsewhere):
        services.assessment_request(by=xingqing_civil, person=person, reason="first", requester_kind="care_home")
    operator = factories.make_user(Role.INSTITUTION_OPERATOR, None)
    operator.organisations.set([home])
    client.force_login(operator)
    people = client.get("/people/").content.decode()
    assert resident.name in people and elsewhere.name not in people
    assessments = client.get("/assessments/").content.decode()
    assert resident.name in assessments and elsewhere.name not in assessments
    assert client.get(f"/assessments/{elsewhere.assessments.get().pk}/").status_code == 404


def test_meals_are_in_the_menu_of_a_provider_only_when_it_runs_a_meal_point(client, xingqing_civil):
    from decimal import Decimal

    from laoxiao.homecare.meals import services as meals
    from laoxiao.homecare.providers import services as homecare

    homecare.catalogue_sync()
    provider, (caregiver,) = factories.make_provider(by=xingqing_civil)
    manager = factories.make_desk(provider)
    for user in (manager, caregiver):
        client.force_login(user)
        assert 'href="/homecare/meals/"' not in client.get("/").content.decode()
    kitchen = factories.make_facility(by=xingqing_civil, kind="community_center", name="凤凰社区老年食堂")
    meals.meal_point_configure(by=xingqing_civil, facility=kitchen, meal_price=Decimal(15), delivery_fee=Decimal(3))
    for user in (manager, caregiver):  # the provider runs the community's kitchen too
        user.organisations.add(kitchen)
    client.force_login(manager)
    assert 'href="/homecare/meals/"' in client.get("/").content.decode()
    assert "凤凰社区老年食堂" in client.get("/homecare/meals/").content.decode()
    client.force_login(caregiver)  # a caregiver's day is their visits, whoever runs the kitchen
    assert 'href="/homecare/meals/"' not in client.get("/").content.decode()


def test_a_residents_home_care_is_their_households_orders_without_desk_filters(client, xingqing_civil):
    from tests.factories import order_for

    worker = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    homecare.catalogue_sync()
    factories.make_provider(by=xingqing_civil)
    person, neighbour = (factories.make_person(by=xingqing_civil, age=75) for _n in range(2))
    order_for(worker, person, code="cleaning")
    order_for(worker, neighbour, code="cleaning")
    client.force_login(factories.make_user(Role.RESIDENT, None, person_id=person.pk))
    page = client.get("/homecare/").content.decode()
    assert "我和家人的居家服务" in page and person.name in page and neighbour.name not in page
    for desk in ('name="flagged"', 'name="review"', 'name="no_caregiver"', 'name="status"', "area-picker"):
        assert desk not in page


def test_my_page_names_the_allowance_left_and_its_month(client, xingqing_civil):
    import datetime as dt

    from laoxiao.benefits.services import programmes_sync
    from tests.factories import order_for

    programmes_sync()
    homecare.catalogue_sync()
    factories.make_provider(by=xingqing_civil)
    person = factories.make_person(by=xingqing_civil, age=78, categories=["extreme_poverty"], ability_level=3)
    worker = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    today_9 = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)  # in the service hours
    order_for(
        worker, person, code="bathing", when=today_9, now=today_9 - dt.timedelta(hours=1)
    )  # 80 of this month's 800
    client.force_login(factories.make_user(Role.RESIDENT, None, person_id=person.pk))
    page = client.get("/").content.decode()
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月居家养老服务补贴余额：<strong>720.00 元</strong>" in page
    assert "每月补贴 800.00 元，本月已用于服务 80.00 元" in page
