"""End to end in Chromium: request, two assessors on the tablet form, review, level on the person's page,
the printed report; and a form that keeps answers while the connection is down."""

import re

import pytest
from playwright.sync_api import expect

from laoxiao.accounts.roles import Role
from laoxiao.assessments import services
from laoxiao.assessments.models import Assessment
from tests import factories
from tests.browser import sign_in
from tests.factories import GBT, answers_for_total

pytestmark = pytest.mark.browser


def switch_user(page, user):
    page.context.clear_cookies()
    sign_in(page, user)


def open_item(page, code):
    """The form shows one part (dimension) at a time and one item open in it."""
    page.click(f'[data-tab="{code.rsplit(".", 1)[0]}"]')
    box = page.locator(f'fieldset[data-item="{code}"]')
    if "open" not in box.get_attribute("class"):
        box.locator(".item-head").click()
    return box


def saved(page):
    expect(page.locator("#save-state")).to_have_text("已全部保存")


def tap_answers(page, answers):
    for code, value in answers.items():
        open_item(page, code).locator(f'input[value="{value}"]').check()
    saved(page)


def test_request_assess_sign_review_and_print(page, xingqing_civil):
    person = factories.make_person(by=xingqing_civil, age=84, name="马桂兰")
    worker = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    _agency, (first, second) = factories.make_agency_with_assessors(by=xingqing_civil)

    sign_in(page, worker)
    page.goto(f"/people/{person.pk}/")
    page.click("[data-test=request-assessment]")
    page.select_option("select[name=requester_kind]", "community")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/assessments/\d+/$"))
    assert page.locator("[data-test=status]").inner_text() == "已申请"
    assessment_url = page.url

    switch_user(page, xingqing_civil)
    page.goto(assessment_url)
    page.select_option("select[name=assessor_1]", str(first.pk))
    page.select_option("select[name=assessor_2]", str(second.pk))
    page.click("main form[action$='/assign/'] button[type=submit]")
    assert page.locator("[data-test=status]").inner_text() == "已派单"

    switch_user(page, first.user)
    page.goto(assessment_url)
    page.click("[data-test=open-form]")
    answers = answers_for_total(GBT, 50)
    first_half = dict(list(answers.items())[:20])
    tap_answers(page, first_half)
    assert page.locator("[data-test=progress]").inner_text() == "20 / 26"
    assert page.locator("[data-test=sign]").is_disabled()  # incomplete: cannot be signed
    page.reload()  # the saved answers come back (the state was once JSON-encoded twice: 0 / 26)
    assert page.locator("[data-test=progress]").inner_text() == "20 / 26"
    assert page.locator('fieldset[data-item="B.1.1"] input:checked').get_attribute("value") == answers["B.1.1"]
    tap_answers(page, dict(list(answers.items())[20:]))
    page.click('[data-tab="basic"]')
    page.check('fieldset[data-basic="A.2.marital"] input[value="丧偶"]')
    page.check('fieldset[data-basic="A.4.diagnoses"] input[value="高血压病"]')
    page.click('[data-tab="grounds"]')
    page.check("#dementia")
    saved(page)
    page.reload()
    assert page.locator("[data-test=progress]").inner_text() == "26 / 26"
    assert page.locator("[data-test=sign]").is_enabled()
    page.click("[data-test=sign]")
    page.wait_for_url(assessment_url)
    assert "已签字" in page.content()

    switch_user(page, second.user)
    page.goto(assessment_url + "form/")
    # the first assessor's answers are there to confirm, item by item
    assert page.locator('fieldset[data-item="B.1.1"] input:checked').get_attribute("value") == answers["B.1.1"]
    assert page.locator('fieldset[data-item="B.1.2"] [data-test=chosen]').inner_text().endswith("未确认")
    page.click('fieldset[data-item="B.1.1"] [data-test=agree]')
    assert "✔ 同意" in page.locator('fieldset[data-item="B.1.1"] [data-test=chosen]').inner_text()
    assert "open" in page.locator('fieldset[data-item="B.1.2"]').get_attribute("class")  # on to the next item
    other = next(o["code"] for o in GBT["dimensions"][0]["items"][1]["options"] if o["code"] != answers["B.1.2"])
    page.click('fieldset[data-item="B.1.2"] [data-test=disagree]')
    page.select_option('fieldset[data-item="B.1.2"] select.own-value', other)
    page.click('fieldset[data-item="B.1.2"] [data-test=record-disagreement]')
    saved(page)
    page.reload()
    assert page.locator("[data-test=progress]").inner_text() == "2 / 26"
    assert "✘ 不同意" in page.locator('fieldset[data-item="B.1.2"] [data-test=chosen]').inner_text()
    assert Assessment.objects.get(pk=assessment_url.rstrip("/").rsplit("/", 1)[1]).second_opinions["B.1.2"] == {
        "agree": False,
        "value": other,
        "note": "",
    }
    assert page.locator("[data-test=sign]").is_disabled()  # it once signed with items unconfirmed
    for code in list(answers)[2:]:
        open_item(page, code).locator("[data-test=agree]").click()
    saved(page)
    assert page.locator("[data-test=progress]").inner_text() == "26 / 26"
    page.click("[data-test=sign]")
    page.wait_for_url(assessment_url)
    assert page.locator("[data-test=status]").inner_text() == "双人已签字"
    assert page.locator("[data-test=total]").inner_text() == "50"
    # signed by both: nothing left to assign, schedule or fill in
    assert page.locator("form[action$='/schedule/'], form[action$='/assign/'], [data-test=open-form]").count() == 0

    switch_user(page, xingqing_civil)
    page.goto(assessment_url)
    assert page.locator("form[action$='/assign/']").count() == 0  # only the review is offered
    page.select_option("select[name=approve]", "1")
    page.click("[data-test=review]")
    assert page.locator("[data-test=status]").inner_text() == "已审核通过"

    page.goto(f"/people/{person.pk}/")
    assert "重度失能" in page.locator("[data-test=ability]").inner_text()  # 50 → 中度, one level up for dementia

    page.goto(assessment_url + "report/")
    report = page.locator("[data-test=report]")
    assert "老年人能力评估报告" in report.inner_text() and "C.5 老年人能力最终等级" in report.inner_text()
    assert page.locator("[data-test=report-level]").inner_text() == "重度失能"
    basic = page.locator("[data-test=report-basic]").inner_text()
    assert "丧偶" in basic and "高血压病" in basic
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()


def test_the_form_keeps_answers_while_offline(page, xingqing_civil):
    person = factories.make_person(by=xingqing_civil, age=75)
    _agency, (first, second) = factories.make_agency_with_assessors(by=xingqing_civil)
    assessment = services.assessment_request(by=xingqing_civil, person=person, reason="first", requester_kind="self")
    services.assessment_assign(by=xingqing_civil, assessment=assessment, assessor_1=first, assessor_2=second)
    sign_in(page, first.user)
    page.goto(f"/assessments/{assessment.pk}/form/")
    page.context.set_offline(True)
    page.check('fieldset[data-item="B.1.1"] input[value="2"]')
    assert "离线" in page.locator("[data-test=save-state]").inner_text()
    assert Assessment.objects.get(pk=assessment.pk).answers == {}
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#save-state")).to_have_text("已全部保存")
    assert Assessment.objects.get(pk=assessment.pk).answers == {"B.1.1": "2"}


def test_the_form_fits_a_phone_one_part_and_one_item_at_a_time(page, xingqing_civil):
    person = factories.make_person(by=xingqing_civil, age=80)
    _agency, (first, second) = factories.make_agency_with_assessors(by=xingqing_civil)
    assessment = services.assessment_request(by=xingqing_civil, person=person, reason="first", requester_kind="self")
    services.assessment_assign(by=xingqing_civil, assessment=assessment, assessor_1=first, assessor_2=second)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, first.user)
    page.goto(f"/assessments/{assessment.pk}/form/")
    assert page.locator("fieldset.item:visible").count() == 8  # B.1 only
    assert page.locator(".item-body:visible").count() == 1  # B.1.1 open, the rest folded
    page.check('fieldset[data-item="B.1.1"] input[value="3"]')  # an answer folds the item and opens the next
    page.wait_for_selector('fieldset[data-item="B.1.2"] .item-body:visible')
    assert page.locator('fieldset[data-item="B.1.1"] [data-test=chosen]').inner_text() == "3分"
    height, width = page.evaluate("[document.documentElement.scrollHeight, document.documentElement.scrollWidth]")
    assert height < 2500 and width <= 390  # it was about 18,000 px tall
