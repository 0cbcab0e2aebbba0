from __future__ import annotations

import os

import pytest
from django.utils import translation

from laoxiao.accounts.roles import Role
from laoxiao.assessments.services import assessment_request
from tests import factories
from tests.demo_site import demo_site_start, demo_site_stop

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def areas(db):
    factories.load_test_areas()


@pytest.fixture
def xingqing_civil(areas):
    return factories.make_user(Role.CIVIL_AFFAIRS, factories.XINGQING)


@pytest.fixture
def jinfeng_civil(areas):
    return factories.make_user(Role.CIVIL_AFFAIRS, factories.JINFENG)


@pytest.fixture
def city_civil(areas):
    return factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """The demo city as `make demo` builds it, served by a real server: built once for the session."""
    site = demo_site_start(tmp_path_factory.mktemp("demo-city"))
    yield site
    demo_site_stop(site)


@pytest.fixture(autouse=True, scope="session")
def _database_is_what_was_asked_for(django_db_setup, django_db_blocker):
    """`make test` sets LAOXIAO_REQUIRE_POSTGRES for its second run: fail rather than test SQLite twice."""
    from django.db import connection

    if os.environ.get("LAOXIAO_REQUIRE_POSTGRES") == "1":
        assert connection.vendor == "postgresql", "DATABASE_URL did not select PostgreSQL"


@pytest.fixture
def case(xingqing_civil):
    person = factories.make_person(by=xingqing_civil, age=82)
    worker = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    _agency, (first, second) = factories.make_agency_with_assessors(by=xingqing_civil)
    request = assessment_request(by=worker, person=person, reason="first", requester_kind="community")
    return person, request, first, second
