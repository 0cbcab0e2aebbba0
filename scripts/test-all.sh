#!/usr/bin/env bash
# The whole suite: lint, types, then pytest on SQLite (with the browser tests) and on a throwaway
# PostgreSQL. Any part that cannot run fails the run; nothing is skipped silently.
set -euo pipefail
bin=.venv/bin
$bin/ruff check laoxiao tests bench
$bin/ruff format --check laoxiao tests bench
$bin/mypy laoxiao
DATABASE_URL=sqlite://:memory: DJANGO_SETTINGS_MODULE=laoxiao.settings_test $bin/laoxiao makemigrations --check --dry-run >/dev/null

echo "== SQLite (unit, API, views, browser)"
$bin/pytest -q

pgdir=$(mktemp -d /tmp/laoxiao-pg.XXXXXX)
port=${LAOXIAO_TEST_PG_PORT:-54329}
trap 'scripts/pg-throwaway.sh stop "$pgdir"; rm -rf "$pgdir"' EXIT
url=$(scripts/pg-throwaway.sh start "$pgdir" "$port")
echo "== PostgreSQL (unit, API, views) at $url"
DATABASE_URL=$url LAOXIAO_REQUIRE_POSTGRES=1 $bin/pytest -q -m "not browser"
