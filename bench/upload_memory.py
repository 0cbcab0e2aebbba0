"""Peak memory of the server process for one upload: a 50 MB people CSV and an xlsx "bomb" (a few MB
that unpacks to tens of MB), each posted to /people/import/ through Django's full request path
(multipart parsing, the view, validation) in a fresh process, beside the same process posting a
one-row file (the baseline). Goal: under 300 MB for the 50 MB upload."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import time
from pathlib import Path

from common import BENCH_DIR, ROOT

CHILD = r"""
import json, os, sys, time
sys.path.insert(0, os.environ["BENCH_ROOT"])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laoxiao.settings_test")
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from laoxiao.accounts.models import User
from laoxiao.core.models import ImportBatch
def peak_mb():
    # VmHWM starts afresh at exec; getrusage's ru_maxrss would count the forking parent's pages too.
    with open("/proc/self/status") as status:
        line = next(l for l in status if l.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024
path = sys.argv[1]
client = Client()
client.force_login(User.objects.get(username="bench-upload"))
before = peak_mb()
started = time.perf_counter()
with open(path, "rb") as handle:
    response = client.post("/people/import/", {"file": SimpleUploadedFile(os.path.basename(path), handle.read())})
took = time.perf_counter() - started
batch = ImportBatch.objects.order_by("-id").first()
page = response.content.decode()
print(json.dumps({
    "status": response.status_code,
    "peak_mb": peak_mb(),
    "before_mb": before,
    "seconds": took,
    "rows": batch.rows_total if batch and response.status_code == 302 else 0,
    "refused": "" if response.status_code == 302 else page[page.find('class="error'):][:200],
}))
"""


def people_csv(megabytes: int, villages: list[str]) -> bytes:
    sys.path.insert(0, str(Path(__file__).parent))
    from people_import import make_csv

    rows = int(megabytes * 1024 * 1024 / 118)  # about 118 bytes a row
    return make_csv(rows, villages)


def xlsx_bomb(rows: int) -> bytes:
    from openpyxl import Workbook

    from laoxiao.people.importing import COLUMNS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([c.header for c in COLUMNS])
    for n in range(rows):  # the same long text again and again compresses a hundredfold
        sheet.append(["名" * 40, f"x{n}", "", "址" * 200, "640104001001", "", "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(path: Path, env: dict[str, str]) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--bomb-rows", type=int, default=150_000)
    args = parser.parse_args()
    import os

    database = BENCH_DIR / "upload.sqlite3"
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for leftover in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):  # of an interrupted run
        leftover.unlink(missing_ok=True)
    env = os.environ | {"DATABASE_URL": f"sqlite:///{database}", "BENCH_ROOT": str(ROOT)}
    env.setdefault("DJANGO_SETTINGS_MODULE", "laoxiao.settings_test")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from laoxiao.accounts.roles import Role
    from laoxiao.accounts.services import user_create
    from laoxiao.core.models import Area
    from laoxiao.core.services import areas_load

    call_command("migrate", verbosity=0)
    areas_load(prefix="6401")
    user_create(
        username="bench-upload",
        password="bench-password-1",
        role=Role.CIVIL_AFFAIRS,
        area=Area.objects.get(code="640100000000"),
    )
    villages = list(Area.objects.filter(level="village").values_list("code", flat=True))

    big_csv = people_csv(args.megabytes, villages)
    files = {
        "one row (baseline)": ("one.csv", b"\n".join(big_csv.split(b"\n", 2)[:2]) + b"\n"),
        f"{args.megabytes} MB CSV": ("big.csv", big_csv),
        "xlsx bomb": ("bomb.xlsx", xlsx_bomb(args.bomb_rows)),
    }
    results = {}
    for name, (file_name, content) in files.items():
        path = BENCH_DIR / file_name
        path.write_bytes(content)
        extra = ""
        if file_name.endswith(".xlsx"):
            import zipfile

            unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(content)).infolist())
            extra = f", unpacks to {unpacked / 1024 / 1024:.0f} MB"
        started = time.perf_counter()
        results[name] = result = run(path, env)
        print(
            f"{name:<20} {len(content) / 1024 / 1024:6.1f} MB{extra}: peak {result['peak_mb']:6.0f} MB "
            f"(process before the request {result['before_mb']:.0f} MB), answered {result['status']} in "
            f"{result['seconds']:.1f} s, {result['rows']} rows checked {result['refused']}"
            f" [{time.perf_counter() - started:.0f} s with start-up]"
        )
        path.unlink()
    base = results["one row (baseline)"]["peak_mb"]
    big = results[f"{args.megabytes} MB CSV"]["peak_mb"]
    bomb = results["xlsx bomb"]["peak_mb"]
    print(f"ratio to the one-row upload: {args.megabytes} MB CSV {big / base:.2f}x, xlsx bomb {bomb / base:.2f}x")
    print(f"goal: under 300 MB for the {args.megabytes} MB upload: {'met' if big < 300 else 'NOT met'}")


if __name__ == "__main__":
    main()
