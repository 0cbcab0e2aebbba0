from __future__ import annotations

import os

import pytest
from django.utils import translation

from laoxiao.accounts.roles import Role
from tests import factories

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


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
