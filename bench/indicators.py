"""Every computed indicator for every area of the Yinchuan demo (city, 6 counties, 62 townships) at
scale 1.0, and the plan dashboard page; with all 21 written by hand in SQL (bench/indicator_sql.py, which
tests/city/test_formulas_city.py holds equal to the formulas) as the baseline."""

from __future__ import annotations

import argparse
import time

from common import add_load_option, conditions, database, headroom, p95, setup_django, signed_in, summary, timed
from indicator_sql import HAND_SQL, parameters


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=5)
    add_load_option(parser)
    args = parser.parse_args()
    with database(args.db, "city.sqlite3") as url:
        setup_django(url)
        from django.core.management import call_command
        from django.db import connection
        from django.utils import timezone

        from laoxiao.accounts.roles import Role
        from laoxiao.core.models import Area
        from laoxiao.core.scope import system_area_scope
        from laoxiao.people.models import Person
        from laoxiao.planning.formulas import FORMULAS, measures
        from laoxiao.planning.services import plans_sync

        if not Person.objects.exists():
            started = time.perf_counter()
            call_command("demo-data", scale=1.0, seed=1, verbosity=0)
            print(f"built the full demo city in {time.perf_counter() - started:.0f} s")
        plans_sync()
        city = Area.objects.get(code="640100000000")
        on = timezone.localdate()
        levels = ("city", "county", "township")

        def together() -> None:  # as the monthly snapshot and the plan page do: every level from one set of queries
            for name in FORMULAS:
                measures(name, scope=system_area_scope(city), levels=levels, on=on)

        def in_sql() -> None:
            with connection.cursor() as cursor:
                for level in levels:
                    params = parameters(connection, root="6401", level=level, on=on)
                    for sql in HAND_SQL.values():
                        cursor.execute(sql, params)
                        cursor.fetchall()

        client = signed_in("bench-leader", city.code, Role.LEADING_OFFICE)
        print(
            f"database: {args.db}; people: {Person.objects.count()}; formulas: {len(FORMULAS)} × 3 levels "
            f"(1 city, 6 counties, 62 townships)"
        )
        runs = {}
        for condition, load in conditions(args):
            with load:
                figures = {
                    "every indicator, every area (all levels at once)": timed(together, repeat=args.repeat, warmup=1),
                    "the same in hand-written SQL, level by level": timed(in_sql, repeat=args.repeat, warmup=1),
                    "plan dashboard page (city user)": timed(
                        lambda: client.get("/plans/yinchuan-2023/"), repeat=20, warmup=3
                    ),
                }
            runs[condition] = figures
            print(f"== {condition}")
            for name, samples in figures.items():
                print(summary(name, samples))
            ours, sql = (
                figures["every indicator, every area (all levels at once)"],
                figures["the same in hand-written SQL, level by level"],
            )
            print(f"ratio formulas / hand SQL (p95): {p95(ours) / p95(sql):.2f}")
            print(
                f"goals: all indicators < 2 s: {'met' if p95(ours) < 2000 else 'NOT met'}; "
                f"≤ 3× hand SQL: {'met' if p95(ours) <= 3 * p95(sql) else 'NOT met'}; "
                f"dashboard < 300 ms: {'met' if p95(figures['plan dashboard page (city user)']) < 300 else 'NOT met'}"
            )
        headroom(runs)


if __name__ == "__main__":
    main()
