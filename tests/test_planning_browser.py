"""The Qianjiang plan in Chromium: open it, drill into a township, export xlsx, open the report."""

import io

import pytest
from openpyxl import load_workbook

from laoxiao.accounts.roles import Role
from laoxiao.core.models import Area
from laoxiao.core.services import areas_load
from laoxiao.planning.services import plans_sync
from tests import factories
from tests.browser import sign_in

pytestmark = pytest.mark.browser


def test_open_the_qianjiang_plan_drill_down_export_and_report(page, db):
    areas_load(prefix="500114")
    plans_sync()
    leader = factories.make_user(Role.LEADING_OFFICE, "500114000000")
    sign_in(page, leader)
    page.goto("/plans/")
    page.click("text=黔江区“一老一小”整体解决方案")
    assert page.locator("[data-test=indicators] tbody tr").count() == 39
    assert page.locator("[data-test=projects] tbody tr").count() == 16
    assert page.locator("[data-test=tasks] tbody tr").count() == 39
    township = Area.objects.filter(code__startswith="500114", level="township").order_by("code").first()
    page.click(f"[data-test=breakdown] a:text-is('{township.name}')")
    assert page.locator("[data-test=area]").inner_text() == township.name
    with page.expect_download() as download:
        page.click("[data-test=export]")
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert sheet.cell(2, 2).value == "基本养老保险参保率" and sheet.max_row == 40
    page.click("[data-test=report]")
    assert "中期评估报告" in page.locator("[data-test=plan-report]").inner_text()


def test_yinchuan_dashboard_draws_its_charts_without_script_errors(page, db):
    import datetime as dt

    from laoxiao.demo.generator import Generator
    from laoxiao.planning.services import indicators_snapshot

    Generator(city="yinchuan", scale=0.001, seed=1, today=None, log=lambda _: None).run()
    indicators_snapshot(on=dt.date.today() - dt.timedelta(days=30))
    indicators_snapshot()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, factories.make_user(Role.LEADING_OFFICE, "640100000000"))
    page.goto("/plans/yinchuan-2023/")
    page.wait_for_selector("#chart-map canvas")
    page.wait_for_selector("#chart-trends canvas")
    page.wait_for_selector("#chart-progress canvas")
    assert errors == []
