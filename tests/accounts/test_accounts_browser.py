"""The administrator's accounts pages in Chromium on a phone: the list and the create form fit the screen,
and an account made there signs in with the password shown once, then chooses its own."""

import pytest

from laoxiao.accounts.models import User
from laoxiao.accounts.roles import Role
from tests import factories
from tests.browser import pick_area, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def test_on_a_phone_the_list_and_the_create_form_fit_and_the_new_account_signs_in(page, areas):
    admin = factories.make_user(Role.ADMIN, factories.CITY)
    for _ in range(3):
        factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    page.set_viewport_size(PHONE)
    sign_in(page, admin)

    page.goto("/account/users/")
    assert page.locator("[data-test=accounts] tbody tr").count() == 4
    assert page.evaluate(OVERFLOW) <= 0

    with page.expect_navigation():  # a link: measured before the form loaded, the page had no document yet
        page.click("[data-test=account-create]")
    assert page.evaluate(OVERFLOW) <= 0
    page.fill("input[name=username]", "street-worker-7")
    page.fill("input[name=full_name]", "马秀兰")
    page.select_option("select[name=role]", "community_worker")
    pick_area(page, "area_code", factories.XINGQING_TOWNSHIP)
    page.fill("input[name=phone]", "13995001234")
    with page.expect_navigation():
        page.click("[data-test=account-form] button[type=submit]")
    password = page.text_content("[data-test=password]")
    assert page.evaluate(OVERFLOW) <= 0
    account = User.objects.get(username="street-worker-7")
    assert (account.area_id, account.phone_masked) == (factories.XINGQING_TOWNSHIP, "139********")

    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("input[name=username]", "street-worker-7")
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/account/password/")
    assert "您的密码由管理员设置" in page.text_content("[data-test=must-change]")
