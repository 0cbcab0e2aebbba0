// Progress toward the target of each computed indicator, as bars (100 = target reached).
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("chart-progress");
  if (!el || typeof echarts === "undefined") return;
  const data = JSON.parse(document.getElementById("progress-data").textContent);
  echarts.init(el).setOption({
    tooltip: {}, grid: { left: 10, right: 30, top: 10, bottom: 30, containLabel: true },
    xAxis: { type: "value", max: (v) => Math.max(100, v.max) },
    yAxis: { type: "category", data: data.map((d) => d[0]), axisLabel: { width: Math.min(160, el.clientWidth * 0.35), overflow: "truncate" } },
    series: [{ type: "bar", data: data.map((d) => d[1]), itemStyle: { color: "#b4232a" },
               markLine: { data: [{ xAxis: 100 }], symbol: "none", label: { show: false } } }],
  });
});

// Trends: the monthly snapshots, or without them the line baseline → today → target; one line per indicator.
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("chart-trends");
  const series = JSON.parse(document.getElementById("trend-data").textContent);
  if (!el || typeof echarts === "undefined" || !Object.keys(series).length) return;
  echarts.init(el).setOption({
    tooltip: { trigger: "axis" }, legend: { type: "scroll", top: 0 }, grid: { left: 10, right: 20, top: 50, bottom: 10, containLabel: true },
    xAxis: { type: "time" }, yAxis: { type: "value" },
    series: Object.entries(series).map(([name, points]) => ({ name, type: "line", data: points })),
  });
});

// The map: districts shaded by the chosen indicator where boundaries are installed; otherwise each area as a
// point at its facilities' mean position, or at street level each facility, over the nearest outline there is.
document.addEventListener("DOMContentLoaded", async () => {
  const el = document.getElementById("chart-map");
  const node = document.getElementById("map-data");
  const data = node && JSON.parse(node.textContent);
  if (!el || typeof echarts === "undefined" || !data || !data.mode) return;
  const key = "area-" + data.prefix;
  const areas = data.areas || [];
  let outline = false;
  if (data.boundaries) {
    const geo = await (await fetch(data.boundaries)).json();
    const names = Object.fromEntries(areas.map((a) => [a.code, a.name]));
    geo.features = geo.features.filter((f) => (data.mode === "regions" ? f.id.startsWith(data.prefix) : f.id === data.prefix));
    geo.features.forEach((f) => { f.properties.name = names[f.id] || f.properties.name; });
    outline = geo.features.length > 0;
    if (outline) echarts.registerMap(key, geo);
  }
  const chart = echarts.init(el);
  // Points framed by their own extent (streets lie in a district's built-up core), over the outline if any.
  const pointsOption = (series, spots) => {
    const lons = spots.map((p) => p[0]), lats = spots.map((p) => p[1]);
    const pad = Math.max(0.02, (Math.max(...lons) - Math.min(...lons)) * 0.15, (Math.max(...lats) - Math.min(...lats)) * 0.15);
    const frame = spots.length ? [[Math.min(...lons) - pad, Math.max(...lats) + pad], [Math.max(...lons) + pad, Math.min(...lats) - pad]] : undefined;
    return outline
      ? { geo: { map: key, roam: false, boundingCoords: frame, top: 30, bottom: 50, itemStyle: { areaColor: "#f4f4f4" } },
          series: series.map((s) => ({ ...s, coordinateSystem: "geo" })) }
      : { xAxis: { type: "value", scale: true, show: false }, yAxis: { type: "value", scale: true, show: false }, series };
  };
  if (data.mode === "facilities") {
    const kinds = [...new Set(data.facilities.map((f) => f.kind))];
    const series = kinds.map((kind) => ({ name: kind, type: "scatter", symbolSize: 10,
      data: data.facilities.filter((f) => f.kind === kind).map((f) => ({ name: f.name, value: f.at })) }));
    chart.setOption({ tooltip: { formatter: (p) => p.seriesName + "：" + p.name }, legend: { type: "scroll", top: 0 },
                      ...pointsOption(series, data.facilities.map((f) => f.at)) });
    el.dataset.drawn = data.mode;
    return;
  }
  // Names are drawn only where they have room (a crowded city core, streets a few hundred metres apart);
  // a hidden one shows on hover and in the tooltip. A white halo keeps them legible on the darkest shade.
  const areaLabel = { show: true, fontSize: 11, color: "#222", textBorderColor: "#fff", textBorderWidth: 2 };
  const pick = document.getElementById("map-indicator");
  const draw = () => {
    const i = Number(pick ? pick.value : 0);
    const unit = data.indicators[i].unit;
    const known = areas.filter((a) => a.values[i] !== null);
    const values = known.map((a) => a.values[i]);
    const low = values.length ? Math.min(...values) : 0;
    const high = values.length ? Math.max(...values) : 1;
    // The colour scale lies under the map, so that it never covers an area on a phone.
    const visualMap = { min: low, max: high > low ? high : low + 1, precision: 2, calculable: true, orient: "horizontal",
                        left: "center", bottom: 0, itemHeight: 140, inRange: { color: ["#fde0dd", "#b4232a"] }, text: ["高", "低"] };
    let option;
    if (data.mode === "regions") {
      option = { tooltip: { formatter: (p) => p.name + "：" + (Number.isNaN(p.value) ? "—" : p.value + unit) }, visualMap,
        series: [{ type: "map", map: key, roam: false, top: 10, bottom: 50, label: areaLabel, labelLayout: { hideOverlap: true },
                   data: known.map((a) => ({ name: a.name, value: a.values[i], code: a.code })) }] };
    } else {
      const placed = known.filter((a) => a.at);
      const scatter = { type: "scatter", symbolSize: 16, encode: { value: 2 },
                        data: placed.map((a) => ({ name: a.name, value: [a.at[0], a.at[1], a.values[i]], code: a.code })),
                        label: { ...areaLabel, formatter: (p) => p.name, position: "right" }, labelLayout: { hideOverlap: true } };
      option = { tooltip: { formatter: (p) => p.name + "：" + p.value[2] + unit }, visualMap: { ...visualMap, dimension: 2 },
                 ...pointsOption([scatter], placed.map((a) => a.at)) };
    }
    chart.setOption(option, true);
    el.dataset.drawn = data.mode;
  };
  if (pick) pick.addEventListener("change", draw);
  draw();
});
window.addEventListener("resize", () => document.querySelectorAll(".chart").forEach((el) => {
  const chart = typeof echarts !== "undefined" && echarts.getInstanceByDom(el);
  if (chart) chart.resize();
}));
