"""The people export of the full demo city, as a city-level officer downloads it: seconds and peak Python
memory while the streamed xlsx is consumed chunk by chunk (as the server writes it out), against a
baseline in the same run: the same rows read from the database with no writer at all. For reference, the
same rows through openpyxl's write-only workbook, which the export used before."""

from __future__ import annotations

import argparse
import io
import time
import tracemalloc
from collections.abc import Callable

from common import add_load_option, conditions, database, headroom, setup_django


def measure(fn: Callable[[], int]) -> tuple[float, float, int]:
    """(seconds, peak MB traced in a second run, bytes or rows the first run produced)."""
    started = time.perf_counter()
    produced = fn()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return seconds, peak, produced


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--area", default="640181000000", help="the filter's area (灵武市: about 45,000 elderly)")
    add_load_option(parser)
    args = parser.parse_args()
    with database(args.db, "city.sqlite3") as url:
        setup_django(url)
        from django.core.management import call_command
        from django.test import Client
        from openpyxl import Workbook

        from laoxiao.accounts.models import User
        from laoxiao.accounts.roles import Role
        from laoxiao.accounts.services import user_create
        from laoxiao.core.models import Area
        from laoxiao.people import selectors
        from laoxiao.people.models import Person

        if not Person.objects.exists():
            call_command("demo-data", scale=1.0, seed=1, verbosity=0)
        user = User.objects.filter(username="bench-city").first() or user_create(
            username="bench-city",
            password="bench-password-1",
            role=Role.CIVIL_AFFAIRS,
            area=Area.objects.get(code="640100000000"),
        )
        client = Client()
        client.force_login(user)
        query = {"kind": "elderly", "area": args.area}
        filters = selectors.PersonFilter(kind="elderly", area=args.area[:6])

        def export() -> int:
            response = client.get("/people/export.xlsx", query)
            assert response.status_code == 200 and response.streaming
            return sum(len(chunk) for chunk in response.streaming_content)

        def baseline() -> int:
            queryset = selectors.person_list(user=user, filters=filters)
            fields = ("name", "id_number_masked", "sex", "birth_date", "phone_masked", "area_id", "address")
            return sum(1 for _ in queryset.prefetch_related(None).values_list(*fields).iterator(chunk_size=2000))

        def openpyxl_write_only() -> int:
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("people")
            for row in selectors.person_export(user=user, filters=filters)[1]:
                sheet.append(row)
            buffer = io.BytesIO()
            workbook.save(buffer)
            return len(buffer.getvalue())

        rows = baseline()
        print(f"database: {args.db}; people: {Person.objects.count()}; export rows ({query}): {rows}")
        runs = {}
        for condition, load in conditions(args):
            with load:
                seconds, peak, size = measure(export)
                base_seconds, base_peak, _ = measure(baseline)
                ref_seconds, ref_peak, _ = measure(openpyxl_write_only)
            runs[condition] = {"export": [seconds], "rows read, no writer": [base_seconds], "openpyxl": [ref_seconds]}
            print(f"== {condition}")
            print(f"people export, streamed xlsx ({size / 1e6:.1f} MB): {seconds:6.2f} s   peak {peak:6.1f} MB")
            print(f"baseline: the same rows read, no writer:   {base_seconds:6.2f} s   peak {base_peak:6.1f} MB")
            print(f"reference: the rows through openpyxl:      {ref_seconds:6.2f} s   peak {ref_peak:6.1f} MB")
            ratios = f"export / baseline {seconds / base_seconds:.2f}; openpyxl / export {ref_seconds / seconds:.2f}"
            print(f"ratios: {ratios}")
        headroom(runs)


if __name__ == "__main__":
    main()
