// Spending of the year by programme (approved and paid payments).
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("chart-spending");
  const data = JSON.parse(document.getElementById("spending-data").textContent);
  if (!el || typeof echarts === "undefined" || !data.length) return;
  echarts.init(el).setOption({
    tooltip: {}, grid: { left: 160, right: 30, top: 10, bottom: 30 },
    xAxis: { type: "value" }, yAxis: { type: "category", data: data.map((d) => d[0]) },
    series: [{ type: "bar", data: data.map((d) => d[1]), itemStyle: { color: "#b4232a" } }],
  });
});
