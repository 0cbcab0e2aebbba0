"""List pages (issue 10, items 10 and 12): at most 100 rows a page with a page jump, the area picker
instead of typed codes, a person found by name and the last four ID digits, filtered export, and the
overview's counts."""

import io
import logging
import re
from decimal import Decimal

import pytest
from django.test import RequestFactory
from openpyxl import load_workbook

from laoxiao.accounts.roles import Role
from laoxiao.core.personal import unsealed
from laoxiao.homecare.meals import services as meals
from laoxiao.people import services
from laoxiao.people.models import Person
from laoxiao.web.paging import MAX_PAGE_SIZE, paginate
from tests import factories
from tests.browser import sign_in


def _rows(html: str, test: str = "people-list") -> list[str]:
    body = html.split(f'data-test="{test}"', 1)[1].split("</tbody>", 1)[0].split("<tbody>", 1)[1]
    return [row for row in body.split("<tr>")[1:] if "<td" in row]


def test_no_page_has_more_than_100_rows_whatever_the_setting(settings):
    settings.LAOXIAO_PAGE_SIZE = 500
    page = paginate(RequestFactory().get("/?page=2&q=x"), list(range(250)))
    assert len(page) == MAX_PAGE_SIZE == 100 and page.number == 2
    assert page.query == "q=x" and page.hidden == [("q", "x")]


def test_pager_shows_the_total_and_jumps_to_a_typed_page(client, xingqing_civil, settings):
    settings.LAOXIAO_PAGE_SIZE = 2
    for _ in range(5):
        factories.make_person(by=xingqing_civil)
    client.force_login(xingqing_civil)
    html = client.get("/people/?sex=1").content.decode()
    assert "共 5 条记录" in html and "/ 3" in html and len(_rows(html)) == 2
    assert 'name="page" value="1" min="1" max="3"' in html
    assert '<input type="hidden" name="sex" value="1">' in html  # the jump keeps the filters
    assert len(_rows(client.get("/people/?sex=1&page=3").content.decode())) == 1


def test_a_person_is_found_by_name_and_the_last_four_id_digits(client, xingqing_civil):
    first = factories.make_person(by=xingqing_civil, name="王芳")
    factories.make_person(by=xingqing_civil, name="王芳")
    factories.make_person(by=xingqing_civil, name="李明")
    client.force_login(xingqing_civil)
    last4 = unsealed(first, "id_number")[-4:]
    rows = _rows(client.get("/people/", {"q": "王芳", "id_last4": last4.lower()}).content.decode())
    assert len(rows) == 1 and first.id_number_masked in rows[0]


@pytest.mark.parametrize("fragment", ["王芳", "刘桂英", "王", "芳王"])
def test_a_name_fragment_finds_every_name_containing_it_and_no_other(client, city_civil, fragment):
    # Two characters take three indexes on PostgreSQL (a name's start, its end, inside a long name): together
    # they must find what `contains` finds, wherever the fragment sits in the name.
    names = ["王芳", "王芳芳", "李王芳", "阿依王芳古丽", "芳王", "王小芳", "刘桂英", "刘桂英子", "小刘桂", "张伟"]
    for name in names:
        factories.make_person(by=city_civil, name=name)
    client.force_login(city_civil)
    html = client.get("/people/", {"q": fragment, "sort": "name"}).content.decode()
    found = sorted(name for name in names if any(f">{name}<" in row for row in _rows(html)))
    assert found == sorted(name for name in names if fragment in name)


def test_newest_first_lists_the_latest_registered_first_for_a_city_a_county_and_a_street(
    client, city_civil, xingqing_civil
):
    # The county's list walks its own index, a street's sorts its rows, the city's walks every id (selectors).
    names = ["甲一", "乙二", "丙三", "丁四", "戊五", "己六"]
    places = [factories.XINGQING_VILLAGE, factories.JINFENG_VILLAGE]
    for index, name in enumerate(names):
        factories.make_person(by=city_civil, name=name, area=places[index % 2])
    seen = {}
    for label, user, area in [
        ("city", city_civil, ""),
        ("county", xingqing_civil, ""),
        ("street", xingqing_civil, factories.XINGQING_TOWNSHIP),
    ]:
        client.force_login(user)
        html = client.get("/people/", {"sort": "-created", "area": area}).content.decode()
        seen[label] = [name for row in _rows(html) for name in names if f">{name}<" in row]
    assert seen == {"city": names[::-1], "county": names[-2::-2], "street": names[-2::-2]}


def test_a_category_list_follows_a_person_who_moves_to_another_district(client, xingqing_civil, jinfeng_civil):
    person = factories.make_person(by=xingqing_civil, name="赵独居", categories=["living_alone"])
    city = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    services.person_update(
        by=city, person=person, name=person.name, area_code=factories.JINFENG_VILLAGE, categories=["living_alone"]
    )
    listed = {}
    for user in (xingqing_civil, jinfeng_civil):
        client.force_login(user)
        listed[user.area_id] = client.get("/people/", {"category": "living_alone"}).content.decode()
    assert "赵独居" not in listed[factories.XINGQING] and "赵独居" in listed[factories.JINFENG]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"id_last4": "1234"}, "请同时填写姓名"),
        ({"q": "王芳", "id_last4": "12"}, "请填写身份证号的后四位"),
        ({"area": "兴庆区"}, "地区“兴庆区”不存在或不在您的辖区内"),
        ({"area": "640106000000"}, "不在您的辖区内"),  # 金凤区, outside 兴庆区
    ],
)
def test_bad_filters_get_a_chinese_message_and_no_rows(client, xingqing_civil, query, message):
    person = factories.make_person(by=xingqing_civil, name="王芳")
    client.force_login(xingqing_civil)
    response = client.get("/people/", query)
    html = response.content.decode()
    assert response.status_code == 400 and message in html and "筛选条件有误" in html
    assert f'href="/people/{person.pk}/"' not in html
    assert client.get("/people/export.xlsx", query)["Content-Type"].startswith("text/html")


def test_area_picker_filters_by_name_and_the_list_shows_age_and_county(client, city_civil):
    factories.make_person(by=city_civil, name="兴庆人", age=81)
    factories.make_person(by=city_civil, name="金凤人", area=factories.JINFENG_VILLAGE)
    client.force_login(city_civil)
    html = client.get("/people/", {"area": factories.XINGQING_TOWNSHIP}).content.decode()
    rows = _rows(html)
    assert len(rows) == 1 and "兴庆人" in rows[0] and ">81<" in rows[0] and "<td>兴庆区</td>" in rows[0]
    assert "所属区县" in html and "年龄" in html
    # The picker shows the chosen street under its district, and the district's other streets' level below.
    assert '<option value="640104000000" selected>兴庆区</option>' in html
    assert '<option value="640104001000" selected>凤凰北街街道</option>' in html
    assert "全部村/社区" in html


def test_area_picker_offers_the_areas_below_within_the_scope_only(client, xingqing_civil):
    client.force_login(xingqing_civil)
    top = client.get("/areas/children/").json()
    assert top["label"] == "乡镇/街道" and {"code": "640104001000", "name": "凤凰北街街道"} in top["areas"]
    communities = client.get("/areas/children/", {"parent": factories.XINGQING_TOWNSHIP}).json()
    assert {"code": factories.XINGQING_VILLAGE, "name": "崇安社区居委会"} in communities["areas"]
    assert client.get("/areas/children/", {"parent": factories.JINFENG}).json()["areas"] == []


def test_export_honours_the_filters_and_is_logged(client, city_civil, caplog):
    factories.make_person(by=city_civil, name="兴庆人")
    factories.make_person(by=city_civil, name="金凤人", area=factories.JINFENG_VILLAGE)
    client.force_login(city_civil)
    with caplog.at_level(logging.INFO, logger="laoxiao.export"):
        response = client.get("/people/export.xlsx", {"area": factories.JINFENG})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "所属区县" in rows[0] and [r[0] for r in rows[1:]] == ["金凤人"] and "金凤区" in rows[1]
    assert any(city_civil.username in r.getMessage() and "所属区划：金凤区" in r.getMessage() for r in caplog.records)


def test_facility_and_assessment_lists_use_the_picker_and_refuse_an_unknown_area(client, xingqing_civil):
    client.force_login(xingqing_civil)
    for url in ("/facilities/", "/assessments/"):
        assert "data-area-picker" in client.get(url).content.decode(), url
        response = client.get(url, {"area": "999999999999"})
        assert response.status_code == 400 and "不在您的辖区内" in response.content.decode(), url


def test_a_person_is_registered_with_the_picker_down_to_a_street_or_community(client, xingqing_civil):
    client.force_login(xingqing_civil)
    form = client.get("/people/new/").content.decode()
    assert "data-area-picker" in form and "区划代码" not in form and '<option value="640104001000">' in form
    values = {"name": "马秀兰", "id_number": factories.citizen_id(age=70)}
    whole = client.post("/people/new/", {**values, "area_code": ""}).content.decode()  # left at "all"
    assert "兴庆区是区县：请选择街道（乡镇）" in whole and Person.objects.count() == 0
    outside = client.post("/people/new/", {**values, "area_code": factories.JINFENG_VILLAGE}).content.decode()
    assert "不在您的辖区内" in outside and Person.objects.count() == 0
    client.post("/people/new/", {**values, "area_code": factories.XINGQING_TOWNSHIP})
    assert Person.objects.get().area_id == factories.XINGQING_TOWNSHIP
    edit = client.get(f"/people/{Person.objects.get().pk}/edit/").content.decode()
    assert '<option value="640104001000" selected>凤凰北街街道</option>' in edit


def test_a_community_worker_has_no_area_to_choose_and_registers_in_their_community(client, areas):
    worker = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_VILLAGE)
    client.force_login(worker)
    assert "全部辖区" in client.get("/people/new/").content.decode()
    client.post("/people/new/", {"name": "马秀兰", "id_number": factories.citizen_id(age=70)})
    assert Person.objects.get().area_id == factories.XINGQING_VILLAGE


def test_an_operator_edits_its_home_without_an_area_and_it_stays_where_it_is(client, xingqing_civil):
    facility = factories.make_facility(by=xingqing_civil)
    operator = factories.make_user(Role.INSTITUTION_OPERATOR, None)
    operator.organisations.set([facility.pk])
    client.force_login(operator)
    page = client.get(f"/facilities/{facility.pk}/edit/").content.decode()
    assert 'name="area_code"' not in page
    form = client.get(f"/facilities/{facility.pk}/edit/").context["form"]
    values = {k: v for k, v in form.initial.items() if k in form.fields}
    response = client.post(f"/facilities/{facility.pk}/edit/", {**values, "address": "丽景街99号"})
    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.address, facility.area_id) == ("丽景街99号", factories.XINGQING_VILLAGE)


# --- The overview's counts (item 12) -------------------------------------------------------------------


def _kind_count(html: str, label: str) -> int:
    match = re.search(rf"<td>{re.escape(label)}</td><td class=\"num\">([\d,]+)</td>", html)
    assert match, label
    return int(match.group(1).replace(",", ""))


def test_overview_counts_centres_with_day_care_and_every_place_serving_meals(client, xingqing_civil):
    centre = factories.make_facility(
        by=xingqing_civil, kind="community_center", beds_total=0, beds_nursing=0, beds_inclusive=0, beds_occupied=0
    )
    factories.make_facility(
        by=xingqing_civil, kind="day_care_center", beds_total=0, beds_nursing=0, beds_inclusive=0, beds_occupied=0
    )
    meals.meal_point_configure(by=xingqing_civil, facility=centre, meal_price=Decimal(12), delivery_fee=Decimal(3))
    client.force_login(xingqing_civil)
    html = client.get("/overview/").content.decode()
    assert _kind_count(html, "社区养老服务中心/日间照料中心") == 2
    assert _kind_count(html, "老年食堂/助餐点") == 1
    assert "<td>日间照料中心</td>" not in html


def test_an_operators_overview_counts_its_homes_residents(client, city_civil):
    home = factories.make_facility(by=city_civil, beds_occupied=90)
    factories.make_facility(by=city_civil, beds_occupied=40)  # another operator's home
    factories.make_person(by=city_civil)
    operator = factories.make_user(Role.INSTITUTION_OPERATOR, None)
    operator.organisations.set([home])
    client.force_login(operator)
    html = client.get("/overview/").content.decode()
    assert re.search(r'data-test="count-elderly">90<', html)


@pytest.mark.browser
def test_area_picker_and_page_jump_on_a_phone(page, city_civil, settings):
    settings.LAOXIAO_PAGE_SIZE = 2
    for _ in range(3):
        factories.make_person(by=city_civil, area=factories.XINGQING_VILLAGE)
    factories.make_person(by=city_civil, name="金凤人", area=factories.JINFENG_VILLAGE)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, city_civil)
    page.goto("/people/")
    picker = page.locator("[data-area-picker]")
    picker.locator("select").first.select_option(label="兴庆区")
    picker.locator("select").nth(1).select_option(label="凤凰北街街道")
    picker.locator("select").nth(2).select_option(label="崇安社区居委会")
    page.click("[data-test=people-filters] button[type=submit]")
    page.wait_for_url(f"**area={factories.XINGQING_VILLAGE}**")
    assert "共 3 条记录" in page.inner_text("nav.pager") and "金凤人" not in page.content()
    box = page.locator("nav.pager").bounding_box()
    assert box and box["x"] + box["width"] <= 390
    page.fill("nav.pager input[name=page]", "2")
    page.press("nav.pager input[name=page]", "Enter")
    page.wait_for_url("**page=2**")
    assert f"area={factories.XINGQING_VILLAGE}" in page.url
    assert page.locator("[data-test=people-list] tbody tr").count() == 1
    assert Person.objects.count() == 4


@pytest.mark.browser
def test_area_chosen_before_the_picker_script_ran_is_kept(page, city_civil):
    """On a slow line a user can choose before the deferred script runs; the choice must still be sent."""
    factories.make_person(by=city_civil, area=factories.XINGQING_VILLAGE)
    factories.make_person(by=city_civil, name="金凤人", area=factories.JINFENG_VILLAGE)
    sign_in(page, city_civil)
    page.route("**/area-picker.js", lambda route: route.abort())
    page.goto("/people/")
    picker = page.locator("[data-area-picker]")
    picker.locator("select").first.select_option(label="兴庆区")
    page.unroute("**/area-picker.js")
    page.add_script_tag(url="/static/laoxiao/area-picker.js")
    picker.locator("select[data-parent='640104000000']").wait_for()
    page.click("[data-test=people-filters] button[type=submit]")
    page.wait_for_url("**area=640104000000**")
    assert "金凤人" not in page.inner_text("[data-test=people-list]")


@pytest.mark.browser
def test_on_a_phone_a_lists_rows_are_cards_with_every_column_named_on_screen(page, city_civil):
    factories.make_person(by=city_civil, name="卡片人", area=factories.XINGQING_VILLAGE)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, city_civil)
    page.goto("/people/")
    row = page.locator("[data-test=people-list] tbody tr").first
    cells = row.locator("td")
    labels = [cells.nth(n).get_attribute("data-label") for n in range(cells.count())]
    assert "所属区划" in labels and "状态" in labels  # the last columns, once past the screen's edge
    for n in range(cells.count()):
        box = cells.nth(n).bounding_box()  # None: an empty cell, left off the card
        assert box is None or box["x"] + box["width"] <= 390, labels[n]
    assert row.locator("td[data-label=状态]").is_visible()
    page.set_viewport_size({"width": 1366, "height": 900})  # on a desk it is a table again
    assert page.locator("[data-test=people-list] thead th").first.is_visible()


def test_a_list_longer_than_the_count_cap_says_more_than_and_offers_no_last_page(client, xingqing_civil, settings):
    settings.LAOXIAO_PAGE_SIZE, settings.LAOXIAO_LIST_COUNT_CAP = 2, 3
    for _ in range(5):
        factories.make_person(by=xingqing_civil)
    client.force_login(xingqing_civil)
    html = client.get("/people/?sex=1").content.decode()
    assert "超过 3 条记录" in html and "/ 2+" in html and "末页" not in html and len(_rows(html)) == 2
    assert len(_rows(client.get("/people/?sex=1&page=2").content.decode())) == 1  # paged to the cap; past it a filter
    settings.LAOXIAO_LIST_COUNT_CAP = 5  # exactly the cap: counted, not "more than"
    html = client.get("/people/?sex=1").content.decode()
    assert "共 5 条记录" in html and "/ 3" in html and "末页" in html
