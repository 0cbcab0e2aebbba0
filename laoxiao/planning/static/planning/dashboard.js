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
// point at its facilities' mean position, over the outline of the area being viewed when there is one.
document.addEventListener("DOMContentLoaded", async () => {
  const el = document.getElementById("chart-map");
  const node = document.getElementById("map-data");
  const data = node && JSON.parse(node.textContent);
  if (!el || typeof echarts === "undefined" || !data || !data.areas) return;
  const key = "area-" + data.prefix;
  let outline = false;
  if (data.boundaries) {
    const geo = await (await fetch(data.boundaries)).json();
    const names = Object.fromEntries(data.areas.map((a) => [a.code, a.name]));
    geo.features = geo.features.filter((f) => (data.mode === "regions" ? f.id.startsWith(data.prefix) : f.id === data.prefix));
    geo.features.forEach((f) => { f.properties.name = names[f.id] || f.properties.name; });
    outline = geo.features.length > 0;
    if (outline) echarts.registerMap(key, geo);
  }
  const chart = echarts.init(el);
  const pick = document.getElementById("map-indicator");
  const draw = () => {
    const i = Number(pick ? pick.value : 0);
    const unit = data.indicators[i].unit;
    const known = data.areas.filter((a) => a.values[i] !== null);
    const values = known.map((a) => a.values[i]);
    const low = values.length ? Math.min(...values) : 0;
    const high = values.length ? Math.max(...values) : 1;
    const visualMap = { min: low, max: high > low ? high : low + 1, precision: 2, calculable: true, left: 0, bottom: 0,
                        itemHeight: 90, inRange: { color: ["#fde0dd", "#b4232a"] }, text: ["高", "低"] };
    const label = (p) => p.name + "：" + (p.value === undefined || Number.isNaN(p.value) ? "—" : p.value + unit);
    let option;
    if (data.mode === "regions") {
      option = { tooltip: { formatter: label }, visualMap,
        series: [{ type: "map", map: key, roam: false, label: { show: true, fontSize: 10 },
                   data: known.map((a) => ({ name: a.name, value: a.values[i], code: a.code })) }] };
    } else {
      const points = known.filter((a) => a.at).map((a) => ({ name: a.name, value: [a.at[0], a.at[1], a.values[i]], code: a.code }));
      const scatter = { type: "scatter", symbolSize: 16, data: points, encode: { value: 2 },
                        label: { show: true, formatter: (p) => p.name, position: "right", fontSize: 10 } };
      const tip = { formatter: (p) => p.name + "：" + p.value[2] + unit };
      // Streets lie in a district's built-up core: frame the points, not the whole outline.
      const lons = points.map((p) => p.value[0]), lats = points.map((p) => p.value[1]);
      const pad = Math.max(0.02, (Math.max(...lons) - Math.min(...lons)) * 0.15, (Math.max(...lats) - Math.min(...lats)) * 0.15);
      const frame = points.length ? [[Math.min(...lons) - pad, Math.max(...lats) + pad], [Math.max(...lons) + pad, Math.min(...lats) - pad]] : undefined;
      option = outline
        ? { tooltip: tip, visualMap: { ...visualMap, dimension: 2 },
            geo: { map: key, roam: false, boundingCoords: frame, itemStyle: { areaColor: "#f4f4f4" } },
            series: [{ ...scatter, coordinateSystem: "geo" }] }
        : { tooltip: tip, visualMap: { ...visualMap, dimension: 2 },
            xAxis: { type: "value", scale: true, show: false }, yAxis: { type: "value", scale: true, show: false }, series: [scatter] };
    }
    chart.setOption(option, true);
    el.dataset.drawn = data.mode;
  };
  if (pick) pick.addEventListener("change", draw);
  draw();
  window.addEventListener("resize", () => chart.resize());
});
