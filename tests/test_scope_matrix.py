"""The scope matrix on the demo city: every URL pattern (pages and API) that names a record, opened by
every demo account with records from inside and outside its scope (tests/scope_matrix.py). Any
out-of-scope 200 fails, and a new pattern must say which record it names: checked by construction."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser  # on the crawler's demo site, which is SQLite's

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def matrix(demo_site):
    env = demo_site.env | {"PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "tests.scope_matrix"], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_no_account_opens_a_record_outside_its_scope(matrix):
    assert matrix["leaks"] == []
    assert matrix["users"] >= 16 and matrix["requests"] > 3000


def test_every_pattern_naming_a_record_is_in_the_matrix(matrix):
    assert matrix["unknown"] == [], "say in tests/scope_matrix.py which record these name"


def test_the_matrix_opens_records_in_scope(matrix):
    """The check is not empty: the pages of each kind of record open for the accounts whose scope holds one."""
    opened = matrix["opened"]
    for route in (
        "people/<int:pk>/",
        "api/v1/people/<pk>",
        "facilities/<int:pk>/",
        "assessments/<int:pk>/",
        "homecare/orders/<int:pk>/",
        "benefits/batches/<int:pk>/",
        "alerts/<int:pk>/",
        "plans/<str:code>/tasks/<int:pk>/",
    ):
        assert opened[route] > 0, route
