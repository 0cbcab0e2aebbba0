"""Wall time and peak memory of `laoxiao demo-data --scale 1.0` on a fresh SQLite database; the baseline
is the same rows copied by SQLite itself (INSERT … SELECT of every table into a fresh migrated database,
indexes and all), timed in the same run."""

from __future__ import annotations

import argparse
import os
import re
import resource
import sqlite3
import subprocess
import time

from common import BENCH_DIR, ROOT, add_load_option, conditions, headroom


def fresh(name: str, env: dict[str, str]) -> str:
    path = BENCH_DIR / name
    for suffix in ("", "-wal", "-shm"):
        (BENCH_DIR / f"{name}{suffix}").unlink(missing_ok=True)
    subprocess.run([str(ROOT / ".venv" / "bin" / "laoxiao"), "migrate", "-v0"], check=True, env=env | url(path))
    return str(path)


def url(path: object) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite:///{path}"}


def copy_rows(source: str, target: str) -> tuple[float, int]:
    """Seconds to copy every row of `source` into the empty tables of `target`, and how many rows."""
    db = sqlite3.connect(target)
    # the CHECK constraints call REGEXP, which Django gives its own connections
    db.create_function("REGEXP", 2, lambda pattern, value: value is not None and bool(re.search(pattern, str(value))))
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(f"ATTACH DATABASE '{source}' AS generated")
    tables = [
        t
        for (t,) in db.execute("SELECT name FROM generated.sqlite_master WHERE type = 'table'")
        if not t.startswith("sqlite_") and t != "django_migrations"
    ]
    rows = 0
    started = time.perf_counter()
    with db:
        for table in tables:
            db.execute(f'DELETE FROM main."{table}"')  # what the migrations themselves wrote
            rows += db.execute(f'INSERT INTO main."{table}" SELECT * FROM generated."{table}"').rowcount
    took = time.perf_counter() - started
    db.close()
    return took, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="1.0")
    add_load_option(parser)
    args = parser.parse_args()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "laoxiao.settings_test"}
    laoxiao = str(ROOT / ".venv" / "bin" / "laoxiao")
    runs = {}
    for condition, load in conditions(args):
        generated = fresh("generation.sqlite3", env)
        with load:
            started = time.perf_counter()
            subprocess.run(
                [laoxiao, "demo-data", "--scale", args.scale, "--seed", "1"],
                check=True,
                env=env | url(generated),
                stdout=subprocess.DEVNULL,
            )
            took = time.perf_counter() - started
            peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child so far
            copied, rows = copy_rows(generated, fresh("generation-copy.sqlite3", env))
        runs[condition] = {"generation": [took * 1000]}
        print(f"== {condition}")
        print(f"demo-data --scale {args.scale} on SQLite: {took:.1f} s, peak memory {peak_mb:.0f} MB")
        print(f"baseline: the same {rows:,} rows copied by INSERT … SELECT: {copied:.1f} s; ratio {took / copied:.1f}x")
        print(f"goal < 180 s: {'met' if took < 180 else 'NOT met'}")
        for name in ("generation.sqlite3", "generation-copy.sqlite3"):
            for suffix in ("", "-wal", "-shm"):
                (BENCH_DIR / f"{name}{suffix}").unlink(missing_ok=True)
    headroom(runs)


if __name__ == "__main__":
    main()
