// Level distribution of approved assessments, by level name.
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("chart-levels");
  if (!el || typeof echarts === "undefined") return;
  const data = JSON.parse(document.getElementById("level-data").textContent);
  echarts.init(el).setOption({
    tooltip: {}, grid: { left: 50, right: 20, top: 20, bottom: 30 },
    xAxis: { type: "category", data: data.map((d) => String(d[0])) }, yAxis: { type: "value" },
    series: [{ type: "bar", data: data.map((d) => d[1]), itemStyle: { color: "#b4232a" } }],
  });
});
