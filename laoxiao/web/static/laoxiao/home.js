// Overview chart: elderly residents per county, drawn with the locally served ECharts.
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("chart-county");
  const data = JSON.parse(document.getElementById("county-data").textContent);
  if (!el || typeof echarts === "undefined") return;
  const chart = echarts.init(el);
  chart.setOption({
    tooltip: {},
    grid: { left: 60, right: 20, top: 20, bottom: 40 },
    xAxis: { type: "category", data: data.map((d) => d[0]) },
    yAxis: { type: "value" },
    series: [{ type: "bar", data: data.map((d) => d[1]), itemStyle: { color: "#b4232a" } }],
  });
  window.addEventListener("resize", () => chart.resize());
});
