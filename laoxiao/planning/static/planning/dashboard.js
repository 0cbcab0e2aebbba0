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
