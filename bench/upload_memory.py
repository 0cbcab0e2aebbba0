"""Peak memory of the server for one upload: a 50 MB people CSV and an xlsx "bomb" (a few MB that
unpacks to hundreds), each posted over HTTP to /people/import/ of a fresh `laoxiao runserver` (multipart
parsing, the view, validation, the sealed copy kept), beside the same server taking a one-row file (the
baseline). Goal: under 300 MB for the 50 MB upload."""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from common import BENCH_DIR, ROOT, add_load_option, conditions, headroom


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _peak_mb(pid: int) -> float:
    """VmHWM: the server's high-water mark of resident memory since it started."""
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def upload_to_a_fresh_server(path: Path, env: dict[str, str]) -> dict:
    """Starts `laoxiao runserver`, signs in, posts the file to /people/import/, reads the server's peak."""
    port = _free_port()
    laoxiao = str(Path(sys.executable).parent / "laoxiao")
    server = subprocess.Popen(
        [laoxiao, "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        for _ in range(100):
            try:
                login = opener.open(base + "/login/").read().decode()
                break
            except OSError:
                time.sleep(0.2)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": "bench-upload", "password": "bench-password-1"}
        ).encode()
        opener.open(urllib.request.Request(base + "/login/", data=form, headers={"Referer": base + "/login/"}))
        page = opener.open(base + "/people/import/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        before = _peak_mb(server.pid)
        boundary = "laoxiao-bench-boundary"
        body = b"".join(
            [
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'.encode(),
                f"{token}\r\n--{boundary}\r\n".encode(),
                f'Content-Disposition: form-data; name="file"; filename="{path.name}"\r\n'.encode(),
                b"Content-Type: application/octet-stream\r\n\r\n",
                path.read_bytes(),
                f"\r\n--{boundary}--\r\n".encode(),
            ]
        )
        request = urllib.request.Request(
            base + "/people/import/",
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": base + "/people/import/"},
        )
        started = time.perf_counter()
        answer = opener.open(request, timeout=3600)
        took = time.perf_counter() - started
        text = answer.read().decode()
        found = re.search(r"共 ([\d,]+) 行", text)
        refused = re.search(r'class="error"[^>]*>([^<]+)<', text)
        return {
            "peak_mb": _peak_mb(server.pid),
            "before_mb": before,
            "seconds": took,
            "status": answer.status,
            "rows": found.group(1) if found else "0",
            "refused": refused.group(1) if refused else "",
        }
    finally:
        server.terminate()
        server.wait()


def people_csv(megabytes: int, villages: list[str]) -> bytes:
    sys.path.insert(0, str(Path(__file__).parent))
    from people_import import make_csv

    limit = megabytes * 1024 * 1024
    per_row = len(make_csv(2000, villages)) / 2000
    content = make_csv(int(limit / per_row) + 1000, villages)
    return content[: content.rindex(b"\n", 0, limit) + 1]  # the largest file the upload limit takes


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--bomb-rows", type=int, default=150_000)
    add_load_option(parser)
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
    runs = {}
    for condition, load in conditions(args):
        print(f"== {condition}")
        with load:
            results = upload_each(files, env)
        runs[condition] = {
            f"{name}: {what}": [result[key]]
            for name, result in results.items()
            for what, key in (("seconds", "seconds"), ("peak MB", "peak_mb"))
        }
    headroom(runs)


def upload_each(files: dict[str, tuple[str, bytes]], env: dict[str, str]) -> dict[str, dict]:
    """Each file to a fresh server; prints its figures and the ratios to the one-row upload."""
    megabytes = next(name for name in files if name.endswith("MB CSV"))
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
        results[name] = result = upload_to_a_fresh_server(path, env)
        print(
            f"{name:<20} {len(content) / 1024 / 1024:6.1f} MB{extra}: peak {result['peak_mb']:6.0f} MB "
            f"(server before the request {result['before_mb']:.0f} MB), answered {result['status']} in "
            f"{result['seconds']:.1f} s, {result['rows']} rows checked {result['refused']}"
            f" [{time.perf_counter() - started:.0f} s with start-up]"
        )
        path.unlink()
    base = results["one row (baseline)"]["peak_mb"]
    big = results[megabytes]["peak_mb"]
    bomb = results["xlsx bomb"]["peak_mb"]
    print(f"ratio to the one-row upload: {megabytes} {big / base:.2f}x, xlsx bomb {bomb / base:.2f}x")
    print(f"goal: under 300 MB for the {megabytes} upload: {'met' if big < 300 else 'NOT met'}")
    return results


if __name__ == "__main__":
    main()
