"""A transaction around many tests, as Django's TestCase opens one around a class (`setUpClass`): what is
built inside it is shared by the tests, each test runs in its own savepoint, and all of it is rolled back
at the end. Marked as the test case's own, so that a durable service inside it runs as it does in a test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction


@contextmanager
def rolled_back() -> Iterator[None]:
    block = transaction.atomic()
    block._from_testcase = True  # type: ignore[attr-defined]  # Django's own flag for TestCase's atomics
    with block:
        yield
        transaction.set_rollback(True)
