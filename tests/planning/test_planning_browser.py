"""The Qianjiang plan in Chromium: open it, drill into a township, export xlsx, open the report."""

import io

import pytest
from openpyxl import load_workbook

from laoxiao.accounts.roles import Role
from laoxiao.core.models import Area
from laoxiao.core.services import areas_load
from laoxiao.facilities.models import Facility
from laoxiao.planning.services import plans_sync
from tests import factories
from tests.browser import sign_in

pytestmark = pytest.mark.browser

# The area names the map shows, each with its box on the canvas, and the pairs of boxes that overlap.
MAP_LABELS = """() => {
  const chart = echarts.getInstanceByDom(document.getElementById('chart-map'));
  const names = new Set(chart.getOption().series.flatMap((s) => s.data.map((d) => d.name)));
  const boxes = chart.getZr().storage.getDisplayList(true)
    .filter((e) => e.type === 'tspan' && !e.ignore && !e.invisible && names.has(e.style.text))
    .map((e) => {
      const r = e.getBoundingRect().clone();
      r.applyTransform(e.getComputedTransform());
      return [e.style.text, r];
    });
  const overlaps = [];
  boxes.forEach(([a, r], i) => boxes.slice(i + 1).forEach(([b, q]) => {
    if (r.intersect(q)) overlaps.push(a + '/' + b);
  }));
  return { shown: boxes.map(([name]) => name), overlaps };
}"""


def test_open_the_qianjiang_plan_drill_down_export_and_report(page, db):
    areas_load(prefix="500114")
    plans_sync()
    leader = factories.make_user(Role.LEADING_OFFICE, "500114000000")
    sign_in(page, leader)
    page.goto("/plans/")
    page.click("text=黔江区“一老一小”整体解决方案")
    assert page.locator("[data-test=indicators] tbody tr").count() == 39
    assert page.locator("[data-test=projects] tbody tr").count() == 16
    assert page.locator("[data-test=tasks] tbody tr").count() == 39
    township = Area.objects.filter(code__startswith="500114", level="township").order_by("code").first()
    page.click(f"[data-test=breakdown] a:text-is('{township.name}')")
    assert page.locator("[data-test=area]").inner_text() == township.name
    with page.expect_download() as download:
        page.click("[data-test=export]")
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert sheet.cell(2, 2).value == "基本养老保险参保率" and sheet.max_row == 40
    page.click("[data-test=report]")
    assert "总结评估报告" in page.locator("[data-test=plan-report]").inner_text()  # the plan ended with 2025


def test_yinchuan_map_shades_districts_from_local_files_and_marks_streets(page, live_server, db):
    from laoxiao.demo.generator import Generator

    Generator(city="yinchuan", scale=0.001, seed=1, today=None, log=lambda _: None).run()  # with a year of snapshots
    errors, elsewhere, requested = [], [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "request", lambda r: requested.append(r.url) or r.url.startswith(live_server.url) or elsewhere.append(r.url)
    )
    sign_in(page, factories.make_user(Role.LEADING_OFFICE, "640100000000"))
    page.goto("/plans/yinchuan-2023/")
    page.wait_for_selector("#chart-map[data-drawn=regions] canvas")
    page.wait_for_selector("#chart-trends canvas")
    page.wait_for_selector("#chart-progress canvas")
    page.select_option("#map-indicator", label="养老机构护理型床位占比")
    shaded = page.evaluate(
        "Object.fromEntries(echarts.getInstanceByDom(document.getElementById('chart-map'))"
        ".getOption().series[0].data.map((d) => [d.name, d.value]))"
    )
    headers = page.locator("[data-test=breakdown] thead th").all_inner_texts()
    assert "街道乡镇级综合性养老服务中心覆盖率" in headers  # whole names, never cut
    column = headers.index("养老机构护理型床位占比")
    row = page.locator("[data-test=breakdown] tbody tr", has_text="兴庆区")
    assert f"{shaded['兴庆区']:.2f}" == row.locator("td").nth(column).inner_text()
    assert set(shaded) == {"兴庆区", "西夏区", "金凤区", "永宁县", "贺兰县", "灵武市"}

    page.goto("/plans/yinchuan-2023/?area=640104000000")
    page.wait_for_selector("#chart-map[data-drawn=points] canvas")
    assert page.locator("[data-test=map-note]").inner_text().startswith("街道位置示意（无边界数据）")
    page.goto("/plans/yinchuan-2023/?area=640104001000")  # a street: nothing measured below it
    page.wait_for_selector("#chart-map[data-drawn=facilities] canvas")
    assert page.locator("[data-test=map-note]").inner_text().startswith("机构位置示意（无边界数据）")
    drawn = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('chart-map')).getOption().series"
        ".reduce((n, s) => n + s.data.length, 0)"
    )
    placed = Facility.objects.filter(area__code__startswith="640104001", latitude__isnull=False)
    assert drawn == placed.exclude(status__in=("closed", "planned")).count() > 0
    assert errors == [] and elsewhere == []
    assert any(url.endswith("/static/vendor/maps/640100.json") for url in requested)  # boundaries served locally

    page.set_viewport_size({"width": 390, "height": 844})
    # On a phone the names of the city core's districts and of a district's streets would cover each other:
    # only those with room are drawn.
    for url, mode in (("/plans/yinchuan-2023/", "regions"), ("/plans/yinchuan-2023/?area=640104000000", "points")):
        page.goto(url)
        page.wait_for_selector(f"#chart-map[data-drawn={mode}] canvas")
        labels = page.evaluate(MAP_LABELS)
        assert len(labels["shown"]) >= 3 and labels["overlaps"] == [], labels
    page.goto("/plans/yinchuan-2023/")
    # each indicator is a card on a phone: its department is on screen, beside its column's name
    table = page.locator("[data-test=indicators]")
    department = table.locator("tbody tr").first.locator("td[data-label=责任部门]")
    box = department.bounding_box()
    assert box and box["x"] + box["width"] <= 390 and department.inner_text().strip()
    assert page.locator(".planning").evaluate("(e) => e.getBoundingClientRect().right") <= 390
