"""Each role starts on its own work: counts that link to the lists behind them, the statistics one click away."""

import re

from django.utils import timezone

from laoxiao.accounts.roles import Role
from laoxiao.assessments import services
from laoxiao.homecare import orders
from laoxiao.homecare import services as homecare
from laoxiao.homecare.models import Order
from tests import factories


def _work(html: str) -> dict[str, tuple[int, str]]:
    """The start page's items as label -> (count, link)."""
    items = re.findall(r'<li class="[^"]*"><a href="([^"]+)"><span class="n">([\d,]+)</span><span>([^<]+)</span>', html)
    return {label: (int(n.replace(",", "")), url.replace("&amp;", "&")) for url, n, label in items}


def test_a_count_on_the_start_page_is_the_list_it_links_to(client, xingqing_civil):
    person = factories.make_person(by=xingqing_civil, age=82)
    _agency, (first, second) = factories.make_agency_with_assessors(by=xingqing_civil)
    services.assessment_request(by=xingqing_civil, person=person, reason="first", requester_kind="community")
    client.force_login(xingqing_civil)
    work = _work(client.get("/").content.decode())
    count, url = work["等待指派评估员的评估申请"]
    assert count == 1
    listed = client.get(url).content.decode()
    assert person.name in listed

    assessment = person.assessments.get()
    services.assessment_assign(by=xingqing_civil, assessment=assessment, assessor_1=first, assessor_2=second)
    assert _work(client.get("/").content.decode())["等待指派评估员的评估申请"][0] == 0
    client.force_login(first.user)
    count, url = _work(client.get("/").content.decode())["分配给您的评估"]
    assert count == 1 and person.name in client.get(url).content.decode()


def test_an_assessors_count_leaves_out_what_both_have_signed(client, xingqing_civil):
    from tests.test_assessment_workflow import confirm_all
    from tests.test_scoring import GBT, answers_for_total

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
    count, url = _work(client.get("/").content.decode())["分配给您的评估"]
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
    count, url = _work(client.get("/").content.decode())["证书已过期的从业人员"]
    assert count == 1 and "过期甲" in client.get(url).content.decode()


def test_accepted_orders_without_a_caregiver_count_what_their_list_shows(client, xingqing_civil):
    from tests.test_homecare import _accepted, _order

    worker = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    person = factories.make_person(by=xingqing_civil, age=75)
    homecare.catalogue_sync()
    with_caregiver, provider_user = _accepted(xingqing_civil, worker, person)
    without = _order(worker, person, code="cleaning")
    orders.order_accept(by=provider_user, order=without)
    Order.objects.filter(pk=without.pk).update(caregiver=None)  # its caregiver taken off the order
    manager = factories.make_user(Role.PROVIDER, None)  # the provider's desk, not a caregiver
    manager.organisations.set([without.provider_id])
    client.force_login(manager)
    count, url = _work(client.get("/").content.decode())["已接单、尚未指派护理员"]
    listed = client.get(url)
    assert count == listed.context["page"].paginator.count == 1
    page = listed.content.decode()
    assert f"/homecare/orders/{without.pk}/" in page and f"/homecare/orders/{with_caregiver.pk}/" not in page


def test_a_caregiver_sees_tomorrows_visits_on_the_start_page(client, xingqing_civil):
    from tests.test_homecare import _accepted

    worker = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    person = factories.make_person(by=xingqing_civil, age=75)
    homecare.catalogue_sync()
    order, caregiver = _accepted(xingqing_civil, worker, person)
    client.force_login(caregiver)
    count, url = _work(client.get("/").content.decode())["明天的上门服务"]
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
    count, url = _work(client.get("/").content.decode())["待审批的发放批次"]
    assert (count, url) == (1, "/benefits/batches/?status=draft")
    listed = client.get(url).content.decode()
    assert listed.count('<tr><td>高龄津贴</td><td><a href="/benefits/batches/') == 1 and "草稿" in listed
    client.force_login(factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP))
    assert "待审批的发放批次" not in client.get("/").content.decode()
