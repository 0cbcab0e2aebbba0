"""Import of a 100k-row people CSV: validation, then validation plus the audited write; the baseline is
the same rows written raw into a table of text columns (COPY on PostgreSQL, one executemany on SQLite)."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import time

from common import add_load_option, conditions, database, headroom, setup_django


def make_csv(rows: int, villages: list[str]) -> bytes:
    from django.utils import timezone

    from laoxiao.core.identifiers import id_check_char
    from laoxiao.people.importing import COLUMNS

    rng = random.Random(3)
    today = timezone.localdate()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in COLUMNS])
    seen = set()
    while len(seen) < rows:
        birth = today - dt.timedelta(days=rng.randint(365 * 61, 365 * 95))
        village = rng.choice(villages)
        first17 = f"{village[:6]}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
        number = first17 + id_check_char(first17)
        if number in seen:
            continue
        seen.add(number)
        writer.writerow(
            [
                "测试" + str(len(seen)),
                number,
                f"139{rng.randint(0, 99_999_999):08d}",
                "测试地址",
                village,
                f"{38 + rng.random():.6f}",
                f"{106 + rng.random():.6f}",
                rng.choice(["", "独居", "低保、空巢"]),
                "",
            ]
        )
    return buffer.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rows", type=int, default=100_000)
    add_load_option(parser)
    args = parser.parse_args()
    with database(args.db, "import.sqlite3") as url:
        setup_django(url)
        from django.db import transaction

        from laoxiao.accounts.roles import Role
        from laoxiao.accounts.services import user_create
        from laoxiao.core.importing import import_batch_commit, import_batch_create
        from laoxiao.core.models import Area
        from laoxiao.core.services import areas_load
        from laoxiao.people.importing import PEOPLE_IMPORTER
        from laoxiao.people.models import Person

        areas_load(prefix="6401")
        user = user_create(
            username=f"bench-{time.time_ns()}",
            password="bench-password-1",
            role=Role.CIVIL_AFFAIRS,
            area=Area.objects.get(code="640100000000"),
        )
        villages = list(Area.objects.filter(level="village", code__startswith="6401").values_list("code", flat=True))
        content = make_csv(args.rows, villages)
        n = args.rows
        print(f"database: {args.db}; rows: {n}")
        runs = {}
        for condition, load in conditions(args):
            with transaction.atomic():
                Person.history.all().delete()
                Person.objects.all().delete()
            with load:
                raw = raw_write(content)
                started = time.perf_counter()
                batch = import_batch_create(by=user, importer=PEOPLE_IMPORTER, file_name="bench.csv", content=content)
                validate = time.perf_counter() - started
                assert batch.rows_invalid == 0, batch.errors[:3]
                started = time.perf_counter()
                batch = import_batch_commit(by=user, importer=PEOPLE_IMPORTER, batch=batch, valid_only=False)
                commit = time.perf_counter() - started
            assert Person.objects.count() == n
            runs[condition] = {"import step": [commit * 1000]}
            print(f"== {condition}")
            print(f"baseline: the rows written raw        {raw:7.2f} s  {n / raw:10,.0f} rows/s")
            print(f"upload: read + validate             {validate:7.2f} s  {n / validate:10,.0f} rows/s")
            print(f"import: validate again + write      {commit:7.2f} s  {n / commit:10,.0f} rows/s")
            print(f"ratio import time / raw write time: {commit / raw:.1f}")
            print(f"goal ≥ 5,000 rows/s on the import step: {'met' if n / commit >= 5000 else 'NOT met'}")
        headroom(runs)


def raw_write(content: bytes) -> float:
    """Seconds to parse the CSV and write its rows as they are into a scratch table, then drop it."""
    from django.db import connection, transaction

    started = time.perf_counter()
    rows = list(csv.reader(io.StringIO(content.decode())))
    header, body = rows[0], rows[1:]
    columns = ", ".join(f"c{i} text" for i in range(len(header)))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_raw_people ({columns})")
        if connection.vendor == "postgresql":
            with cursor.cursor.copy("COPY bench_raw_people FROM STDIN") as copy:
                for row in body:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO bench_raw_people VALUES ({', '.join(['%s'] * len(header))})", body)
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_raw_people")
    return elapsed


if __name__ == "__main__":
    main()
