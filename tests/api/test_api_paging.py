"""API lists are paged: at most 100 items, and limit/offset out of range are a 422 naming the parameter."""

import pytest
from django.test import Client

from laoxiao.accounts.services import api_token_create
from tests import factories


@pytest.fixture
def api(xingqing_civil):
    _, key = api_token_create(user=xingqing_civil, name="county system")
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.mark.parametrize("path", ["/api/v1/people/", "/api/v1/facilities/"])
@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"limit": 101}, "limit"),
        ({"limit": 100000}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": 2**63}, "offset"),
        ({"limit": 2**63}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_a_page_size_or_offset_out_of_range_is_a_422_naming_it(api, path, params, name):
    response = api.get(path, params)
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == [name]


def test_a_hundred_is_the_largest_page_and_the_openapi_says_so(api, city_civil):
    for _ in range(3):
        factories.make_person(by=city_civil, area=factories.XINGQING_VILLAGE)
    body = api.get("/api/v1/people/", {"limit": 100, "offset": 1}).json()
    assert (body["count"], len(body["items"])) == (3, 2)
    schema = Client().get("/api/v1/openapi.json").json()
    limit = next(p for p in schema["paths"]["/api/v1/people/"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 100
