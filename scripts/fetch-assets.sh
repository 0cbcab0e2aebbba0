#!/usr/bin/env bash
# Front-end assets come from packages at install time, never from a CDN at run time.
# htmx ships inside django-htmx; ECharts is taken from the npm registry's tarball.
set -euo pipefail
ECHARTS_VERSION=6.1.0
target=laoxiao/static/vendor
mkdir -p "$target"
if [ -f "$target/echarts.min.js" ] && grep -q "$ECHARTS_VERSION" "$target/.echarts-version" 2>/dev/null; then
  exit 0
fi
command -v npm >/dev/null || { echo "npm is needed to fetch ECharts (apt-get install npm)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "echarts@$ECHARTS_VERSION" >/dev/null)
tar -xzf "$work"/echarts-*.tgz -C "$work" package/dist/echarts.min.js package/LICENSE
cp "$work/package/dist/echarts.min.js" "$target/echarts.min.js"
cp "$work/package/LICENSE" "$target/echarts.LICENSE"
echo "$ECHARTS_VERSION" > "$target/.echarts-version"
