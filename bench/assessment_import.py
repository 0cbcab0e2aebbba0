"""Score and store 10,000 imported assessments (GB/T 42195-2022): validation, recomputation, write."""

from __future__ import annotations

import argparse
import csv
import io
import random
import time

from common import add_load_option, conditions, database, headroom, setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rows", type=int, default=10_000)
    add_load_option(parser)
    args = parser.parse_args()
    with database(args.db, "assessments.sqlite3") as url:
        setup_django(url)
        from django.core.management import call_command

        from laoxiao.assessments.importing import COLUMNS, ITEM_COLUMNS
        from laoxiao.assessments.services import current_instrument
        from laoxiao.core.personal import unsealed
        from laoxiao.people.models import Person

        if Person.objects.filter(elderly_profile__isnull=False).count() < args.rows:
            call_command("demo-data", scale=0.03, seed=2, verbosity=0)
        rng = random.Random(5)
        definition = current_instrument().definition
        people = list(Person.objects.filter(elderly_profile__isnull=False).order_by("id")[: args.rows])
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([c.header for c in COLUMNS])
        by_code = {i["code"]: i for d in definition["dimensions"] for i in d["items"]}
        for person in people:
            answers = {c.field: rng.choice(by_code[c.field]["options"])["code"] for c in ITEM_COLUMNS}
            writer.writerow(
                [
                    unsealed(person, "id_number"),
                    "2025-06-30",
                    "首次评估",
                    "否",
                    rng.choice([0, 0, 1, 2]),
                    "",
                    *answers.values(),
                ]
            )
        content = buffer.getvalue().encode()

        best = {code: max(item["options"], key=lambda o: o["points"])["code"] for code, item in by_code.items()}
        runs = {}
        for condition, load in conditions(args):
            print(f"== {condition}; database: {args.db}")
            with load:
                runs[condition] = import_once(content, definition, best, args.rows)
        headroom(runs)


def import_once(content: bytes, definition: dict, best: dict, n: int) -> dict[str, list[float]]:
    """Score `n` answers alone (the baseline), then upload and commit the file into an empty table."""
    from laoxiao.accounts.roles import Role
    from laoxiao.accounts.services import user_create
    from laoxiao.assessments.importing import ASSESSMENTS_IMPORTER
    from laoxiao.assessments.models import Assessment
    from laoxiao.assessments.scoring import Adjustments, score
    from laoxiao.core.importing import import_batch_commit, import_batch_create
    from laoxiao.core.models import Area

    Assessment.history.all().delete()
    Assessment.objects.all().delete()
    user = user_create(
        username=f"bench-{time.time_ns()}",
        password="bench-password-1",
        role=Role.CIVIL_AFFAIRS,
        area=Area.objects.get(code="640100000000"),
    )
    started = time.perf_counter()
    for _ in range(n):
        score(definition, best, Adjustments())
    scoring_only = time.perf_counter() - started

    started = time.perf_counter()
    batch = import_batch_create(by=user, importer=ASSESSMENTS_IMPORTER, file_name="bench.csv", content=content)
    upload = time.perf_counter() - started
    assert batch.rows_invalid == 0, batch.errors[:3]
    started = time.perf_counter()
    import_batch_commit(by=user, importer=ASSESSMENTS_IMPORTER, batch=batch, valid_only=False)
    commit = time.perf_counter() - started
    assert Assessment.objects.count() == n

    print(f"assessments: {n}")
    print(f"baseline: scoring alone                 {scoring_only:6.2f} s")
    print(f"upload: read + validate + score         {upload:6.2f} s  {n / upload:8,.0f} rows/s")
    print(f"import: validate + score again + store  {commit:6.2f} s  {n / commit:8,.0f} rows/s")
    print(f"goal: score and store {n} in under 10 s: {'met' if commit < 10 else 'NOT met'}")
    return {"scoring alone": [scoring_only], "upload": [upload], "import": [commit]}


if __name__ == "__main__":
    main()
