import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from laoxiao.core.importing import import_batch_commit, import_batch_create
from laoxiao.core.models import ImportBatch
from laoxiao.facilities.importing import FACILITIES_IMPORTER
from laoxiao.facilities.models import Facility
from laoxiao.people.importing import PEOPLE_IMPORTER
from laoxiao.people.models import ElderlyProfile, Person
from tests import factories
from tests.factories import PEOPLE_HEADER as HEADER
from tests.factories import good_row, people_csv


def test_valid_csv_imports_every_row_with_history(xingqing_civil):
    content = people_csv([good_row(), good_row(age=2, categories="", level=""), good_row()])
    batch = import_batch_create(by=xingqing_civil, importer=PEOPLE_IMPORTER, file_name="人员.csv", content=content)
    assert (batch.rows_total, batch.rows_invalid) == (3, 0)
    assert Person.objects.count() == 0  # checking a file saves nothing
    batch = import_batch_commit(by=xingqing_civil, importer=PEOPLE_IMPORTER, batch=batch, valid_only=False)
    assert batch.rows_imported == 3 and batch.status == ImportBatch.Status.IMPORTED
    assert Person.objects.count() == 3
    profile = ElderlyProfile.objects.first()
    assert profile.living_alone and profile.subsistence_allowance and profile.ability_level == 1
    assert Person.history.filter(history_type="+", history_user=xingqing_civil).count() == 3


def test_invalid_rows_are_reported_by_row_and_column_in_chinese_and_nothing_changes(xingqing_civil):
    bad_id = good_row()
    bad_id[1] = "640104195001010010"
    bad_area = good_row()
    bad_area[4] = factories.JINFENG_VILLAGE
    duplicate = good_row()
    rows = [good_row(), bad_id, bad_area, duplicate, list(duplicate)]
    batch = import_batch_create(
        by=xingqing_civil, importer=PEOPLE_IMPORTER, file_name="x.csv", content=people_csv(rows)
    )
    assert batch.rows_invalid == 3
    report = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    assert "校验码" in report[(3, "公民身份号码")]
    assert "负责范围" in report[(4, "所属区划代码")]
    assert "第 5 行" in report[(6, "公民身份号码")]
    with pytest.raises(ValidationError):
        import_batch_commit(by=xingqing_civil, importer=PEOPLE_IMPORTER, batch=batch, valid_only=False)
    assert Person.objects.count() == 0


def test_valid_rows_only_when_the_user_asks(xingqing_civil):
    bad = good_row()
    bad[0] = ""
    batch = import_batch_create(
        by=xingqing_civil, importer=PEOPLE_IMPORTER, file_name="x.csv", content=people_csv([good_row(), bad])
    )
    assert batch.errors == [{"row": 3, "column": "姓名", "message": "此项必填。", "notice": False}]
    batch = import_batch_commit(by=xingqing_civil, importer=PEOPLE_IMPORTER, batch=batch, valid_only=True)
    assert (batch.rows_imported, batch.status) == (1, ImportBatch.Status.PARTIAL)
    assert Person.objects.count() == 1
    with pytest.raises(ValidationError):  # a kept file cannot be imported twice
        import_batch_commit(by=xingqing_civil, importer=PEOPLE_IMPORTER, batch=batch, valid_only=True)


def test_gbk_csv_from_excel_is_read(xingqing_civil):
    batch = import_batch_create(
        by=xingqing_civil,
        importer=PEOPLE_IMPORTER,
        file_name="x.csv",
        content=people_csv([good_row()], encoding="gb18030"),
    )
    assert batch.rows_invalid == 0


def test_xlsx_import_with_numbers_stored_as_numbers(xingqing_civil):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    row = good_row()
    row[2] = 13895001234  # Excel keeps a phone as a number
    row[4] = int(row[4])
    sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = import_batch_create(
        by=xingqing_civil, importer=PEOPLE_IMPORTER, file_name="x.xlsx", content=buffer.getvalue()
    )
    assert batch.errors == []
    import_batch_commit(by=xingqing_civil, importer=PEOPLE_IMPORTER, batch=batch, valid_only=False)
    assert Person.objects.get().phone_masked == "138********"


def test_missing_required_columns_are_named(xingqing_civil):
    with pytest.raises(ValidationError) as caught:
        import_batch_create(
            by=xingqing_civil, importer=PEOPLE_IMPORTER, file_name="x.csv", content="姓名\n张三\n".encode()
        )
    assert "公民身份号码" in caught.value.message_dict["file"][0]


def test_facility_import_checks_credit_codes_and_counts(city_civil):
    header = [c.header for c in FACILITIES_IMPORTER.columns]
    good = factories.facility_values()
    bad = factories.facility_values(uscc="911100001000000000", beds_total=10)

    def line(values):
        labels = {
            "kind": "养老机构",
            "ownership": "民办",
            "profit_status": "非营利性",
            "is_inclusive": "是",
            "status": "运营中",
            "filing_status": "未备案",
        }
        return [
            labels.get(c.field, values.get(c.field, values.get(c.field.replace("area_code", "area_code"), "")))
            for c in FACILITIES_IMPORTER.columns
        ]

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerow(line(good))
    writer.writerow(line(bad))
    batch = import_batch_create(
        by=city_civil, importer=FACILITIES_IMPORTER, file_name="f.csv", content=buffer.getvalue().encode()
    )
    columns = {e["column"] for e in batch.errors if e["row"] == 3}
    assert {"统一社会信用代码", "护理型床位数", "普惠床位数", "在住床位数"} <= columns
    import_batch_commit(by=city_civil, importer=FACILITIES_IMPORTER, batch=batch, valid_only=True)
    assert Facility.objects.get().uscc == good["uscc"]


def test_filtered_export_holds_only_the_filtered_rows(client, xingqing_civil):
    factories.make_person(by=xingqing_civil, name="王独居", categories=["living_alone"])
    factories.make_person(by=xingqing_civil, name="李空巢", categories=["empty_nest"])
    client.force_login(xingqing_civil)
    response = client.get("/people/export.xlsx", {"category": "living_alone"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "姓名" and len(rows) == 2
    assert rows[1][0] == "王独居" and "*" in rows[1][1]


def test_template_download_has_the_exchange_headers(client, xingqing_civil):
    client.force_login(xingqing_civil)
    response = client.get("/people/import/template.xlsx", follow=True)
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert [c.value for c in sheet[1]][:2] == ["姓名*", "公民身份号码*"]


@pytest.mark.parametrize("registry", ["people", "facilities"])
def test_the_templates_own_example_row_passes_for_the_user_who_downloads_it(client, xingqing_civil, registry):
    client.force_login(xingqing_civil)
    template = client.get(f"/{registry}/import/template.xlsx", follow=True)
    assert template.status_code == 200
    content = template.getvalue()
    example = dict(zip(*load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True), strict=True))
    assert example["所属区划代码*"].startswith("640104")  # a real community of 兴庆区, not a made-up code
    page = client.post(
        f"/{registry}/import/", {"file": SimpleUploadedFile("模板.xlsx", content)}, follow=True
    ).content.decode()
    assert "共 1 行，其中 0 行有错误" in page, page


def test_a_bad_choice_names_the_allowed_values_and_the_rejected_rows_download(client, xingqing_civil):
    rows = [good_row(), good_row(level="很好"), good_row(categories="独居、富裕")]
    batch = import_batch_create(
        by=xingqing_civil, importer=PEOPLE_IMPORTER, file_name="x.csv", content=people_csv(rows)
    )
    report = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    assert report[(3, "能力等级")] == "“很好”不是允许的值，可填：能力完好、轻度失能、中度失能、重度失能、完全失能。"
    assert "独居" in report[(4, "特殊类别")] and "低保" in report[(4, "特殊类别")]
    client.force_login(xingqing_civil)
    page = client.get(f"/people/import/{batch.pk}/").content.decode()
    assert 'data-test="error-report"' in page
    download = client.get(f"/imports/people/{batch.pk}/errors/")
    sheet = list(load_workbook(io.BytesIO(download.getvalue())).active.iter_rows(values_only=True))
    assert sheet[0][0] == "行号" and sheet[0][-1] == "问题"
    assert [(r[0], r[-1]) for r in sheet[1:]] == [
        ("3", "能力等级：" + report[(3, "能力等级")]),
        ("4", "特殊类别：" + report[(4, "特殊类别")]),
    ]
    assert sheet[1][1] == rows[1][0]  # the row as it was uploaded, to correct and upload again
    client.force_login(factories.make_user())
    assert client.get(f"/imports/people/{batch.pk}/errors/").status_code == 404  # only its uploader


def test_a_file_is_checked_a_chunk_at_a_time_and_a_number_repeated_across_chunks_is_found(xingqing_civil, settings):
    settings.LAOXIAO_IMPORT_CHUNK = 2
    rows = [good_row() for _ in range(5)]
    rows[4][1] = rows[0][1]  # row 6 repeats row 2, two chunks later
    batch = import_batch_create(
        by=xingqing_civil, importer=PEOPLE_IMPORTER, file_name="x.csv", content=people_csv(rows)
    )
    assert (batch.rows_total, batch.rows_invalid) == (5, 1)
    assert [(e["row"], e["message"]) for e in batch.errors] == [(6, "与第 2 行的公民身份号码重复。")]
    batch = import_batch_commit(by=xingqing_civil, importer=PEOPLE_IMPORTER, batch=batch, valid_only=True)
    assert batch.rows_imported == 4 == Person.objects.count()


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused_before_it_is_opened(xingqing_civil, settings):
    settings.LAOXIAO_XLSX_MAX_UNPACKED_MB = 1
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for _ in range(3000):
        sheet.append(["名" * 40, "x", "", "址" * 200, factories.XINGQING_VILLAGE, "", "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert len(buffer.getvalue()) < 1024 * 1024  # small on the wire
    with pytest.raises(ValidationError) as refused:
        import_batch_create(by=xingqing_civil, importer=PEOPLE_IMPORTER, file_name="x.xlsx", content=buffer.getvalue())
    assert refused.value.message_dict["file"] == ["该工作簿解压后超过 1 MB，请拆分后上传，或另存为 CSV。"]
    assert not ImportBatch.objects.exists()


def test_a_file_refused_at_commit_keeps_its_report_of_the_rows(xingqing_civil):
    """Someone registered one of the file's people between upload and import: nothing is imported, and
    the batch says which row and why (the report outlasts the refusal's rollback)."""
    rows = [good_row(), good_row()]
    batch = import_batch_create(
        by=xingqing_civil, importer=PEOPLE_IMPORTER, file_name="people.csv", content=people_csv(rows)
    )
    assert batch.errors == []
    name, id_number, _phone, _address, area = rows[1][:5]
    factories.make_person(by=xingqing_civil, name=name, id_number=id_number, area=area)
    with pytest.raises(ValidationError):
        import_batch_commit(by=xingqing_civil, importer=PEOPLE_IMPORTER, batch=batch, valid_only=False)
    batch.refresh_from_db()
    assert (batch.status, batch.rows_invalid) == (ImportBatch.Status.VALIDATED, 1)
    assert [(e["row"], e["message"]) for e in batch.errors] == [(3, "该公民身份号码已登记。")]
    assert Person.objects.count() == 1
