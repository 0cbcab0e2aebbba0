// The one bar chart of the overview, the assessment statistics and the spending report: every element
// with data-bar-chart="<id of a json_script of [label, value] pairs>" is drawn with the locally served
// ECharts; data-horizontal lays the bars along the x axis (long labels, such as programme names).
document.addEventListener("DOMContentLoaded", () => {
  if (typeof echarts === "undefined") return;
  document.querySelectorAll("[data-bar-chart]").forEach((el) => {
    const data = JSON.parse(document.getElementById(el.dataset.barChart).textContent);
    if (!data.length) return;
    const labels = { type: "category", data: data.map((d) => String(d[0])) };
    const horizontal = "horizontal" in el.dataset;
    const chart = echarts.init(el);
    chart.setOption({
      tooltip: {},
      grid: { left: 10, right: 30, top: 20, bottom: 30, containLabel: true },
      xAxis: horizontal ? { type: "value" } : labels,
      yAxis: horizontal ? labels : { type: "value" },
      series: [{ type: "bar", data: data.map((d) => d[1]), itemStyle: { color: "#b4232a" } }],
    });
    window.addEventListener("resize", () => chart.resize());
  });
});
