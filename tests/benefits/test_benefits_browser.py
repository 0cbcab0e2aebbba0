"""A proactive batch in Chromium: run, approve by a second officer, download the payment file,
upload the bank's result, reconciled."""

import datetime as dt
import re

import pytest

from laoxiao.accounts.roles import Role
from laoxiao.benefits.models import Payment
from laoxiao.demo.generator import Generator
from tests import factories
from tests.browser import pick_area, sign_in

pytestmark = pytest.mark.browser


def test_run_approve_file_and_reconcile(page, db, tmp_path):
    Generator(city="yinchuan", scale=0.001, seed=1, today=dt.date(2026, 11, 23), log=lambda _: None).run()
    maker = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    checker = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    sign_in(page, maker)
    page.goto("/benefits/")
    page.click("text=高龄津贴")
    pick_area(page, "area", "640104000000")  # one district, chosen by name
    page.fill("input[name=period]", "2026-12")  # the demo has paid the months up to November
    page.click("[data-test=run]")
    page.wait_for_url(re.compile(r"/benefits/batches/\d+/$"))
    batch_url = page.url
    assert page.locator("[data-test=batch-status]").inner_text() == "草稿"
    count = Payment.objects.filter(period="2026-12").count()
    assert count > 0

    page.context.clear_cookies()
    sign_in(page, checker)
    page.goto(batch_url)
    page.click("[data-test=approve]")
    assert "高龄津贴 · 2026-12 · 兴庆区" in page.locator("[data-test=confirm]").inner_text()
    page.click("[data-test=confirm-yes]")
    assert page.locator("[data-test=batch-status]").inner_text() == "已审核通过"
    count = Payment.objects.filter(period="2026-12").exclude(status="held").count()  # no account: held
    assert 0 < count <= Payment.objects.filter(period="2026-12").count()
    with page.expect_download() as download:
        page.click("[data-test=file]")
    rows = download.value.path().read_text(encoding="utf-8-sig").strip().splitlines()
    assert rows[0].startswith("序号,姓名,证件号码") and len(rows) == count + 1
    result = tmp_path / "result.csv"
    result.write_text("序号,结果,原因\n" + "".join(f"{n},成功,\n" for n in range(1, count + 1)), encoding="utf-8")
    page.goto(batch_url)
    assert page.locator("[data-test=batch-status]").inner_text() == "已审核通过"  # downloaded, not yet sent
    page.click("[data-test=send]")
    page.click("[data-test=confirm-yes]")
    assert page.locator("[data-test=batch-status]").inner_text() == "已交银行"
    page.set_input_files("input[name=file]", str(result))
    page.click("[data-test=reconcile]")
    assert page.locator("[data-test=batch-status]").inner_text() == "已对账"
    assert Payment.objects.filter(period="2026-12", status="paid").count() == count


def test_an_application_goes_through_both_reviews_into_a_paid_batch(page, xingqing_civil, tmp_path):
    from laoxiao.benefits.services import programmes_sync

    programmes_sync()
    factories.adopt_programmes("baotou-construction-renovated")
    home = factories.make_facility(by=xingqing_civil, name="兴庆区颐康养老院", floor_area_m2="3000")
    operator = factories.make_user(Role.INSTITUTION_OPERATOR, None)
    operator.organisations.set([home])
    street = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    checker = factories.make_user(Role.CIVIL_AFFAIRS, factories.XINGQING)

    sign_in(page, operator)
    page.goto("/benefits/baotou-construction-renovated/")
    page.click("[data-test=apply]")
    page.select_option("select[name=facility]", str(home.pk))
    page.select_option("select[name=application__construction]", "renovated")
    page.fill("input[name=application__beds]", "50")
    page.click("main button[type=submit]")
    assert "此项必填" in page.locator("[data-field=document_0] .error").inner_text()  # documents are required
    for n in range(3):
        document = tmp_path / f"document-{n}.pdf"
        document.write_bytes(b"%PDF-1.4 demo")
        page.set_input_files(f"input[name=document_{n}]", str(document))
    page.select_option("select[name=application__construction]", "renovated")
    page.fill("input[name=application__beds]", "50")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/benefits/applications/\d+/$"))
    application_url = page.url
    assert page.locator("[data-test=amount]").inner_text() == "100,000.00"
    assert "登记证书或营业执照" in page.locator("[data-test=documents]").inner_text()

    for reviewer, status in ((street, "初审通过"), (xingqing_civil, "已审核通过")):
        page.context.clear_cookies()
        sign_in(page, reviewer)
        page.goto(application_url)
        page.select_option("select[name=approve]", "1")
        page.click("[data-test=review]")
        assert page.locator("[data-test=application-status]").inner_text() == status

    from laoxiao.benefits.services import payee_account_set

    payee_account_set(  # where the grant is paid: a line without an account would be held back
        by=xingqing_civil,
        beneficiary_type="facility",
        beneficiary_id=home.pk,
        area=home.area,
        kind="bank",
        number="6228480012345678901",
        bank_name="宁夏银行",
    )
    page.goto("/benefits/baotou-construction-renovated/")
    page.click("[data-test=batch-applications]")
    page.wait_for_url(re.compile(r"/benefits/batches/\d+/$"))
    batch_url = page.url
    page.context.clear_cookies()
    sign_in(page, checker)
    page.goto(batch_url)
    page.click("[data-test=approve]")
    assert "1 笔，合计 30,000.00 元" in page.locator("[data-test=confirm]").inner_text()
    page.click("[data-test=confirm-yes]")
    with page.expect_download() as download:
        page.click("[data-test=file]")
    rows = download.value.path().read_text(encoding="utf-8-sig").strip().splitlines()
    assert len(rows) == 2 and home.uscc in rows[1] and ",30000.00," in rows[1]  # the first 3 of 3:3:4
    result = tmp_path / "result.csv"
    result.write_text("序号,结果,原因\n1,成功,\n", encoding="utf-8")
    page.goto(batch_url)
    page.click("[data-test=send]")
    page.click("[data-test=confirm-yes]")
    page.set_input_files("input[name=file]", str(result))
    page.click("[data-test=reconcile]")
    assert page.locator("[data-test=batch-status]").inner_text() == "已对账"
    assert Payment.objects.get(beneficiary_id=home.pk).status == "paid"


def test_the_remaining_pages_open_in_chinese_without_script_errors(page, db):
    from laoxiao.benefits.services import programmes_sync

    Generator(city="yinchuan", scale=0.001, seed=1, today=dt.date(2026, 11, 23), log=lambda _: None).run()
    programmes_sync()
    admin = factories.make_user(Role.ADMIN, factories.CITY)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, admin)
    for url in [
        "/assessments/statistics/",
        "/assessments/instruments/",
        "/benefits/advanced-age-allowance/simulator/",
        "/benefits/spending/",
        "/benefits/integrity/",
        "/plans/yinchuan-2023/values/",
        "/plans/yinchuan-2023/targets/?area=640104000000",
        "/plans/import/",
        "/areas/640104000000/population/",
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        assert page.locator("html").get_attribute("lang") == "zh-hans", url
        assert page.locator("h1").count() == 1, url
    assert errors == []
