"""Server time and query count of every page the role crawler reaches, on the full demo city.

Walks the pages as tests/crawler.py does (every URL pattern reachable from the start page, a few real
ids each) for a city-level and a district-level civil-affairs user, with Django's test client in
process: each page is opened once to warm it, then timed `--repeat` times. Prints p50/p95 over the
HTML pages, the slowest ten, and the ratio to the sign-in page (a template with no query) timed in the
same run; downloads (xlsx, csv, docx files), timed once, in a table of their own. Goal: every page p95 under 300 ms
and under 30 queries.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from common import ROOT, add_load_option, conditions, database, headroom, p95, setup_django, signed_in

HREF = re.compile(r'href="([^"#]+)')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--areas", default="640100000000,640104000000", help="a civil-affairs user for each area")
    add_load_option(parser)
    args = parser.parse_args()
    name = "city.sqlite3" if args.scale == 1.0 else f"city-{args.scale}.sqlite3"
    with database(args.db, name) as url:
        setup_django(url)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from laoxiao.people.models import Person

        sys.path.insert(0, str(Path(ROOT)))
        from tests.crawler import walk

        if not Person.objects.exists():
            started = time.perf_counter()
            call_command("demo-data", scale=args.scale, seed=1, verbosity=0)
            print(f"built the demo city (scale {args.scale}) in {time.perf_counter() - started:.0f} s")
        base = "http://testserver"

        cpu: dict[str, float] = {}  # path -> p95 CPU time of this process (SQLite's work included)

        def timed_get(client: Client, path: str) -> tuple[float, int, object, float]:
            connection.queries_log.clear()  # the log keeps 9,000 queries: a long export would hide later counts
            with CaptureQueriesContext(connection) as queries:
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(path)
                elapsed, cpu_time = time.perf_counter() - started, time.process_time() - cpu_started
            return elapsed, len(queries), response, cpu_time

        anonymous = Client()
        sign_in = [timed_get(anonymous, "/login/")[0] for _ in range(20)][5:]
        print(
            f"database: {args.db}; people: {Person.objects.count()}; baseline (sign-in page) p95 "
            f"{p95(sign_in) * 1000:.1f} ms"
        )

        def walk_as(code: str, seen: dict[str, list[float]]) -> None:
            """Every page the officer of `code` reaches, timed; each page's p95 (ms) into `seen`."""
            username = f"bench-civil-{code}"
            client = signed_in(username, code)
            pages: list[tuple[float, int, str]] = []
            downloads: list[tuple[float, int, str]] = []  # files (xlsx, csv, docx): outside the page goal

            def open_page(
                url: str, client: Client = client, pages: list = pages, downloads: list = downloads
            ) -> list[str]:
                path = url.removeprefix(base)
                first = timed_get(client, path)  # warms a page
                if "text/html" not in first[2].get("Content-Type", ""):
                    downloads.append((first[0], first[1], path))  # timed once: a long export repeated would own the run
                    return []
                samples = [timed_get(client, path) for _ in range(args.repeat)]
                pages.append((p95([s[0] for s in samples]), samples[-1][1], path))
                cpu[path] = p95([s[3] for s in samples])
                text = first[2].content.decode()
                return [base + h.replace("&amp;", "&") for h in HREF.findall(text) if h.startswith("/")]

            crawl = walk(base, username, open_page)
            seen.update({f"{username} {path}": [seconds * 1000] for seconds, _queries, path in pages})
            times = sorted(f[0] for f in pages)
            cpu_times = sorted(cpu[f[2]] for f in pages)
            print(f"\n{username}: {len(pages)} pages, {len(downloads)} downloads ({len(crawl.routes)} URL patterns)")
            print(
                f"  page server time p50 {times[len(times) // 2] * 1000:.0f} ms, p95 {p95(times) * 1000:.0f} ms, "
                f"max {times[-1] * 1000:.0f} ms; ratio p95 / sign-in page {p95(times) / p95(sign_in):.1f}"
            )
            # On a shared machine the wall time grows with the load; the CPU time (SQLite runs in process) less.
            print(
                f"  page CPU time p50 {cpu_times[len(cpu_times) // 2] * 1000:.0f} ms, "
                f"p95 {p95(cpu_times) * 1000:.0f} ms, max {cpu_times[-1] * 1000:.0f} ms"
            )
            over = [f for f in pages if f[0] > 0.3 or f[1] >= 30]
            print(f"  pages over 300 ms or with 30+ queries: {len(over)}")
            print("  slowest ten pages:")
            for seconds, queries, path in sorted(pages, reverse=True)[:10]:
                print(f"    {seconds * 1000:7.0f} ms (CPU {cpu[path] * 1000:4.0f} ms) {queries:4d} queries  {path}")
            most = sorted(pages, key=lambda f: f[1], reverse=True)[:5]
            print("  most queries: " + ", ".join(f"{q} {p}" for _, q, p in most))
            print("  downloads:")
            for seconds, queries, path in sorted(downloads, reverse=True):
                print(f"    {seconds * 1000:7.0f} ms {queries:4d} queries  {path}")

        runs = {}
        for condition, load in conditions(args):
            print(f"\n== {condition}")
            seen: dict[str, list[float]] = {}
            with load:
                for code in args.areas.split(","):
                    walk_as(code, seen)
            runs[condition] = seen
        if "under load" in runs:  # the pages both runs reached
            both = set(runs["quiet"]) & set(runs["under load"])
            headroom({condition: {k: v for k, v in run.items() if k in both} for condition, run in runs.items()})


if __name__ == "__main__":
    main()
