"""First page of the elderly list on the full demo city (≈390k elderly), warm, as the UI serves it."""

from __future__ import annotations

import argparse
import time

from common import database, p95, setup_django, summary, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    with database(args.db, "city.sqlite3") as url:
        setup_django(url)
        from django.core.management import call_command
        from django.test import Client

        from laoxiao.accounts.models import User
        from laoxiao.accounts.roles import Role
        from laoxiao.accounts.services import user_create
        from laoxiao.core.models import Area
        from laoxiao.people.models import Person

        if not Person.objects.exists():
            started = time.perf_counter()
            call_command("demo-data", scale=1.0, seed=1, verbosity=0)
            print(f"built the full demo city in {time.perf_counter() - started:.0f} s")
        user = User.objects.filter(username="bench-city").first() or user_create(
            username="bench-city",
            password="bench-password-1",
            role=Role.CIVIL_AFFAIRS,
            area=Area.objects.get(code="640100000000"),
        )
        client = Client()
        client.force_login(user)
        total = Person.objects.count()
        print(f"database: {args.db}; people: {total}")

        def page() -> None:
            response = client.get("/people/", {"kind": "elderly"})
            assert response.status_code == 200

        def filtered() -> None:
            assert (
                client.get(
                    "/people/", {"kind": "elderly", "category": "living_alone", "area": "640104000000"}
                ).status_code
                == 200
            )

        name = Person.objects.filter(elderly_profile__isnull=False).order_by("id").values_list("name", flat=True)[1000]

        def searched() -> None:  # a full name typed into the search box
            assert client.get("/people/", {"kind": "elderly", "q": name}).status_code == 200

        def search_count() -> None:  # the search's own cost: counting the matches scans every name
            Person.objects.filter(name__contains=name).count()

        def baseline() -> None:  # the bare table: one count and 25 rows, no scope, no filter, no template
            Person.objects.count()
            list(Person.objects.order_by("-id")[:25])

        view = timed(page, repeat=args.repeat)
        narrowed = timed(filtered, repeat=args.repeat)
        found = timed(searched, repeat=args.repeat)
        bare = timed(baseline, repeat=args.repeat)
        counted = timed(search_count, repeat=args.repeat)
        print(summary("elderly list, first page (view + template)", view))
        print(summary("elderly list, 独居 in 兴庆区", narrowed))
        print(summary(f"elderly list, full-name search ({name})", found))
        print(summary("baseline: bare count + 25 rows", bare))
        print(summary("baseline: the name's matches counted in SQL", counted))
        print(f"ratio view p95 / baseline p95: {p95(view) / p95(bare):.2f}")
        print(f"ratio name search p95 / its count in SQL p95: {p95(found) / p95(counted):.2f}")
        for label, figures in (("first page", view), ("filtered", narrowed), ("name search", found)):
            print(f"goal p95 < 300 ms, {label}: {'met' if p95(figures) < 300 else 'NOT met'}")


if __name__ == "__main__":
    main()
