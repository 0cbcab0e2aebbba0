import pytest
from django.test import Client

from laoxiao.accounts.services import api_token_create
from laoxiao.core.personal import unsealed
from laoxiao.people.models import Person
from tests import factories


@pytest.fixture
def api(xingqing_civil):
    _, key = api_token_create(user=xingqing_civil, name="county system")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_requests_without_a_valid_token_are_refused(areas):
    assert Client().get("/api/v1/people/").status_code == 401
    assert Client(headers={"Authorization": "Bearer lx_wrong"}).get("/api/v1/people/").status_code == 401


def test_list_is_scoped_like_the_ui(api, city_civil):
    mine = factories.make_person(by=city_civil, area=factories.XINGQING_VILLAGE)
    factories.make_person(by=city_civil, area=factories.JINFENG_VILLAGE)
    body = api.get("/api/v1/people/").json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == mine.pk
    assert body["items"][0]["id_number_masked"] == mine.id_number_masked
    assert "id_number_cipher" not in body["items"][0]


def test_out_of_scope_person_is_404(api, city_civil):
    other = factories.make_person(by=city_civil, area=factories.JINFENG_VILLAGE)
    assert api.get(f"/api/v1/people/{other.pk}").status_code == 404
    assert api.get("/api/v1/areas/640106000000").status_code == 404
    assert api.get("/api/v1/areas/640104000000").json()["name"] == "兴庆区"


def test_create_with_a_bad_id_is_422_naming_the_field_and_saves_nothing(api):
    response = api.post(
        "/api/v1/people/",
        {"name": "王秀英", "id_number": "640104195001010010", "area_code": factories.XINGQING_VILLAGE},
        content_type="application/json",
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["body", "id_number"] and "校验" in detail[0]["msg"]
    assert Person.objects.count() == 0


def test_create_and_update_through_the_api(api):
    number = factories.citizen_id(age=81, female=True)
    created = api.post(
        "/api/v1/people/",
        {
            "name": "孙玉兰",
            "id_number": number,
            "area_code": factories.XINGQING_VILLAGE,
            "categories": ["living_alone"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["categories"] == ["living_alone"]
    updated = api.put(
        f"/api/v1/people/{pk}",
        {"name": "孙玉兰", "area_code": factories.XINGQING_VILLAGE, "address": "丽景街1号"},
        content_type="application/json",
    )
    assert updated.status_code == 200 and updated.json()["address"] == "丽景街1号"
    assert Person.objects.get(pk=pk).history.count() == 2


def test_facility_validation_errors_are_422(api):
    values = factories.facility_values(beds_total=100, beds_nursing=120)
    response = api.post("/api/v1/facilities/", values, content_type="application/json")
    assert response.status_code == 422
    assert {d["loc"][1] for d in response.json()["detail"]} == {"beds_nursing"}


def test_roles_without_the_right_get_403(areas, city_civil):
    from laoxiao.accounts.roles import Role

    assessor = factories.make_user(Role.ASSESSOR, None)
    _, key = api_token_create(user=assessor, name="x")
    response = Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/people/")
    assert response.status_code == 403


def test_openapi_document_describes_the_endpoints(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert {"/api/v1/people/", "/api/v1/facilities/", "/api/v1/areas/"} <= set(schema["paths"])


def test_api_token_command_issues_a_working_token(xingqing_civil):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("api-token", xingqing_civil.username, "县级系统", stdout=out)
    key = out.getvalue().strip()
    assert Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/people/").status_code == 200


def test_api_docs_load_swagger_from_our_own_static_files(client, db):
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_an_id_number_is_searched_by_post_and_refused_in_a_url(api, xingqing_civil):
    person = factories.make_person(by=xingqing_civil)
    number = unsealed(person, "id_number")
    refused = api.get("/api/v1/people/", {"q": number})
    assert refused.status_code == 422 and "POST /api/v1/people/search" in refused.content.decode()
    found = api.post("/api/v1/people/search", {"q": number}, content_type="application/json").json()
    assert [p["id"] for p in found["items"]] == [person.pk] and found["items"][0]["id_number_masked"] != number
    assert api.get("/api/v1/people/", {"q": person.name}).json()["count"] == 1


def test_a_search_whose_body_is_not_an_object_is_refused(api):
    for body in ("[null, null]", "null", "1"):
        assert api.post("/api/v1/people/search", body, content_type="application/json").status_code == 422, body
