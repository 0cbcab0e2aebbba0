"""The real pages in zh-hans, driven through Chromium."""

import re

import pytest

from laoxiao.core.models import IdentifierReveal
from laoxiao.facilities.models import Facility
from laoxiao.people.models import Person
from tests import factories
from tests.browser import pick_area, sign_in

pytestmark = pytest.mark.browser


def test_sign_in_and_see_the_overview_in_chinese(page, xingqing_civil):
    factories.make_person(by=xingqing_civil, age=83)
    page.goto("/people/")
    assert "/login/" in page.url and page.locator("h1").inner_text() == "登录"
    page.fill("input[name=username]", xingqing_civil.username)
    page.fill("input[name=password]", "wrong password")
    page.click("main button[type=submit]")
    assert "用户名或密码错误" in page.content()
    sign_in(page, xingqing_civil)
    assert "工作台" in page.locator("h1").inner_text()
    page.click("[data-test=to-overview]")
    assert page.locator("[data-test=count-elderly]").inner_text() == "1"
    assert "总览" in page.locator("h1").inner_text()


def test_the_phone_menu_folds_behind_one_button(page, xingqing_civil):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, xingqing_civil)
    nav = page.locator("nav.main-nav")
    assert not nav.is_visible()
    page.click("[data-test=menu]")
    assert nav.is_visible() and nav.locator("a", has_text="人员").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with page.expect_navigation():  # the old page's "load" has passed already; wait for the new one
        page.click("[data-test=elder-mode]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_list_and_search(page, xingqing_civil):
    factories.make_person(by=xingqing_civil, name="欧阳桂英")
    for _ in range(3):
        factories.make_person(by=xingqing_civil)
    sign_in(page, xingqing_civil)
    page.goto("/people/")
    assert page.locator("[data-test=people-list] tbody tr").count() == 4
    page.fill("input[name=q]", "欧阳")
    page.click("form.filters button")
    rows = page.locator("[data-test=people-list] tbody tr")
    assert rows.count() == 1 and "欧阳桂英" in rows.inner_text()


def test_bad_id_number_gets_a_chinese_message_and_nothing_is_saved(page, xingqing_civil):
    sign_in(page, xingqing_civil)
    page.goto("/people/new/")
    page.fill("input[name=name]", "马秀兰")
    page.fill("input[name=id_number]", "640104195001010010")
    pick_area(page, "area_code", factories.XINGQING_VILLAGE)
    page.click("main button[type=submit]")
    error = page.locator("[data-field=id_number] .error")
    assert "公民身份号码校验码错误" in error.inner_text()
    assert page.input_value("input[name=name]") == "马秀兰"  # what the user typed is kept
    assert Person.objects.count() == 0


def test_create_edit_and_see_the_audit_history(page, xingqing_civil):
    number = factories.citizen_id(age=77, female=True)
    sign_in(page, xingqing_civil)
    page.goto("/people/new/")
    page.fill("input[name=name]", "马秀兰")
    page.fill("input[name=id_number]", number)
    page.fill("input[name=phone]", "13895001234")
    page.fill("input[name=address]", "凤凰北街8号")
    pick_area(page, "area_code", factories.XINGQING_VILLAGE)
    page.check("input[name=categories][value=living_alone]")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/people/\d+/$"))
    assert page.locator("h1").inner_text() == "马秀兰"
    assert number[:6] + "*" * 11 + number[-1] in page.content()
    assert "独居" in page.locator("[data-test=categories]").inner_text()

    page.click("text=编辑")
    page.fill("input[name=address]", "丽景街66号")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/people/\d+/$"))
    assert "丽景街66号" in page.content()

    page.click("text=变更记录")
    history = page.locator("table.history")
    assert "修改" in history.inner_text() and "新建" in history.inner_text()
    row = history.locator("tr", has_text="地址").first
    assert "凤凰北街8号" in row.inner_text() and "丽景街66号" in row.inner_text()
    assert xingqing_civil.first_name in history.inner_text()


def test_revealing_an_id_number_shows_it_and_logs_it(page, xingqing_civil):
    person = factories.make_person(by=xingqing_civil)
    sign_in(page, xingqing_civil)
    page.goto(f"/people/{person.pk}/")
    page.click("#id-number + button")
    page.wait_for_selector("#id-number .revealed")
    assert len(page.locator("#id-number").inner_text()) == 18
    assert IdentifierReveal.objects.filter(user=xingqing_civil, subject_id=person.pk).count() == 1
    page.click("text=变更记录")
    reveals = page.locator("[data-test=reveals]").inner_text()
    assert xingqing_civil.first_name in reveals and "公民身份号码" in reveals


def test_another_districts_person_is_not_found(page, xingqing_civil, jinfeng_civil):
    other = factories.make_person(by=jinfeng_civil, area=factories.JINFENG_VILLAGE)
    sign_in(page, xingqing_civil)
    response = page.goto(f"/people/{other.pk}/")
    assert response.status == 404
    assert other.name not in page.content()


def test_elder_mode_sticks_and_english_is_available(page, xingqing_civil):
    sign_in(page, xingqing_civil)
    page.click("[data-test=elder-mode]")
    page.goto("/people/")
    assert "elder" in (page.locator("html").get_attribute("class") or "")
    assert page.locator("[data-test=elder-mode]").inner_text() == "标准模式"
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "People"


def test_import_reports_bad_rows_and_imports_valid_rows_on_request(page, xingqing_civil, tmp_path):
    good = [factories.fake.name(), factories.citizen_id(), "", "", factories.XINGQING_VILLAGE, "", "", "独居", ""]
    bad = ["", "640104195001010010", "", "", factories.XINGQING_VILLAGE, "", "", "", ""]
    from tests.factories import people_csv

    path = tmp_path / "people.csv"
    path.write_bytes(people_csv([good, bad]))
    sign_in(page, xingqing_civil)
    page.goto("/people/import/")
    page.set_input_files("input[type=file]", str(path))
    page.click("main button:has-text('校验文件')")
    report = page.locator("[data-test=import-errors]")
    assert "姓名" in report.inner_text() and "校验码" in report.inner_text()
    assert Person.objects.count() == 0
    page.click("main button:has-text('仅导入有效行')")
    page.wait_for_url("**/people/")
    assert "已导入 1 行" in page.content()
    assert Person.objects.count() == 1


def test_facility_registration_with_a_bad_credit_code_then_staff_and_certificate(page, xingqing_civil):
    sign_in(page, xingqing_civil)
    page.goto("/facilities/new/")
    values = factories.facility_values()
    page.fill("input[name=name]", "兴庆区康乐颐养院")
    page.select_option("select[name=kind]", "care_home")
    page.fill("input[name=uscc]", "911100001000000000")
    page.select_option("select[name=ownership]", "private")
    page.select_option("select[name=profit_status]", "non_profit")
    page.fill("input[name=address]", "丽景街88号")
    pick_area(page, "area_code", factories.XINGQING_VILLAGE)
    page.fill("input[name=beds_total]", "100")
    page.fill("input[name=beds_nursing]", "60")
    page.click("main button[type=submit]")
    assert "统一社会信用代码校验码错误" in page.locator("[data-field=uscc] .error").inner_text()
    assert Facility.objects.count() == 0
    page.fill("input[name=uscc]", values["uscc"])
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/facilities/\d+/$"))
    assert page.locator("h1").inner_text() == "兴庆区康乐颐养院"

    page.click("text=添加从业人员")
    page.fill("input[name=name]", "韩梅")
    page.fill("input[name=id_number]", factories.citizen_id(age=38, female=True))
    page.select_option("select[name=role]", "caregiver")
    page.fill("input[name=hired_on]", "2023-04-01")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/facilities/\d+/$"))
    page.click("text=添加证书")
    page.select_option("select[name=kind]", "caregiver")
    page.select_option("select[name=level]", "intermediate")
    page.fill("input[name=issued_on]", "2024-05-01")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/facilities/\d+/$"))
    assert "中级" in page.content() and "韩梅" in page.content()


def test_every_page_opens_without_script_errors(page, xingqing_civil, areas):
    person = factories.make_person(by=xingqing_civil)
    infant = factories.make_person(by=xingqing_civil, age=1)
    facility = factories.make_facility(by=xingqing_civil)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, xingqing_civil)
    urls = [
        "/",
        "/people/",
        f"/people/{person.pk}/",
        f"/people/{person.pk}/edit/",
        f"/people/{person.pk}/history/",
        f"/people/{infant.pk}/guardians/new/",
        "/people/new/",
        "/people/import/",
        "/facilities/",
        f"/facilities/{facility.pk}/",
        f"/facilities/{facility.pk}/edit/",
        f"/facilities/{facility.pk}/history/",
        f"/facilities/{facility.pk}/agreements/new/",
        "/facilities/new/",
        "/facilities/import/",
        "/areas/640104000000/",
        "/areas/640104001000/",
    ]
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert errors == []
