"""Plan monitoring on the Yinchuan demo: the dashboard, drill-down, export, report, targets and snapshots."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from laoxiao.accounts.roles import Role
from laoxiao.core.models import Area
from laoxiao.planning.models import IndicatorValue, Plan
from laoxiao.planning.selectors import plan_rows
from laoxiao.planning.services import indicators_snapshot
from tests import factories


@pytest.fixture
def yinchuan(demo_city, db):
    return Plan.objects.get(code="yinchuan-2023")


def test_yinchuan_dashboard_reads_the_2022_figures_and_drills_down(client, yinchuan):
    leader = factories.make_user(Role.LEADING_OFFICE, factories.CITY)
    client.force_login(leader)
    page = client.get("/plans/yinchuan-2023/").content.decode()
    assert "56.92%" in page and "1.07" in page
    assert "兴庆区" in page  # the by-area table
    county = client.get("/plans/yinchuan-2023/", {"area": "640104000000"}).content.decode()
    assert "凤凰北街街道" in county
    export = client.get("/plans/yinchuan-2023/export.xlsx")
    sheet = load_workbook(io.BytesIO(export.getvalue())).active
    values = {row[1]: row[6] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["养老机构护理型床位占比"] == pytest.approx(56.9246)
    assert "总结评估报告" in client.get("/plans/yinchuan-2023/report/").content.decode()  # the plan ended with 2025


def test_a_district_user_sees_the_city_plan_with_their_districts_figures(client, yinchuan):
    client.force_login(factories.make_user(Role.CIVIL_AFFAIRS, factories.XINGQING))
    page = client.get("/plans/yinchuan-2023/")
    assert page.status_code == 200 and "兴庆区" in page.content.decode()
    assert client.get("/plans/yinchuan-2023/", {"area": "640106000000"}).status_code == 404


def test_a_district_reads_the_citys_projects_and_tasks_but_reports_neither(client, yinchuan):
    from laoxiao.planning.models import MajorProject, Task

    project, task = MajorProject.objects.filter(plan=yinchuan).first(), Task.objects.filter(plan=yinchuan).first()
    client.force_login(factories.make_user(Role.CIVIL_AFFAIRS, factories.XINGQING))
    page = client.get("/plans/yinchuan-2023/").content.decode()
    assert project.name in page and f"/projects/{project.pk}/" not in page and f"/tasks/{task.pk}/" not in page
    sent = {"percent_done": 90, "investment_done_wan": 0, "status": "under_way"}
    assert client.post(f"/plans/yinchuan-2023/projects/{project.pk}/", sent).status_code == 404
    assert client.get(f"/plans/yinchuan-2023/tasks/{task.pk}/").status_code == 404
    assert MajorProject.objects.get(pk=project.pk).percent_done == project.percent_done
    client.force_login(factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY))
    assert f"/projects/{project.pk}/" in client.get("/plans/yinchuan-2023/").content.decode()
    assert client.get(f"/plans/yinchuan-2023/tasks/{task.pk}/").status_code == 200


def test_snapshot_stores_every_computed_indicator_for_every_area(yinchuan):
    stored = indicators_snapshot(on=dt.date(2026, 11, 1))
    that_day = IndicatorValue.objects.filter(on=dt.date(2026, 11, 1))
    areas = set(that_day.values_list("area_id", flat=True))
    assert {"640100000000", "640104000000", "640104001000"} <= areas
    assert stored == that_day.count()
    city = that_day.get(indicator__code="nursing_bed_share", area_id="640100000000")
    assert city.value == Decimal("56.9246")


def test_a_county_target_replaces_the_plans_for_that_county(yinchuan):
    from laoxiao.planning.services import area_target_set

    leader = factories.make_user(Role.LEADING_OFFICE, factories.CITY)
    item = yinchuan.indicators.get(indicator__code="childcare_places_per_1000")
    xingqing = Area.objects.get(code=factories.XINGQING)
    with pytest.raises(Exception):  # noqa: B017  (the plan's own area cannot set an "own" target)
        area_target_set(by=leader, item=item, area=yinchuan.area, year=2025, value=Decimal("5"))
    area_target_set(by=leader, item=item, area=xingqing, year=2025, value=Decimal("6"))
    row = next(
        r for r in plan_rows(user=leader, plan=yinchuan, area=xingqing, on=timezone.localdate()) if r.item.pk == item.pk
    )
    city_row = next(
        r
        for r in plan_rows(user=leader, plan=yinchuan, area=yinchuan.area, on=timezone.localdate())
        if r.item.pk == item.pk
    )
    assert row.own_target == Decimal("6") and city_row.own_target is None
    assert row.standing.expected != city_row.standing.expected


def test_own_target_form(client, yinchuan):
    client.force_login(factories.make_user(Role.LEADING_OFFICE, factories.CITY))
    item = yinchuan.indicators.get(indicator__code="childcare_places_per_1000")
    url = "/plans/yinchuan-2023/targets/?area=640104000000"
    outside = client.post(url, {"item": item.pk, "year": 2031, "value": "6"})  # outside the period
    assert "年度：应在规划期 2023 至 2025 年之间。" in outside.content.decode()
    own = client.post("/plans/yinchuan-2023/targets/?area=640100000000", {"item": item.pk, "year": 2025, "value": "6"})
    assert "所属区划：请选择银川市下辖的区域。" in own.content.decode()  # the plan's own area has the plan's target
    assert client.post(url, {"item": item.pk, "year": 2025, "value": "6"}).status_code == 302
    assert "本区域目标" in client.get("/plans/yinchuan-2023/?area=640104000000").content.decode()


def test_the_demo_dashboard_names_the_document_has_a_year_of_snapshots_projects_and_reports(client, yinchuan):
    city = IndicatorValue.objects.filter(area_id=factories.CITY, indicator__code="certified_rate")
    months = sorted(city.values_list("on", flat=True))
    assert len(months) == 12 and months[-1] < timezone.localdate().replace(day=1)
    projects = list(yinchuan.projects.all())
    assert len(projects) == 8 and all(p.history.count() == 2 for p in projects)  # added, then reported on
    assert sum(p.status == "completed" for p in projects) >= 2
    reported = yinchuan.tasks.exclude(last_report="")
    assert reported.count() == 10 and all(t.history.filter(last_report=t.last_report).exists() for t in reported)
    client.force_login(factories.make_user(Role.LEADING_OFFICE, factories.CITY))
    page = client.get("/plans/yinchuan-2023/").content.decode()
    assert "自动计算指标的月度快照。" in page and "特殊困难老年人居家适老化改造" in page
    assert "依据： 《银川市“一老一小”整体解决方案》（银川市人民政府，2023年）" in page
    assert "seeds/" not in page and ".txt" not in page and "indicators-snapshot" not in page
    nursing = page[page.index("养老机构护理型床位占比") :].split("</tr>")[0]
    assert "56.92%" in nursing and "未设目标" in nursing and "暂无数据" not in nursing and "市民政局" in nursing
    IndicatorValue.objects.all().delete()  # no snapshot: the trend chart shows the planned line instead
    page = client.get("/plans/yinchuan-2023/").content.decode()
    assert "尚无月度快照：每条线连接基期值、当前值和目标值。" in page


def test_the_mid_term_report_reads_as_a_report_and_downloads_as_docx(client, yinchuan):
    from docx import Document

    client.force_login(factories.make_user(Role.LEADING_OFFICE, factories.CITY))
    page = client.get("/plans/yinchuan-2023/report/").content.decode()
    headings = [
        "一、总体情况",
        "二、分指标进展",
        "三、存在的问题",
        "四、重大项目进展",
        "五、重点任务推进",
        "六、下一步工作",
    ]
    assert all(h in page for h in headings)
    assert page.count("<table") == page.count("<thead>") == 3  # indicators, projects, tasks: each with a header
    assert "养老机构护理型床位占比当前为56.92%，规划未设目标值。" in page
    assert "特殊困难老年人居家适老化改造" in page and "构建监管体系。" in page
    response = client.get("/plans/yinchuan-2023/report.docx")
    assert response["Content-Type"].endswith("wordprocessingml.document")
    document = Document(io.BytesIO(response.content))
    titles = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert titles == ["银川市“一老一小”整体解决方案总结评估报告", *headings]  # its period ended with 2025
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert cells[0] == ["序号", "指标", "指标属性", "基期值", "目标值", "当前值", "进度（%）", "状态", "责任部门"]
    nursing = next(row for row in cells if row[1] == "养老机构护理型床位占比")
    assert nursing[5] == "56.92%" and nursing[7] == "未设目标"
    assert any(row[1] == "特殊困难老年人居家适老化改造" for row in cells)
    assert any("56.92%" in p.text for p in document.paragraphs)


def test_the_leading_office_starts_on_todays_plan_counts_that_match_its_dashboard(client, yinchuan):
    import re

    from tests.pages import start_page_items

    client.force_login(factories.make_user(Role.LEADING_OFFICE, factories.CITY))
    work = start_page_items(client.get("/").content.decode())
    behind, tasks, projects = (work[k] for k in ("落后于目标进度的规划指标", "已逾期的规划任务", "进度滞后的重大项目"))
    assert behind[1] == "/plans/yinchuan-2023/#indicators" and tasks[1] == "/plans/yinchuan-2023/#tasks"
    page = client.get("/plans/yinchuan-2023/").content.decode()
    tiles = dict(
        (label, int(n)) for n, label in re.findall(r'<span class="n status-\w+-text">(\d+)</span><span>([^<]+)', page)
    )
    assert behind[0] == tiles["存在风险"] + tiles["进度滞后"]
    tasks_table = page.split('id="tasks"')[1]
    assert tasks[0] == tasks_table.count('<tr class="alarm">') > 0
    projects_table = page.split('id="projects"')[1].split('id="tasks"')[0]
    assert projects[0] == projects_table.count('<tr class="alarm">')
    assert "无服务商接单的订单" in work and "有异常需核查的服务" in work
    # the health commission's: the rows behind whose responsible department is 市卫健委
    client.force_login(factories.make_user(Role.HEALTH_COMMISSION, factories.CITY))
    count, url = start_page_items(client.get("/").content.decode())["本部门负责、落后于目标进度的规划指标"]
    rows = page.split('data-test="indicators"')[1].split("</tbody>")[0].split("<tr")[2:]
    ours = [r for r in rows if "卫健委" in r.split("<td>")[-1]]
    behind_ours = [r for r in ours if "status-at_risk" in r or "status-off_track" in r]
    assert url == "/plans/yinchuan-2023/#indicators" and len(ours) == 3 and count == len(behind_ours)
