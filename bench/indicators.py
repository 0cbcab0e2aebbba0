"""Every computed indicator for every area of the Yinchuan demo (city, 6 counties, 62 townships) at
scale 1.0, and the plan dashboard page; with the same aggregates in hand-written SQL as the baseline."""

from __future__ import annotations

import argparse
import time

from common import database, p95, setup_django, summary, timed

HAND_SQL = {
    # nursing_bed_share: SUM(nursing) / SUM(beds) of care homes, grouped by code prefix
    "nursing_bed_share": """SELECT SUBSTR(area_id, 1, %s) p, 100.0 * SUM(beds_nursing) / SUM(beds_total)
        FROM facilities_facility WHERE kind = 'care_home' AND status NOT IN ('closed', 'planned')
        AND area_id BETWEEN '640100000000' AND '640199999999' GROUP BY p""",
    # tekun_disabled_centralised_rate: dependent tekun elderly housed in an institution ÷ all of them
    "tekun_disabled_centralised_rate": """SELECT SUBSTR(p.area_id, 1, %s) pre,
        100.0 * SUM(CASE WHEN p.facility_id IS NOT NULL THEN 1 ELSE 0 END) / COUNT(*)
        FROM people_person p JOIN people_elderlyprofile e ON e.person_id = p.id
        WHERE p.status = 'active' AND e.extreme_poverty AND (e.disabled OR e.ability_level >= 2)
        AND p.area_id BETWEEN '640100000000' AND '640199999999' GROUP BY pre""",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with database(args.db, "city.sqlite3") as url:
        setup_django(url)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        from laoxiao.accounts.models import User
        from laoxiao.accounts.roles import Role
        from laoxiao.accounts.services import user_create
        from laoxiao.core.models import Area
        from laoxiao.core.scope import system_area_scope
        from laoxiao.people.models import Person
        from laoxiao.planning.formulas import FORMULAS, measure
        from laoxiao.planning.services import plans_sync

        if not Person.objects.exists():
            started = time.perf_counter()
            call_command("demo-data", scale=1.0, seed=1, verbosity=0)
            print(f"built the full demo city in {time.perf_counter() - started:.0f} s")
        plans_sync()
        city = Area.objects.get(code="640100000000")
        on = timezone.localdate()
        levels = ("city", "county", "township")

        def everything() -> None:
            for name in FORMULAS:
                for level in levels:
                    measure(name, scope=system_area_scope(city), level=level, on=on)

        def same_in_orm() -> None:
            for name in HAND_SQL:
                for level in levels:
                    measure(name, scope=system_area_scope(city), level=level, on=on)

        def same_in_sql() -> None:
            with connection.cursor() as cursor:
                for sql in HAND_SQL.values():
                    for length in (4, 6, 9):
                        cursor.execute(sql, [length])
                        cursor.fetchall()

        all_times = timed(everything, repeat=args.repeat, warmup=1)
        orm = timed(same_in_orm, repeat=args.repeat, warmup=1)
        raw = timed(same_in_sql, repeat=args.repeat, warmup=1)
        user = User.objects.filter(username="bench-leader").first() or user_create(
            username="bench-leader", password="bench-password-1", role=Role.LEADING_OFFICE, area=city
        )
        client = Client()
        client.force_login(user)
        page = timed(lambda: client.get("/plans/yinchuan-2023/"), repeat=20, warmup=3)
        print(
            f"database: {args.db}; people: {Person.objects.count()}; formulas: {len(FORMULAS)} × 3 levels "
            f"(1 city, 6 counties, 62 townships)"
        )
        print(summary("every indicator, every area", all_times))
        print(summary("2 indicators through the formulas", orm))
        print(summary("the same 2 in hand-written SQL", raw))
        print(f"ratio formulas / hand SQL (p95): {p95(orm) / p95(raw):.2f}")
        print(summary("plan dashboard page (city user)", page))
        print(
            f"goals: all indicators < 2 s: {'met' if p95(all_times) < 2000 else 'NOT met'}; "
            f"dashboard < 300 ms: {'met' if p95(page) < 300 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
