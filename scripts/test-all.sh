#!/usr/bin/env bash
# The whole suite: lint, types, then pytest on SQLite (with the browser tests) and on a throwaway
# PostgreSQL. Any part that cannot run fails the run; nothing is skipped silently.
# The two databases' runs go side by side, one core each (the machines have two): each is one process
# with its own temporary folder and database, and each line it prints is marked with its name.
set -euo pipefail
bin=.venv/bin
$bin/ruff check laoxiao tests bench
$bin/ruff format --check laoxiao tests bench
$bin/mypy laoxiao
DATABASE_URL=sqlite://:memory: DJANGO_SETTINGS_MODULE=laoxiao.settings_test $bin/laoxiao makemigrations --check --dry-run >/dev/null

work=$(mktemp -d /tmp/laoxiao-test.XXXXXX)
chmod 755 "$work"  # the PostgreSQL server runs as the postgres user, inside it
port=${LAOXIAO_TEST_PG_PORT:-54329}
trap 'scripts/pg-throwaway.sh stop "$work/pg"; rm -rf "$work"' EXIT
url=$(scripts/pg-throwaway.sh start "$work/pg" "$port")

marked() { sed -u "s/^/[$1] /"; }
echo "== SQLite (unit, API, views, browser) and PostgreSQL at $url (unit, API, views), side by side"
start=$(date +%s)
$bin/pytest -q --basetemp="$work/sqlite" 2>&1 | marked sqlite &
sqlite=$!
DATABASE_URL=$url LAOXIAO_REQUIRE_POSTGRES=1 $bin/pytest -q -m "not browser" --basetemp="$work/postgresql" 2>&1 \
  | marked postgresql &
postgresql=$!
status=0
wait $sqlite || status=1
wait $postgresql || status=1
echo "== both runs done in $(( $(date +%s) - start )) s: $([ $status = 0 ] && echo passed || echo FAILED)"
exit $status
