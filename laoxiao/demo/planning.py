"""The demo city's plan monitoring: a year of monthly indicator snapshots (stored by the snapshot code the
scheduler runs), and for Yinchuan the major projects and task reports of a plan under way.

The Yinchuan document (seed 000) lists its tasks (shipped in plans/yinchuan-2023.json) but its annex of
major projects is not in the text; the demo projects are of the kinds the document names (township
elderly-care centres, community childcare centres, the infant-care guidance centre, home adaptations for
elderly people in difficulty, 医养结合 in community health centres, lifts in old housing estates)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from laoxiao.core.models import Area
from laoxiao.core.scope import area_range_q
from laoxiao.demo.story import at, moment
from laoxiao.planning import services
from laoxiao.planning.models import MajorProject, Plan, Task

if TYPE_CHECKING:
    from laoxiao.demo.generator import Generator

SNAPSHOT_MONTHS = 12

# (name pattern, type, period, investment in 万元, new childcare places, new beds, organiser, share done by now)
YINCHUAN_PROJECTS = (
    ("{township}综合养老服务中心", "新建", "2023-2025", 860, 0, 40, "市民政局", 1.0),
    ("{township}综合养老服务中心", "改扩建", "2024-2026", 620, 0, 30, "市民政局", 0.95),
    ("{township}社区托育中心", "新建", "2023-2025", 480, 120, 0, "市卫健委", 1.0),
    ("{township}普惠托育服务中心", "改扩建", "2024-2026", 350, 90, 0, "市卫健委", 0.6),
    ("银川市婴幼儿照护服务指导中心（依托市妇幼保健院）", "新建", "2024-2026", 1500, 150, 0, "市卫健委", 0.97),
    ("特殊困难老年人居家适老化改造", "改造", "2023-2025", 1200, 0, 0, "市民政局", 1.0),
    ("{township}社区卫生服务中心医养结合改造", "改扩建", "2024-2025", 900, 0, 60, "市卫健委", 0.5),
    ("城镇老旧小区改造加装电梯", "改造", "2023-2026", 3000, 0, 0, "市住建局", 0.96),
)

# (task no., status, report, months until due counted from today; negative = past due)
YINCHUAN_TASK_REPORTS = (
    (
        1,
        Task.Status.DONE,
        "《银川市“十四五”养老服务体系发展规划》已印发，托育服务发展已纳入卫生健康事业发展规划。",
        -12,
    ),
    (2, Task.Status.IN_PROGRESS, "养老托育设施用地已纳入年度建设用地供应计划，闲置公租房移交工作推进中。", 6),
    (3, Task.Status.IN_PROGRESS, "本年度开展养老护理员、保育师培训，落实培训补贴。", 6),
    (4, Task.Status.IN_PROGRESS, "失能老年人家庭照护培训纳入政府购买服务目录，家庭养老床位持续建设。", 3),
    (6, Task.Status.IN_PROGRESS, "新建街道乡镇综合养老服务中心，覆盖率逐月提升；幼儿园开设托班持续推进。", 12),
    (7, Task.Status.IN_PROGRESS, "普惠养老托育专项行动已启动，首批普惠性机构完成认定。", -2),
    (8, Task.Status.IN_PROGRESS, "困难老年人居家适老化改造和老旧小区加装电梯按年度计划实施。", 9),
    (9, Task.Status.IN_PROGRESS, "养老机构与医疗卫生机构签约合作持续扩大，社区卫生服务中心医养结合改造推进中。", 6),
    (12, Task.Status.IN_PROGRESS, "“双随机一公开”检查已覆盖大部分养老托育机构，四级联动监管网络基本建成。", -1),
    (15, Task.Status.DONE, "养老托育政务服务事项清单已公布，机构登记备案实现“最多跑一次”。", -6),
)


def _month_ends(today: dt.date, months: int) -> list[dt.date]:
    """The last day of each of the `months` whole months before today's, oldest first."""
    ends, day = [], today.replace(day=1)
    for _ in range(months):
        day -= dt.timedelta(days=1)
        ends.append(day)
        day = day.replace(day=1)
    return ends[::-1]


def build_planning(gen: Generator) -> None:
    plans = list(Plan.objects.filter(area_range_q("area_id", gen.plan["code_prefix"])).select_related("area"))
    for plan in plans:
        if plan.code != "yinchuan-2023":
            continue  # the 黔江 and 宿州 demos reproduce their annexes as of one date: no made-up monthly history
        for on in _month_ends(gen.today, SNAPSHOT_MONTHS):
            gen.counts["indicator_values"] += services.indicators_snapshot(on=on, plan=plan)
        _yinchuan_projects(gen, plan)
        _yinchuan_task_reports(gen, plan)


def _elapsed(period: str, today: dt.date) -> float:
    start, end = (int(y) for y in period.split("-"))
    whole = (dt.date(end, 12, 31) - dt.date(start, 1, 1)).days
    return min(1.0, max(0.0, (today - dt.date(start, 1, 1)).days / whole))


def _yinchuan_projects(gen: Generator, plan: Plan) -> None:
    townships = list(Area.objects.filter(area_range_q("code", "6401"), level=Area.Level.TOWNSHIP).order_by("code")[::7])
    for n, (pattern, kind, period, investment, places, beds, organiser, pace) in enumerate(YINCHUAN_PROJECTS):
        township = townships[n % len(townships)]
        with at(moment(dt.date(int(period[:4]), 3, 1), 10)):  # entered when the project began
            project = services.project_add(
                by=None,
                plan=plan,
                name=pattern.format(township=township.name),
                type=kind,
                period=period,
                place=township.name if "{township}" in pattern else "全市",
                scale=f"新增托位{places}个、床位{beds}张" if places or beds else "按年度计划实施",
                investment_wan=Decimal(investment),
                organiser=organiser,
                new_places=places,
                new_beds=beds,
            )
        jitter = gen.rng.randint(-3, 3) if pace < 1 else 0
        percent = max(0, min(100, round(_elapsed(period, gen.today) * pace * 100) + jitter))
        status = (
            MajorProject.Status.COMPLETED
            if percent >= 100
            else MajorProject.Status.UNDER_WAY
            if percent
            else MajorProject.Status.NOT_STARTED
        )
        milestone = "已竣工验收" if percent >= 100 else "主体工程施工" if percent >= 40 else "完成立项和设计"
        with at(moment(_month_ends(gen.today, 1)[0], 16)):  # progress reported at the end of last month
            services.project_update(
                by=None,
                project=project,
                percent_done=percent,
                investment_done_wan=(Decimal(investment) * percent / 100).quantize(Decimal("0.01")),
                milestone=milestone,
                status=status,
            )
        gen.counts["plan_projects"] += 1


def _yinchuan_task_reports(gen: Generator, plan: Plan) -> None:
    tasks = {t.order: t for t in plan.tasks.all()}
    for order, status, report, months in YINCHUAN_TASK_REPORTS:
        if order not in tasks:
            continue
        due = gen.today + dt.timedelta(days=30 * months)
        with at(moment(_month_ends(gen.today, 1)[0], 15)):  # reported with last month's progress
            services.task_report(by=None, task=tasks[order], status=status, report=report, due=due)
        gen.counts["plan_task_reports"] += 1
