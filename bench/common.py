"""Shared set-up for the benchmarks: a database (SQLite file or throwaway PostgreSQL) and Django."""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"


@contextlib.contextmanager
def database(kind: str, sqlite_name: str) -> Iterator[str]:
    """Yields a DATABASE_URL: LAOXIAO_BENCH_DATABASE_URL when it is set (a server of your own, kept between
    runs), else a SQLite file under var/bench/ or a fresh throwaway PostgreSQL, stopped afterwards, on
    LAOXIAO_BENCH_PG_PORT (54339 by default: two benches at once each need a port of their own)."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if given := os.environ.get("LAOXIAO_BENCH_DATABASE_URL"):
        yield given
        return
    if kind == "sqlite":
        yield f"sqlite:///{BENCH_DIR / sqlite_name}"
        return
    pg_dir = tempfile.mkdtemp(prefix="laoxiao-bench-pg.")
    script = str(ROOT / "scripts" / "pg-throwaway.sh")
    port = os.environ.get("LAOXIAO_BENCH_PG_PORT", "54339")
    url = subprocess.run([script, "start", pg_dir, port], check=True, capture_output=True, text=True).stdout.strip()
    try:
        yield url
    finally:
        subprocess.run([script, "stop", pg_dir], check=False)


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laoxiao.settings_test")  # fixed throwaway keys
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(fn: Callable[[], object], *, repeat: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def summary(name: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(len(ordered) * 0.95) - 1)]
    return f"{name:<46} p50 {statistics.median(ordered):8.1f} ms   p95 {p95:8.1f} ms   (n={len(ordered)})"


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(len(ordered) * 0.95) - 1)]


def add_load_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--under-load",
        action="store_true",
        help="measure again with a second process keeping one core busy, and print the ratio to the quiet run",
    )


def _spin() -> None:
    while True:
        pass


@contextlib.contextmanager
def cpu_load() -> Iterator[None]:
    """One process that keeps a core busy, as a bureau's shared server has a neighbour."""
    spinner = multiprocessing.get_context("fork").Process(target=_spin, daemon=True)
    spinner.start()
    try:
        time.sleep(0.5)  # let it take its core before anything is timed
        yield
    finally:
        spinner.terminate()
        spinner.join()


def conditions(args: argparse.Namespace) -> list[tuple[str, contextlib.AbstractContextManager[None]]]:
    """The quiet run, and with --under-load the loaded one after it."""
    runs: list[tuple[str, contextlib.AbstractContextManager[None]]] = [("quiet", contextlib.nullcontext())]
    if getattr(args, "under_load", False):
        runs.append(("under load", cpu_load()))
    return runs


def headroom(runs: dict[str, dict[str, list[float]]], *, shown: int = 12) -> None:
    """Each figure under load against the same figure quiet (p95), the largest ratios first: the goal is
    that none is worse than 3×."""
    if "under load" not in runs:
        return
    quiet, loaded = runs["quiet"], runs["under load"]
    ratios = sorted(((p95(loaded[name]) / p95(samples), name) for name, samples in quiet.items()), reverse=True)
    for ratio, name in ratios[:shown]:
        print(f"under load / quiet (p95) {ratio:5.2f}  {name}")
    if len(ratios) > shown:
        print(f"... and {len(ratios) - shown} more figures, none above {ratios[shown][0]:.2f}")
    over = [name for ratio, name in ratios if ratio > 3]
    print(
        f"headroom goal (no figure worse than 3× quiet under load): {'met' if not over else f'NOT met ({len(over)})'}"
    )


def signed_in(username: str, area: str, role: str = "civil_affairs") -> Any:
    """A test client signed in as the bench user `username` (made once, kept) of `role` in `area`."""
    from django.test import Client

    from laoxiao.accounts.models import User
    from laoxiao.accounts.services import user_create
    from laoxiao.core.models import Area

    user = User.objects.filter(username=username).first() or user_create(
        username=username, password="bench-password-1", role=role, area=Area.objects.get(code=area)
    )
    client = Client()
    client.force_login(user)
    return client
