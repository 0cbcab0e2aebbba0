"""Plan monitoring: the shipped plans as the documents state them, the dashboard on the Yinchuan demo,
drill-down, export, report and snapshots."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from laoxiao.accounts.roles import Role
from laoxiao.core.models import Area
from laoxiao.core.services import areas_load
from laoxiao.planning.models import IndicatorValue, Plan
from laoxiao.planning.selectors import plan_rows
from laoxiao.planning.services import indicators_snapshot, plans_sync
from tests import factories


@pytest.fixture
def qianjiang(db):
    areas_load(prefix="500114")
    plans_sync()
    return Plan.objects.get(code="qianjiang-2022")


def test_qianjiang_plan_is_the_documents_annexes(qianjiang):
    rows = {i.order: i for i in qianjiang.indicators.select_related("indicator")}
    assert len(rows) == 39 and qianjiang.projects.count() == 16 and qianjiang.tasks.count() == 39
    five = rows[5]
    assert (five.name, five.baseline_text, five.target_text, five.attribute, five.department) == (
        "养老机构护理型床位占比",
        "30%",
        "60%",
        "binding",
        "区民政局",
    )
    assert (rows[12].baseline_value, rows[12].target_value) == (Decimal("0.5"), Decimal("4"))
    assert (rows[29].baseline_text, rows[29].target_text) == ("", "≥1")
    assert rows[8].baseline_text == "50.48%" and rows[8].target_text == ">65%"
    assert sum(1 for r in rows.values() if r.attribute == "binding") == 10
    projects = {p.order: p for p in qianjiang.projects.all()}
    assert sum(p.investment_wan for p in projects.values()) == 23486
    assert (projects[14].investment_wan, projects[14].new_beds, projects[14].place) == (7592, 500, "舟白街道")
    assert (projects[1].new_places, projects[1].period) == (118, "2019-2021")
    task = qianjiang.tasks.get(order=7)
    assert (task.lead, task.support) == (["区住房城乡建委", "区民政局"], ["区城市管理局", "区规划自然资源局"])


def test_projects_tasks_and_reported_figures(client, qianjiang):
    from laoxiao.planning.models import MajorProject, Task

    office = factories.make_user(Role.LEADING_OFFICE, "500114000000")
    colleague = factories.make_user(Role.LEADING_OFFICE, "500114000000")
    client.force_login(office)
    project = MajorProject.objects.get(plan=qianjiang, order=14)
    bad = client.post(
        f"/plans/qianjiang-2022/projects/{project.pk}/",
        {"percent_done": 150, "investment_done_wan": 0, "status": "under_way"},
    )
    assert bad.status_code == 200 and MajorProject.objects.get(pk=project.pk).percent_done == 0
    client.post(
        f"/plans/qianjiang-2022/projects/{project.pk}/",
        {"percent_done": 40, "investment_done_wan": "3000", "milestone": "主体封顶", "status": "under_way"},
    )
    assert MajorProject.objects.get(pk=project.pk).percent_done == 40
    task = Task.objects.get(plan=qianjiang, order=7)
    client.post(
        f"/plans/qianjiang-2022/tasks/{task.pk}/",
        {"status": "in_progress", "report": "已完成200户改造", "due": "2024-12-31"},
    )
    assert "已逾期" in client.get("/plans/qianjiang-2022/").content.decode()

    pension = qianjiang.indicators.get(order=1)
    client.post(
        "/plans/qianjiang-2022/values/",
        {
            "item": pension.pk,
            "area": "500114000000",
            "on": "2025-06-30",
            "value": "96.5",
            "evidence": "区人力社保局年报",
        },
    )
    api = client.get("/api/v1/plans/qianjiang-2022/indicators")  # session auth is not enough for the API
    assert api.status_code == 401
    standings = plan_rows(user=office, plan=qianjiang, area=qianjiang.area, on=dt.date(2025, 12, 31))
    rows = {r.item.order: r for r in standings}
    assert rows[1].actual is None  # not reviewed yet: it does not count
    value = IndicatorValue.objects.get(indicator=pension.indicator)
    refused = client.post("/plans/qianjiang-2022/values/", {"review": value.pk}, follow=True)
    assert "审核" in refused.content.decode() and IndicatorValue.objects.get(pk=value.pk).reviewed_by is None
    client.force_login(colleague)
    client.post("/plans/qianjiang-2022/values/", {"review": value.pk})
    assert IndicatorValue.objects.get(pk=value.pk).reviewed_by == colleague


def test_plans_api(qianjiang):
    from django.test import Client

    from laoxiao.accounts.services import api_token_create

    _, key = api_token_create(user=factories.make_user(Role.LEADING_OFFICE, "500114000000"), name="x")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    assert [p["code"] for p in api.get("/api/v1/plans/").json()] == ["qianjiang-2022"]
    rows = api.get("/api/v1/plans/qianjiang-2022/indicators").json()
    assert len(rows) == 39 and rows[4]["target"] == "60%" and rows[4]["attribute"] == "binding"
    assert len(api.get("/api/v1/plans/qianjiang-2022/projects").json()) == 16
    assert api.get("/api/v1/plans/qianjiang-2022/tasks").json()[6]["lead"] == ["区住房城乡建委", "区民政局"]
    assert api.get("/api/v1/plans/yinchuan-2023/indicators").status_code == 404
    indicators_snapshot(on=dt.date(2026, 1, 31))
    values = api.get("/api/v1/plans/qianjiang-2022/values").json()
    assert values and all(v["area_id"] == "500114000000" and v["source"] == "computed" for v in values)


def test_a_plan_round_trips_through_the_annex_1_table(client, qianjiang):
    office = factories.make_user(Role.LEADING_OFFICE, "500114000000")
    client.force_login(office)
    annex = client.get("/plans/qianjiang-2022/annex.xlsx")
    content = annex.getvalue()
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]][:6] == ["序号", "指标名称", "2020年", "2025年", "指标属性", "责任部门"]
    assert [c.value for c in sheet[6]][:6] == [5, "养老机构护理型床位占比", "30%", "60%", "约束性", "区民政局"]
    upload = io.BytesIO(content)
    upload.name = "annex.xlsx"
    response = client.post(
        "/plans/import/",
        {
            "file": upload,
            "code": "qianjiang-copy",
            "name": "副本",
            "area": "500114000000",
            "baseline_year": 2020,
            "target_year": 2025,
        },
    )
    assert response.status_code == 302
    copy = Plan.objects.get(code="qianjiang-copy")
    original = [
        (i.order, i.name, i.baseline_text, i.target_text, i.attribute, i.department, i.indicator_id)
        for i in qianjiang.indicators.order_by("order")
    ]
    assert [
        (i.order, i.name, i.baseline_text, i.target_text, i.attribute, i.department, i.indicator_id)
        for i in copy.indicators.order_by("order")
    ] == original


def test_a_bad_annex_table_names_row_and_column_and_saves_nothing(client, qianjiang):
    from openpyxl import Workbook

    client.force_login(factories.make_user(Role.LEADING_OFFICE, "500114000000"))
    workbook = Workbook()
    workbook.active.append(["序号", "指标名称", "2020年", "2025年", "指标属性", "责任部门"])
    workbook.active.append([1, "托位数", "1", "4", "很重要", "区卫生健康委"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "bad.xlsx"
    response = client.post(
        "/plans/import/", {"file": buffer, "code": "bad", "name": "坏", "area": "500114000000", "target_year": 2025}
    )
    assert "第 2 行 指标属性" in response.content.decode()
    assert not Plan.objects.filter(code="bad").exists()


@pytest.fixture
def yinchuan_plan(db):
    """The Yinchuan plan on its areas alone (no registry): quick for what does not need figures."""
    areas_load(prefix="6401")
    plans_sync()
    return Plan.objects.get(code="yinchuan-2023")


def test_a_baseline_is_shown_only_for_the_area_it_was_set_for(client, yinchuan_plan):
    leader = factories.make_user(Role.LEADING_OFFICE, factories.CITY)
    client.force_login(leader)
    city = client.get("/plans/yinchuan-2023/").content.decode()
    assert "<td>1.07</td>" in city and 'data-test="baseline-note"' not in city
    street = client.get("/plans/yinchuan-2023/", {"area": factories.XINGQING_TOWNSHIP}).content.decode()
    assert "<td>1.07</td>" not in street and "<td>56.9%</td>" not in street
    assert "基期值是银川市的数值，不在下级地区显示。" in street
    township = Area.objects.get(code=factories.XINGQING_TOWNSHIP)
    rows = plan_rows(user=leader, plan=yinchuan_plan, area=township, on=timezone.localdate())
    assert all(r.baseline_text == "" for r in rows)


def test_an_older_install_gets_the_document_title_departments_and_tasks(yinchuan_plan):
    from laoxiao.planning.models import PlanIndicator, Task

    plan = yinchuan_plan
    Plan.objects.filter(pk=plan.pk).update(source="../shared/seeds/000_d47074968a3a39c7.txt (2022 baseline)")
    PlanIndicator.objects.filter(plan=plan).update(department="")
    PlanIndicator.objects.filter(plan=plan, order=7).update(department="银川市卫健委托育科")  # a local edit
    Task.objects.filter(plan=plan).delete()
    plans_sync()
    plan.refresh_from_db()
    assert plan.source == "《银川市“一老一小”整体解决方案》（银川市人民政府，2023年）"
    departments = dict(plan.indicators.values_list("order", "department"))
    assert departments[1] == "市卫健委" and departments[7] == "银川市卫健委托育科"
    task = plan.tasks.get(order=12)
    assert task.task == "构建监管体系。" and "市消防救援支队" in task.lead and task.support == ["各县（市）区人民政府"]
    assert plan.tasks.count() == 15


def test_the_evaluation_is_mid_term_within_the_period_and_final_after_it(client, yinchuan_plan):
    from laoxiao.planning.report import midterm_report

    area = Area.objects.get(code=factories.CITY)
    during = midterm_report(
        plan=yinchuan_plan, area=area, on=dt.date(2024, 6, 30), rows=[], projects=[], tasks=[], labels={}
    )
    assert during.title == "银川市“一老一小”整体解决方案中期评估报告"
    assert "规划期已过去49.91%。" in during.sections[0].paragraphs
    after = midterm_report(
        plan=yinchuan_plan, area=area, on=dt.date(2026, 3, 1), rows=[], projects=[], tasks=[], labels={}
    )
    assert after.title == "银川市“一老一小”整体解决方案总结评估报告"
    assert "规划期已于2025-12-31结束，本报告为总结评估，数据截至2026-03-01。" in after.sections[0].paragraphs
    assert after.sections[-1].paragraphs == ["各项指标均已完成2025年目标。"]
    client.force_login(factories.make_user(Role.LEADING_OFFICE, factories.CITY))
    dashboard = client.get("/plans/yinchuan-2023/").content.decode()  # today is after 2025
    assert "总结评估" in dashboard and "中期评估" not in dashboard
    page = client.get("/plans/yinchuan-2023/report/").content.decode()
    assert "总结评估报告" in page and "中期" not in page


def test_a_tasks_deadline_is_kept_and_shown_on_the_task_list_and_in_the_report(client, yinchuan_plan):
    from laoxiao.planning.models import Task

    client.force_login(factories.make_user(Role.LEADING_OFFICE, factories.CITY))
    task = yinchuan_plan.tasks.get(order=1)
    url = f"/plans/yinchuan-2023/tasks/{task.pk}/"
    client.post(url, {"status": "in_progress", "report": "已出台专项规划", "due": "2026-06-30"})
    # The date input shows what was saved (a browser's date field takes only 2026-06-30, never 2026/06/30),
    # so saving the form again keeps it.
    assert '<input type="date" name="due" value="2026-06-30"' in client.get(url).content.decode()
    dashboard = client.get("/plans/yinchuan-2023/").content.decode()
    assert "<th>完成时限</th>" in dashboard and '<td data-test="task-due">2026-06-30</td>' in dashboard
    report = client.get("/plans/yinchuan-2023/report/").content.decode()
    tasks = report.split("五、重点任务推进")[1]
    assert "<th>完成时限</th>" in tasks and '<td class="nowrap">2026-06-30</td>' in tasks
    client.post(url, {"status": "in_progress", "report": "已出台专项规划", "due": ""})  # cleared on purpose
    assert Task.objects.get(pk=task.pk).due is None


def test_reported_figures_take_the_area_from_the_picker_and_refuse_a_day_to_come(client, qianjiang):
    client.force_login(factories.make_user(Role.LEADING_OFFICE, "500114000000"))
    form = client.get("/plans/qianjiang-2022/values/").content.decode()
    assert '<input type="hidden" name="area"' in form and "区划代码" not in form
    pension = qianjiang.indicators.get(order=1)
    figure = {"item": pension.pk, "area": "", "value": "96.5", "evidence": "区人力社保局年报"}
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page = client.post("/plans/qianjiang-2022/values/", {**figure, "on": f"{tomorrow}"}).content.decode()
    assert "日期：填报的是已发生的数据，日期最晚为今天。" in page
    page = client.post("/plans/qianjiang-2022/values/", {**figure, "area": "640104000000", "on": "2025-06-30"})
    assert "不存在或不在您的辖区内" in page.content.decode()
    assert not IndicatorValue.objects.exists()
    client.post("/plans/qianjiang-2022/values/", {**figure, "on": "2025-06-30"})  # "all": the district itself
    assert IndicatorValue.objects.get().area_id == "500114000000"


def test_a_plan_import_takes_its_area_from_the_picker_and_refuses_a_baseline_year_to_come(client, qianjiang):
    client.force_login(factories.make_user(Role.LEADING_OFFICE, "500114000000"))
    assert '<input type="hidden" name="area"' in client.get("/plans/import/").content.decode()
    this_year = timezone.localdate().year
    for baseline, target, message in [
        (this_year + 1, this_year + 5, f"基期年份：最晚为 {this_year} 年。"),
        (2025, 2025, "目标年份：须晚于基期年份（2025 年）。"),
    ]:
        upload = io.BytesIO(client.get("/plans/qianjiang-2022/annex.xlsx").getvalue())
        upload.name = "annex.xlsx"
        fields = {"file": upload, "code": "later", "name": "后", "area": "", "baseline_year": baseline}
        page = client.post("/plans/import/", {**fields, "target_year": target}).content.decode()
        assert message in page
    assert not Plan.objects.filter(code="later").exists()


def test_a_plan_of_computed_indicators_offers_no_figure_reporting(client, yinchuan_plan):
    assert yinchuan_plan.indicators.exclude(indicator__formula="").exists()  # some are computed …
    assert not yinchuan_plan.indicators.filter(indicator__formula="").exists()  # … and none is reported
    client.force_login(factories.make_user(Role.HEALTH_COMMISSION, factories.CITY))
    assert "/plans/yinchuan-2023/values/" not in client.get("/plans/yinchuan-2023/").content.decode()
    page = client.get("/plans/yinchuan-2023/values/").content.decode()
    assert "全部指标均由系统根据各项登记数据自动计算" in page and 'name="item"' not in page
    areas_load(prefix="500114")
    plans_sync()
    client.force_login(factories.make_user(Role.LEADING_OFFICE, "500114000000"))
    assert "/plans/qianjiang-2022/values/" in client.get("/plans/qianjiang-2022/").content.decode()
    assert 'name="item"' in client.get("/plans/qianjiang-2022/values/").content.decode()


def test_a_task_is_reported_by_its_departments_and_the_leading_office(client, yinchuan_plan):
    from django.core.exceptions import ValidationError

    from laoxiao.planning.models import Task
    from laoxiao.planning.services import task_report

    land, care = (Task.objects.get(plan=yinchuan_plan, order=n) for n in (2, 1))  # 市自然资源局…; 市卫健委 among 1's
    health = factories.make_user(Role.HEALTH_COMMISSION, factories.CITY)
    client.force_login(health)
    page = client.get("/plans/yinchuan-2023/").content.decode()
    assert f"/tasks/{land.pk}/" not in page and f"/tasks/{care.pk}/" in page
    refused = client.post(f"/plans/yinchuan-2023/tasks/{land.pk}/", {"status": "done", "report": "已完成"})
    assert refused.status_code == 403 and "由规划中列明的牵头单位和配合单位填报" in refused.content.decode()
    with pytest.raises(ValidationError):
        task_report(by=health, task=land, status="done", report="已完成", due=None)
    land.refresh_from_db()
    assert (land.status, land.last_report) == ("not_started", "")
    assert not land.reported_by(Role.CIVIL_AFFAIRS)  # its 各县（市）区人民政府 is no 民政局
    client.force_login(factories.make_user(Role.LEADING_OFFICE, factories.CITY))  # coordinates every task
    assert (
        client.post(f"/plans/yinchuan-2023/tasks/{land.pk}/", {"status": "done", "report": "已完成"}).status_code == 302
    )
    land.refresh_from_db()
    assert land.status == "done"


def test_a_projects_progress_going_back_needs_a_reason(client, qianjiang):
    from laoxiao.planning.models import MajorProject

    project = MajorProject.objects.get(plan=qianjiang, order=14)
    client.force_login(factories.make_user(Role.LEADING_OFFICE, "500114000000"))
    url = f"/plans/qianjiang-2022/projects/{project.pk}/"
    client.post(url, {"percent_done": 60, "investment_done_wan": "210", "status": "under_way"})
    back = {"percent_done": 10, "investment_done_wan": "10", "status": "under_way"}
    page = client.post(url, back).content.decode()
    assert "数值减少原因：进度或已完成投资低于上次填报（60%，210.00 万元），请说明原因。" in page
    project.refresh_from_db()
    assert (project.percent_done, project.investment_done_wan) == (60, 210)
    assert client.post(url, {**back, "reason": "上次误填为全年计划数"}).status_code == 302
    project.refresh_from_db()
    assert project.percent_done == 10 and project.history.first().history_change_reason == "上次误填为全年计划数"


def test_the_plans_own_office_reports_progress_from_any_level_and_a_street_only_reads(client, qianjiang):
    from laoxiao.planning.models import MajorProject

    link = f"/plans/qianjiang-2022/projects/{MajorProject.objects.get(plan=qianjiang, order=14).pk}/"
    street = Area.objects.filter(code__startswith="500114", level="township").order_by("code").first()
    client.force_login(factories.make_user(Role.LEADING_OFFICE, "500114000000"))
    assert link in client.get("/plans/qianjiang-2022/").content.decode()
    assert link in client.get(f"/plans/qianjiang-2022/?area={street.code}").content.decode()
    client.force_login(factories.make_user(Role.LEADING_OFFICE, street.code))
    page = client.get("/plans/qianjiang-2022/")
    assert page.status_code == 200 and "重大项目" in page.content.decode() and link not in page.content.decode()
