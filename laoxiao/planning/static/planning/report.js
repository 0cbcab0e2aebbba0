// The report's charts: progress of each indicator toward its target, and of each major project (100 = done).
document.addEventListener("DOMContentLoaded", () => {
  if (typeof echarts === "undefined") return;
  const charts = JSON.parse(document.getElementById("report-charts").textContent);
  document.querySelectorAll("[data-chart]").forEach((el) => {
    const data = charts[el.dataset.chart] || [];
    if (!data.length) { el.remove(); return; }
    el.style.height = Math.max(160, data.length * 26 + 50) + "px";
    echarts.init(el).setOption({
      animation: false, tooltip: {}, grid: { left: 10, right: 40, top: 10, bottom: 30, containLabel: true },
      xAxis: { type: "value", max: (v) => Math.max(100, v.max), splitNumber: 4, axisLabel: { formatter: "{value}%", hideOverlap: true } },
      yAxis: { type: "category", inverse: true, data: data.map((d) => d[0]),
               axisLabel: { width: Math.min(160, el.clientWidth * 0.35), overflow: "truncate" } },
      series: [{ type: "bar", data: data.map((d) => d[1]), itemStyle: { color: "#b4232a" }, label: { show: true, position: "right", formatter: "{c}%" },
                 markLine: { data: [{ xAxis: 100 }], symbol: "none", label: { show: false } } }],
    });
  });
});
