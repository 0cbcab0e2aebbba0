"""Nothing personal is kept in plaintext: uploaded files are sealed and deleted, the log drops
identifiers, the SQLite file is its owner's only; and one import commits once, however many clicks."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from laoxiao.core.importing import import_batch_commit, import_batch_create, imports_purge
from laoxiao.core.models import ImportBatch
from laoxiao.core.personal import unsealed
from laoxiao.people.importing import PEOPLE_IMPORTER
from laoxiao.people.models import Person
from tests import factories
from tests.concurrency import at_once
from tests.factories import good_row, people_csv

ROOT = Path(__file__).resolve().parents[2]


def _raw_file_column(batch: ImportBatch) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM core_importchunk WHERE batch_id = %s ORDER BY n", [batch.pk])
        stored = b"".join(bytes(row[0]) for row in cursor.fetchall())
    return stored.decode("latin-1")  # any byte string, searched as text


def test_an_uploaded_file_is_sealed_and_deleted_once_imported(xingqing_civil):
    rows = [good_row(), good_row()]
    batch = import_batch_create(
        by=xingqing_civil, importer=PEOPLE_IMPORTER, file_name="人员.csv", content=people_csv(rows)
    )
    stored = _raw_file_column(batch)
    name = rows[0][0].encode().decode("latin-1")
    assert stored and rows[0][1] not in stored and name not in stored
    batch = import_batch_commit(by=xingqing_civil, importer=PEOPLE_IMPORTER, batch=batch, valid_only=False)
    assert (batch.status, batch.committed_by) == (ImportBatch.Status.IMPORTED, xingqing_civil)
    assert _raw_file_column(batch) == "" and Person.objects.count() == 2


def test_a_file_with_rejected_rows_is_kept_for_its_report_then_purged(client, xingqing_civil):
    rows = [good_row(), good_row(level="很好")]
    batch = import_batch_create(
        by=xingqing_civil, importer=PEOPLE_IMPORTER, file_name="x.csv", content=people_csv(rows)
    )
    import_batch_commit(by=xingqing_civil, importer=PEOPLE_IMPORTER, batch=batch, valid_only=True)
    client.force_login(xingqing_civil)
    assert client.get(f"/imports/people/{batch.pk}/errors/").status_code == 200
    assert imports_purge(now=timezone.now() + dt.timedelta(days=6)) == 0  # kept for 7 days
    assert imports_purge(now=timezone.now() + dt.timedelta(days=8)) == 1
    gone = client.get(f"/imports/people/{batch.pk}/errors/")
    assert gone.status_code == 410 and "上传的文件已删除，请重新上传" in gone.content.decode()


def test_identifiers_are_dropped_from_the_request_log(tmp_path):
    id_number, phone = factories.citizen_id(age=70), "13912345678"
    script = (
        "import logging; logging.getLogger('django.server').info("
        f"'\"GET /people/?q={id_number}&phone={phone} HTTP/1.1\" 200 512')"
    )
    done = subprocess.run(
        [sys.executable, "-m", "laoxiao.cli", "shell", "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=os.environ | {"LAOXIAO_PROJECT_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"},
        check=True,
    )
    assert "q=[id-number]&phone=[phone]" in done.stderr
    assert id_number not in done.stderr and phone not in done.stderr


def test_the_sqlite_file_is_readable_by_its_owner_only(tmp_path):
    database = tmp_path / "laoxiao.sqlite3"
    script = "from django.db import connection; connection.ensure_connection()"
    subprocess.run(
        [sys.executable, "-m", "laoxiao.cli", "shell", "-c", script],
        cwd=ROOT,
        env=os.environ | {"LAOXIAO_PROJECT_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{database}"},
        check=True,
    )
    assert database.stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db(transaction=True)
def test_three_concurrent_commits_of_one_file_import_it_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are proven on PostgreSQL (SQLite serialises all writers)")
    factories.load_test_areas()
    officer = factories.make_user()
    content = people_csv([good_row() for _ in range(20)])
    batch = import_batch_create(by=officer, importer=PEOPLE_IMPORTER, file_name="x.csv", content=content)
    outcomes = at_once(
        3, lambda: import_batch_commit(by=officer, importer=PEOPLE_IMPORTER, batch=batch, valid_only=False)
    )
    assert outcomes == ["applied", "该文件已经导入过。", "该文件已经导入过。"]
    assert Person.objects.count() == 20


def test_a_search_by_id_number_or_phone_is_posted_and_never_stands_in_a_url(client, xingqing_civil):
    person = factories.make_person(by=xingqing_civil, phone="13912345678")
    number = unsealed(person, "id_number")
    client.force_login(xingqing_civil)
    assert 'method="post"' in client.get("/people/").content.decode()
    spaced = f"{number[:6]} {number[6:14]} {number[14:]}"  # as written on a form, and a phone as read out
    for typed in (number, "13912345678", spaced, "139 1234 5678", "139-1234-5678"):
        posted = client.post("/people/", {"q": typed, "kind": "all"})
        assert posted.status_code == 302 and typed not in posted["Location"] and "s=" in posted["Location"]
        listed = client.get(posted["Location"]).content.decode()
        # the list shows the person, masked; the box keeps what was typed, on a page that is not stored
        assert person.name in listed and typed not in listed.replace(f'value="{typed}"', "")
        exported = client.get(posted["Location"].replace("/people/", "/people/export.xlsx"))
        assert exported.status_code == 200 and "xlsx" in exported["Content-Disposition"]
    # A name goes in the URL as typed; a token from someone else's session finds nothing.
    assert "q=" in client.post("/people/", {"q": person.name})["Location"]
    client.force_login(factories.make_user())
    lapsed = client.get(posted["Location"])
    assert lapsed.status_code == 400 and "该查询已失效，请重新输入" in lapsed.content.decode()


_written_under: list[str] = []
_watched: list[str] = []


def _record_writes(event, args):
    """An audit hook (it cannot be removed, so it only records while a test watches a folder)."""
    if event == "open" and _watched and str(args[0]).startswith(_watched[0]):
        _written_under.append(str(args[0]))


sys.addaudithook(_record_writes)


def test_an_upload_is_sealed_as_it_arrives_and_never_written_in_plaintext(client, xingqing_civil, settings, tmp_path):
    """Django writes uploads above 2.5 MB to a temporary file; a people CSV is ID numbers and phones."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    row = good_row()
    content = people_csv([row]) + b"\n" * (3 * 1024 * 1024)  # beyond Django's in-memory size
    client.force_login(xingqing_civil)
    _watched.append(str(tmp_path))
    try:
        answer = client.post("/people/import/", {"file": SimpleUploadedFile("big.csv", content)})
    finally:
        _watched.clear()
    assert answer.status_code == 302 and _written_under == []
    batch = ImportBatch.objects.get()
    assert row[1] not in _raw_file_column(batch) and batch.rows_total == 1
    settings.LAOXIAO_UPLOAD_MAX_MB = 2
    refused = client.post("/people/import/", {"file": SimpleUploadedFile("big.csv", content)}).content.decode()
    assert "文件超过 2 MB，请拆分为较小的文件后上传" in refused and ImportBatch.objects.count() == 1


def test_closing_an_upload_does_not_decrypt_it():
    """Django closes every upload once the response is sent. Opening the plaintext to close it decrypted
    the whole file a second time (100 MB more for a 50 MB upload): a key no longer configured shows it."""
    from laoxiao.core.uploads import SealedUpload

    upload = SealedUpload(name="x.csv", size=3, content_type="text/csv", key_id="gone", sealed=bytearray(40))
    upload.close()
    assert upload.closed and upload.sealed is None


def test_an_applications_documents_are_kept_sealed_and_download_as_uploaded(client, xingqing_civil, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from laoxiao.benefits import applications, policy, services
    from laoxiao.benefits.models import ApplicationDocument, Programme

    settings.MEDIA_ROOT = str(tmp_path)
    services.programmes_sync()
    factories.adopt_programmes("baotou-construction-new")
    programme = Programme.objects.get(code="baotou-construction-new")
    content = "%PDF-1.4 法定代表人 张三 640104194807024619".encode()
    titles = policy.rule_in_force(programme).rule["documents"]
    uploads = {title: SimpleUploadedFile("营业执照.pdf", content) for title in titles}
    application = applications.application_submit(
        by=xingqing_civil,
        programme=programme,
        facility=factories.make_facility(by=xingqing_civil, floor_area_m2="3000"),
        stated={"application.construction": "new", "application.beds": 100},
        documents=uploads,
    )
    document = ApplicationDocument.objects.filter(application=application).first()
    stored = Path(document.file.path)
    assert stored.suffix == ".sm4" and "营业执照" not in stored.name
    assert b"640104194807024619" not in stored.read_bytes() and "张三".encode() not in stored.read_bytes()
    client.force_login(xingqing_civil)
    answer = client.get(f"/benefits/documents/{document.pk}/")
    assert b"".join(answer.streaming_content) == content
    assert answer["Content-Type"] == "application/pdf" and "%E8%90%A5%E4%B8%9A" in answer["Content-Disposition"]
