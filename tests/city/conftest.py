"""The tests that read the demo city: it is built once for this package (one small Yinchuan, the same
every time), each test runs in a savepoint of it, and it is rolled back when the package is done."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from laoxiao.demo.generator import Generator
from tests.rollback import rolled_back

TODAY = dt.date(2026, 11, 23)  # the day the demo city's story ends


@dataclass(frozen=True)
class DemoCity:
    counts: dict[str, int]  # what the generator reports it made
    built: dt.datetime  # when the build began: nothing it records is dated at or after it


@pytest.fixture(scope="package")
def demo_city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back():
        built = timezone.now()
        counts = Generator(city="yinchuan", scale=0.002, seed=1, today=TODAY, log=lambda _: None).run()
        yield DemoCity(counts=counts, built=built)


@pytest.fixture(autouse=True)
def _savepoint(demo_city, db):
    """Every test here in a savepoint of the city, whether or not it asks for `db`: without one, a test
    would write into the city for the tests after it (and pytest-django would run it after the others,
    outside the package, building the city twice)."""
