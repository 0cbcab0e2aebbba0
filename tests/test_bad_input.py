"""Input that cannot crash: a control character anywhere (query, form, JSON, an imported cell) is
refused with a message naming the field, and nothing changes; on PostgreSQL too, which refuses NUL."""

import pytest
from django.db import connection
from django.test import Client

from laoxiao.accounts.services import api_token_create
from laoxiao.core.importing import import_batch_commit, import_batch_create
from laoxiao.people.importing import PEOPLE_IMPORTER
from laoxiao.people.models import Person
from tests import factories
from tests.concurrency import at_once
from tests.factories import good_row, people_csv

MESSAGE = "不能含有控制字符（如空字符）。"


def test_a_nul_in_a_search_or_a_form_is_refused_naming_the_field(client, xingqing_civil):
    client.force_login(xingqing_civil)
    found = client.get("/people/", {"q": "王\x00"})
    assert found.status_code == 400 and f"字段“q”：{MESSAGE}" in found.content.decode()
    created = client.post("/people/new/", {"name": "王\x01秀英", "id_number": factories.citizen_id()})
    assert created.status_code == 400 and f"字段“name”：{MESSAGE}" in created.content.decode()
    assert Person.objects.count() == 0


def test_a_nul_in_the_api_is_422_naming_the_field(xingqing_civil):
    _, key = api_token_create(user=xingqing_civil, name="x")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    values = {"name": "王\u0000秀英", "id_number": factories.citizen_id(), "area_code": factories.XINGQING_VILLAGE}
    response = api.post("/api/v1/people/", values, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["body", "name"], "msg": MESSAGE, "type": "value_error"}]
    assert api.get("/api/v1/people/", {"name": "\x00"}).status_code == 422
    assert Person.objects.count() == 0


def test_a_nul_in_the_address_is_refused_not_a_server_error(client, xingqing_civil):
    """A code in the path reaches the database as text: PostgreSQL answered a NUL there with a 500."""
    _, key = api_token_create(user=xingqing_civil, name="x")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    for path in ("/api/v1/areas/%00", "/api/v1/areas/64%01/population", "/api/v1/plans/%00/tasks"):
        response = api.get(path)
        assert response.status_code == 422, path
        assert response.json()["detail"] == [{"loc": ["path"], "msg": MESSAGE, "type": "value_error"}]
    client.force_login(xingqing_civil)
    for path in ("/areas/%00/", "/plans/%00/", "/benefits/%00/"):
        page = client.get(path)
        assert page.status_code == 400 and MESSAGE in page.content.decode(), path


def test_a_control_character_in_an_imported_cell_is_a_row_message(xingqing_civil):
    bad = good_row()
    bad[3] = "凤凰北街\x00 1号"
    batch = import_batch_create(
        by=xingqing_civil, importer=PEOPLE_IMPORTER, file_name="x.csv", content=people_csv([good_row(), bad])
    )
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [(3, "居住地址", MESSAGE)]
    assert batch.rows_invalid == 1


@pytest.mark.django_db(transaction=True)
def test_two_files_registering_one_person_at_once_import_one_and_report_the_other_by_row():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are proven on PostgreSQL (SQLite serialises all writers)")
    factories.load_test_areas()
    officers = [factories.make_user(), factories.make_user()]
    shared = good_row()
    batches = [
        import_batch_create(by=officer, importer=PEOPLE_IMPORTER, file_name=f"{n}.csv", content=people_csv([shared]))
        for n, officer in enumerate(officers)
    ]
    pairs = list(zip(officers, batches, strict=True))

    def commit() -> None:
        officer, batch = pairs.pop()  # each thread its own officer and file
        import_batch_commit(by=officer, importer=PEOPLE_IMPORTER, batch=batch, valid_only=False)

    # The loser either met the winner's row on writing it (the unique key) or, had the winner committed
    # first, on validating it: both refuse the whole file and report the row.
    applied, refused = at_once(2, commit)
    assert applied == "applied"
    assert refused in (
        "部分行在此期间已由他人登记，本次未导入任何数据，请查看校验报告。",
        "文件中有错误行，未导入任何数据。",
    )
    assert Person.objects.count() == 1
    reported = [b for b in batches if b.__class__.objects.get(pk=b.pk).errors]
    (loser,) = reported
    assert [(e["row"], e["message"]) for e in loser.__class__.objects.get(pk=loser.pk).errors] == [
        (2, "该公民身份号码已登记。")
    ]


def test_a_form_sent_again_with_its_token_is_refused_and_changes_nothing(client, xingqing_civil):
    client.force_login(xingqing_civil)
    values = {
        "name": "马秀兰",
        "id_number": factories.citizen_id(age=77, female=True),
        "area_code": factories.XINGQING_VILLAGE,
        "_once": "0123456789abcdef0123456789abcdef",
    }
    assert client.post("/people/new/", values).status_code == 302
    again = client.post("/people/new/", values)
    assert (
        again.status_code == 409
        and "该表单已经提交过（可能是连续点击），请返回查看办理结果。" in again.content.decode()
    )
    assert Person.objects.count() == 1
