"""End to end in Chromium: request, two assessors on the tablet form, review, level on the person's page,
the printed report; and a form that keeps answers while the connection is down."""

import re

import pytest

from laoxiao.accounts.roles import Role
from laoxiao.assessments import services
from laoxiao.assessments.models import Assessment
from tests import factories
from tests.browser import sign_in
from tests.test_scoring import GBT, answers_for_total

pytestmark = pytest.mark.browser


def switch_user(page, user):
    page.context.clear_cookies()
    sign_in(page, user)


def tap_answers(page, answers):
    for code, value in answers.items():
        page.check(f'fieldset[data-item="{code}"] input[value="{value}"]')
    page.wait_for_function("document.getElementById('save-state').textContent === '已全部保存'")


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
    tap_answers(page, dict(list(answers.items())[20:]))
    page.check('fieldset[data-basic="A.2.marital"] input[value="丧偶"]')
    page.check('fieldset[data-basic="A.4.diagnoses"] input[value="高血压病"]')
    page.check("#dementia")
    page.wait_for_function("document.getElementById('save-state').textContent === '已全部保存'")
    page.click("[data-test=sign]")
    page.wait_for_url(assessment_url)
    assert "已签字" in page.content()

    switch_user(page, second.user)
    page.goto(assessment_url + "form/")
    page.click('fieldset[data-item="B.1.1"] [data-test=agree]')
    page.wait_for_function("document.getElementById('save-state').textContent === '已全部保存'")
    page.click("[data-test=sign]")
    page.wait_for_url(assessment_url)
    assert page.locator("[data-test=status]").inner_text() == "双人已签字"
    assert page.locator("[data-test=total]").inner_text() == "50"

    switch_user(page, xingqing_civil)
    page.goto(assessment_url)
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
    page.wait_for_function("document.getElementById('save-state').textContent === '已全部保存'")
    assert Assessment.objects.get(pk=assessment.pk).answers == {"B.1.1": "2"}
    page.check("[data-test=step-mode]")
    assert page.locator("fieldset.item:visible").count() == 1
    page.check('fieldset[data-item="B.1.1"] input[value="3"]')  # an answer moves on to the next item
    page.wait_for_selector('fieldset[data-item="B.1.2"]:visible')
