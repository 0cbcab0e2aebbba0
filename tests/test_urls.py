"""Walks every URL: each view declares its scope, and nothing but the public views answers a stranger."""

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path

PUBLIC = {"login", "logout", "set_language", "elder_mode"}
SAMPLE_ARGS = {
    "kind": "people",
    "pk": 1,
    "batch_id": 1,
    "field": "phone",
    "code": "640104000000",
    "person_pk": 1,
    "section": "orders",
    "what": "unfiled",
}


def walk(patterns, prefix=""):
    for item in patterns:
        if isinstance(item, URLResolver):
            yield from walk(item.url_patterns, prefix + str(item.pattern))
        elif isinstance(item, URLPattern):
            yield prefix + str(item.pattern), item


def all_patterns():
    return list(walk(get_resolver().url_patterns))


def concrete(route: str) -> str:
    for name, value in SAMPLE_ARGS.items():
        for marker in (f"<int:{name}>", f"<str:{name}>", f"<path:{name}>", f"<{name}>"):
            route = route.replace(marker, str(value))
    return "/" + route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")


def test_every_view_declares_its_scope():
    undeclared = [
        route for route, pattern in all_patterns() if getattr(pattern.callback, "laoxiao_scope", None) is None
    ]
    assert undeclared == []
    assert len(all_patterns()) > 20


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r, p in all_patterns() if p.name not in PUBLIC], ids=str)
def test_strangers_are_turned_away(route):
    url = concrete(route)
    assert "<" not in url, f"the walker cannot fill {route}; add its argument to SAMPLE_ARGS"
    response = Client().get(url)
    if url.endswith(("/docs", "/openapi.json")):
        assert response.status_code == 200, url  # the API's description holds no data
    elif url.startswith("/api/"):
        assert response.status_code in (401, 404, 405), url  # never data
    else:
        assert response.status_code == 302 and "/login/" in response["Location"], url


def undeclared_view(request):
    return HttpResponse("should never be served")


urlpatterns = [path("undeclared/", undeclared_view)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_view_without_a_scope_declaration_is_refused(xingqing_civil):
    client = Client()
    client.force_login(xingqing_civil)
    response = client.get("/undeclared/")
    assert response.status_code == 403
    assert b"should never be served" not in response.content
