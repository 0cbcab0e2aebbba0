"""The same scoring through the API and the import, and the assessment pages for each role."""

import csv
import io

import pytest
from django.test import Client

from laoxiao.accounts.roles import Role
from laoxiao.accounts.services import api_token_create
from laoxiao.assessments.importing import ASSESSMENTS_IMPORTER, COLUMNS
from laoxiao.assessments.models import Assessment
from laoxiao.core.importing import import_batch_commit, import_batch_create
from laoxiao.core.personal import unsealed
from tests import factories
from tests.factories import GBT, answers_for_total

TABLE = [(90, 0), (89, 1), (66, 1), (65, 2), (46, 2), (45, 3), (30, 3), (29, 4), (2, 4)]


@pytest.fixture
def api(xingqing_civil):
    _, key = api_token_create(user=xingqing_civil, name="外部评估系统")
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.mark.parametrize(("total", "level"), TABLE)
def test_api_recomputes_total_and_level(api, xingqing_civil, total, level):
    person = factories.make_person(by=xingqing_civil, age=78)
    payload = {
        "id_number": unsealed(person, "id_number"),
        "assessed_on": "2025-06-30",
        "answers": answers_for_total(GBT, total),
        "claimed_level": 0,
    }
    response = api.post("/api/v1/assessments/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["assessment"]["total"], body["assessment"]["level"]) == (total, level)
    assert (body["differs_from_claimed"] != "") == (level != 0)
    ability = api.get(f"/api/v1/assessments/ability/{person.pk}").json()
    assert ability["level"] == level and ability["source"] == "assessment"


def test_api_refuses_out_of_range_answers_with_422(api, xingqing_civil):
    person = factories.make_person(by=xingqing_civil, age=78)
    payload = {
        "id_number": unsealed(person, "id_number"),
        "assessed_on": "2025-06-30",
        "answers": answers_for_total(GBT, 90) | {"B.2.4": "4"},
    }
    response = api.post("/api/v1/assessments/", payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "B.2.4"]
    assert Assessment.objects.count() == 0


def test_api_cannot_import_for_a_person_out_of_scope(api, jinfeng_civil):
    other = factories.make_person(by=jinfeng_civil, area=factories.JINFENG_VILLAGE, age=70)
    payload = {
        "id_number": unsealed(other, "id_number"),
        "assessed_on": "2025-06-30",
        "answers": answers_for_total(GBT, 90),
    }
    assert api.post("/api/v1/assessments/", payload, content_type="application/json").status_code == 422


def assessment_csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in COLUMNS])
    for values in rows:
        writer.writerow([values.get(c.field, "") for c in COLUMNS])
    return buffer.getvalue().encode()


def test_import_recomputes_and_reports_differences(xingqing_civil):
    people = [factories.make_person(by=xingqing_civil, age=80) for _ in TABLE]
    rows = [
        {
            "id_number": unsealed(p, "id_number"),
            "assessed_on": "2025-05-01",
            "claimed_level": "能力完好",
            **answers_for_total(GBT, total),
        }
        for p, (total, _level) in zip(people, TABLE, strict=True)
    ]
    bad = dict(rows[0], id_number=unsealed(people[0], "id_number"), **{"B.3.7": "2"})
    batch = import_batch_create(
        by=xingqing_civil, importer=ASSESSMENTS_IMPORTER, file_name="评估.csv", content=assessment_csv([*rows, bad])
    )
    assert batch.rows_invalid == 1
    errors = [e for e in batch.errors if not e["notice"]]
    assert errors[0]["row"] == len(rows) + 2 and errors[0]["column"].startswith("B.3.7")
    differences = [e for e in batch.errors if e["notice"]]
    assert len(differences) == len([1 for _t, level in TABLE if level != 0])
    batch = import_batch_commit(by=xingqing_civil, importer=ASSESSMENTS_IMPORTER, batch=batch, valid_only=True)
    stored = {a.person_id: (a.total, a.level, a.claimed_level) for a in Assessment.objects.all()}
    for person, (total, level) in zip(people, TABLE, strict=True):
        assert stored[person.pk] == (total, level, 0)
    assert Assessment.history.filter(history_type="+").count() == len(TABLE)


def test_assessment_pages_render_for_each_role(client, xingqing_civil):
    from laoxiao.assessments import services

    person = factories.make_person(by=xingqing_civil, age=70)
    _agency, (first, second) = factories.make_agency_with_assessors(by=xingqing_civil)
    assessment = services.assessment_request(by=xingqing_civil, person=person, reason="first", requester_kind="self")
    client.force_login(xingqing_civil)
    for url, text in {
        "/assessments/": person.name,
        f"/assessments/{assessment.pk}/": "指派两名评估员",
        "/assessments/statistics/": "评估统计",
        "/assessments/import/": "导入评估结果",
        f"/assessments/request/{factories.make_person(by=xingqing_civil, age=66).pk}/": "申请能力评估",
        f"/assessments/condition/{person.pk}/": "状况变化",
        "/assessments/statistics/?format=xlsx": "",
    }.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.getvalue().decode(errors="ignore"), url
    services.assessment_assign(by=xingqing_civil, assessment=assessment, assessor_1=first, assessor_2=second)
    client.force_login(first.user)
    assert "签字确认" in client.get(f"/assessments/{assessment.pk}/form/").content.decode()
    _other_agency, (stranger, _) = factories.make_agency_with_assessors(by=xingqing_civil)
    client.force_login(stranger.user)
    assert client.get(f"/assessments/{assessment.pk}/").status_code == 404
    client.force_login(factories.make_user(Role.LEADING_OFFICE, factories.CITY))
    assert client.get(f"/assessments/{assessment.pk}/form/").status_code == 403


def test_changed_settings_make_a_new_version_and_old_results_keep_theirs(client, xingqing_civil, areas):
    import json

    from laoxiao.assessments.models import Instrument
    from laoxiao.assessments.policy import current_instrument

    admin = factories.make_user(Role.ADMIN, factories.CITY)
    client.force_login(admin)
    ltc = current_instrument("医保办发〔2021〕37号")
    settings = dict(ltc.definition["settings"], matrix=[[0, 0, 1, 1], [1, 1, 1, 2], [2, 2, 2, 3], [3, 3, 4, 9]])
    response = client.post(
        "/assessments/instruments/", {"code": ltc.code, "settings": json.dumps(settings)}, follow=True
    )
    assert "矩阵" in response.content.decode() or "4 rows" in response.content.decode()
    assert Instrument.objects.filter(code=ltc.code).count() == 1
    settings["matrix"][3][3] = 4
    client.post("/assessments/instruments/", {"code": ltc.code, "settings": json.dumps(settings)})
    new = current_instrument(ltc.code)
    assert (new.version, new.definition["settings"]["matrix"][3][3]) == (2, 4)
    assert Instrument.objects.get(pk=ltc.pk).definition["settings"]["matrix"][3][3] == 5
    assert client.get("/assessments/instruments/").status_code == 200
    client.force_login(xingqing_civil)
    assert client.get("/assessments/instruments/").status_code == 403
