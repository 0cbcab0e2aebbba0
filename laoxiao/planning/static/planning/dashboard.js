// Progress toward the target of each computed indicator, as bars (100 = target reached).
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("chart-progress");
  if (!el || typeof echarts === "undefined") return;
  const data = JSON.parse(document.getElementById("progress-data").textContent);
  echarts.init(el).setOption({
    tooltip: {}, grid: { left: 160, right: 30, top: 10, bottom: 30 },
    xAxis: { type: "value", max: (v) => Math.max(100, v.max) }, yAxis: { type: "category", data: data.map((d) => d[0]) },
    series: [{ type: "bar", data: data.map((d) => d[1]), itemStyle: { color: "#b4232a" },
               markLine: { data: [{ xAxis: 100 }], symbol: "none" } }],
  });
});

// Trends of stored snapshots, one line per computed indicator.
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("chart-trends");
  const series = JSON.parse(document.getElementById("trend-data").textContent);
  if (!el || typeof echarts === "undefined" || !Object.keys(series).length) return;
  echarts.init(el).setOption({
    tooltip: { trigger: "axis" }, legend: { type: "scroll" }, grid: { left: 50, right: 20, top: 40, bottom: 30 },
    xAxis: { type: "category" }, yAxis: { type: "value" },
    series: Object.entries(series).map(([name, points]) => ({ name, type: "line", data: points })),
  });
});

// A bubble map: areas at their facilities' mean position, shaded by the first computed indicator.
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("chart-map");
  const data = JSON.parse(document.getElementById("map-data").textContent);
  if (!el || typeof echarts === "undefined" || !data.points || !data.points.length) return;
  const values = data.points.map((p) => p[2]);
  echarts.init(el).setOption({
    tooltip: { formatter: (p) => p.data[3] + "：" + p.data[2] },
    xAxis: { type: "value", scale: true, name: "经度" }, yAxis: { type: "value", scale: true, name: "纬度" },
    visualMap: { min: Math.min(...values), max: Math.max(...values), dimension: 2, inRange: { color: ["#fde0dd", "#b4232a"] }, calculable: true },
    series: [{ type: "scatter", symbolSize: 22, data: data.points, label: { show: true, formatter: (p) => p.data[3], position: "top", fontSize: 10 } }],
  });
});
