"""The elderly list on the full demo city (≈390k elderly), warm, as the UI serves it: for a city-level and a
district-level civil-affairs user, the first page, every filter, every sort and a full name searched; each
against the same SQL statements the page ran, replayed on a bare cursor (the database's own share)."""

from __future__ import annotations

import argparse
import time

from common import add_load_option, conditions, database, headroom, p95, setup_django, signed_in, summary, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=20)
    add_load_option(parser)
    args = parser.parse_args()
    with database(args.db, "city.sqlite3") as url:
        setup_django(url)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from laoxiao.core.models import Area
        from laoxiao.people.models import ElderlyCategory, Person

        if not Person.objects.exists():
            started = time.perf_counter()
            call_command("demo-data", scale=1.0, seed=1, verbosity=0)
            print(f"built the full demo city in {time.perf_counter() - started:.0f} s")

        township = Area.objects.filter(level="township", code__startswith="640104").order_by("code").first()
        assert township is not None
        names = Person.objects.filter(elderly_profile__isnull=False).order_by("id").values_list("name", flat=True)
        name = names[1000]
        two = names.filter(name__regex=r"^..$")[1000]  # two characters hold no trigram: another path
        cases: dict[str, dict[str, str]] = {"first page": {}}
        cases |= {f"category {c}": {"category": c} for c in ElderlyCategory.values}
        cases |= {
            "aged 80+": {"advanced_age": "on"},
            "women": {"sex": "2"},
            "deceased": {"status": "deceased"},
            f"a township ({township.name})": {"area": township.code},
            f"full-name search ({name})": {"q": name},
            f"full-name search ({two})": {"q": two},
            "独居 in 兴庆区": {"category": "living_alone", "area": "640104000000"},
        }
        cases |= {f"sorted by {s}": {"sort": s} for s in ("-created", "name", "birth_date", "-birth_date")}
        users = {
            "city": signed_in("bench-city", "640100000000"),
            "district": signed_in("bench-district", "640104000000"),
        }
        print(f"database: {args.db}; people: {Person.objects.count()}; {len(cases)} lists × {len(users)} users")

        def statements(client: Client, params: dict[str, str]) -> list[str]:
            with CaptureQueriesContext(connection) as captured:
                assert client.get("/people/", {"kind": "elderly", **params}).status_code == 200
            return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]

        def replay(sqls: list[str]) -> None:
            with connection.cursor() as cursor:
                for sql in sqls:
                    cursor.execute(sql)
                    cursor.fetchall()

        runs = {}
        for condition, load in conditions(args):
            figures: dict[str, list[float]] = {}
            worst_ratio, missed = 0.0, []
            print(f"== {condition}")
            with load:
                for who, client in users.items():
                    for label, params in cases.items():
                        view = timed(
                            lambda c=client, p=params: c.get("/people/", {"kind": "elderly", **p}), repeat=args.repeat
                        )
                        sqls = statements(client, params)
                        sql = timed(lambda s=sqls: replay(s), repeat=args.repeat)
                        figures[f"{who}: {label}"] = view
                        ratio = p95(view) / p95(sql)
                        worst_ratio = max(worst_ratio, ratio)
                        if p95(view) >= 300:
                            missed.append(f"{who}: {label}")
                        print(f"{summary(f'{who}: {label}', view)}   SQL p95 {p95(sql):7.1f} ms   ratio {ratio:5.2f}")
            runs[condition] = figures
            print(
                f"slowest p95: {max(p95(f) for f in figures.values()):.1f} ms; "
                f"largest ratio to its SQL: {worst_ratio:.2f}"
            )
            print(f"goal p95 < 300 ms for every list: {'met' if not missed else 'NOT met: ' + ', '.join(missed)}")
        headroom(runs)


if __name__ == "__main__":
    main()
