from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laoxiao.core import areacode
from laoxiao.core.exporting import download, xlsx_chunks
from laoxiao.core.models import Area
from laoxiao.core.scope import AuthedRequest, scoped_view
from laoxiao.core.selectors import area_ancestors
from laoxiao.planning import maps, report, selectors, services
from laoxiao.planning.annex import plan_from_xlsx, plan_to_xlsx
from laoxiao.planning.forms import AreaTargetForm, PlanImportForm, ProjectUpdateForm, ReportedValueForm, TaskReportForm
from laoxiao.planning.models import Plan
from laoxiao.planning.progress import ACHIEVED, AT_RISK, NO_DATA, NO_TARGET, OFF_TRACK, ON_TRACK, period_ended
from laoxiao.web.forms import add_service_errors, simple_form

STATUS_LABELS = {
    ACHIEVED: gettext_lazy("achieved"),
    ON_TRACK: gettext_lazy("on track"),
    AT_RISK: gettext_lazy("at risk"),
    OFF_TRACK: gettext_lazy("off track"),
    NO_DATA: gettext_lazy("no data"),
    NO_TARGET: gettext_lazy("no target set"),
}


@scoped_view(permission="plan.view")
def plan_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "planning/list.html", {"plans": selectors.plan_list(user=request.user)})


@dataclass
class Standings:
    plan: Plan
    area: Area
    on: dt.date
    rows: list[selectors.Row]

    def context(self) -> dict[str, object]:
        return {
            "plan": self.plan,
            "area": self.area,
            "on": self.on,
            "rows": self.rows,
            "labels": STATUS_LABELS,
            "counts": Counter(r.standing.status for r in self.rows),
            "period_ended": period_ended(target_year=self.plan.target_year, on=self.on),
        }


def _standings(request: AuthedRequest, code: str) -> Standings:
    plan = selectors.plan_get(user=request.user, code=code)
    area = selectors.plan_area(user=request.user, plan=plan, code=request.GET.get("area"))
    on = timezone.localdate()
    return Standings(plan, area, on, selectors.plan_rows(user=request.user, plan=plan, area=area, on=on))


@scoped_view(permission="plan.view")
def plan_dashboard(request: AuthedRequest, code: str) -> HttpResponse:
    s = _standings(request, code)
    children, values = selectors.breakdown(user=request.user, area=s.area, rows=s.rows)
    snapshots = selectors.trends(user=request.user, plan=s.plan, area=s.area)
    trends = snapshots or selectors.planned_lines(plan=s.plan, rows=s.rows, on=s.on)
    computed = [r for r in s.rows if r.item.indicator.computed]
    ancestors = area_ancestors(user=request.user, area=s.area)
    grid = [
        (child, [values[r.item.pk].get(areacode.prefix(child.code, child.level)) for r in computed])
        for child in children
    ]
    return render(
        request,
        "planning/dashboard.html",
        {
            **s.context(),
            "ancestors": ancestors,
            "computed": computed,
            "grid": grid,
            "projects": [(p, selectors.project_behind(p, s.on)) for p in selectors.plan_projects(plan=s.plan)],
            "tasks": [
                (t, selectors.task_overdue(t, s.on), t.reported_by(request.user.role))
                for t in selectors.plan_tasks(plan=s.plan)
            ],
            "chart": [
                [r.item.name[:14], float(r.standing.progress)] for r in computed if r.standing.progress is not None
            ],
            "can_report": request.user.has_role_permission("plan.report"),
            "reportable": any(not r.item.indicator.computed for r in s.rows),
            # the plan's own office reports its projects and tasks; a district reads them
            "reports_progress": request.user.has_role_permission("plan.report")
            and any(a.code == s.plan.area_id for a in [s.area, *ancestors] if getattr(a, "in_scope", True)),
            "trends": trends,
            "snapshots": snapshots,
            "map": _map_data(request, s.area, computed, grid),
        },
    )


def _map_data(
    request: AuthedRequest, area: Area, computed: list[selectors.Row], grid: list[tuple[Area, list[Any]]]
) -> dict[str, object]:
    """The areas one level down with each computed indicator's value: shaded districts where boundaries
    are installed for them, else points at their facilities' mean position (over the area's own outline).
    A street or township (nothing below it is measured) shows its facilities instead."""
    if area.level == "township":
        return {
            "mode": "facilities",
            "boundaries": maps.boundary_file(area),
            "prefix": areacode.county(area.code),  # the county's outline, the nearest boundary there is
            "facilities": selectors.facility_points(user=request.user, area=area),
        }
    if not computed or not grid:
        return {}
    level = grid[0][0].level
    boundaries = maps.boundary_file(area)
    regions = level == "county" and boundaries is not None
    where = {} if regions else selectors.centroids(user=request.user, parent=area, level=level)
    areas = []
    for child, cells in grid:
        code = areacode.prefix(child.code, child.level)
        spot = where.get(code)
        if regions or spot:
            values = [None if m is None or m.value is None else float(m.value) for m in cells]
            areas.append({"code": code, "name": child.name, "at": spot, "values": values})
    return {
        "mode": "regions" if regions else "points",
        "boundaries": boundaries,
        "prefix": areacode.prefix(area.code, area.level),
        "indicators": [{"name": r.item.name, "unit": r.item.indicator.unit} for r in computed],
        "areas": areas,
    }


@scoped_view(permission="plan.view")
def plan_export(request: AuthedRequest, code: str) -> HttpResponseBase:
    s = _standings(request, code)
    rows = [
        [
            r.item.order,
            r.item.name,
            r.item.get_attribute_display(),
            r.item.indicator.unit,
            r.baseline_text,
            r.item.target_text,
            None if r.actual is None else float(r.actual),
            None if r.standing.progress is None else float(r.standing.progress),
            str(STATUS_LABELS[r.standing.status]),
            r.item.department,
        ]
        for r in s.rows
    ]
    headers = [
        _("no."),
        _("indicator"),
        _("attribute"),
        _("unit"),
        _("baseline"),
        _("target"),
        _("actual"),
        _("progress (%)"),
        _("status"),
        _("responsible department"),
    ]
    return download(xlsx_chunks(headers, rows, title="indicators"), f"{s.plan}-{s.area}.xlsx")


def _report(request: AuthedRequest, code: str) -> tuple[Standings, report.Report]:
    s = _standings(request, code)
    projects = [(p, selectors.project_behind(p, s.on)) for p in selectors.plan_projects(plan=s.plan)]
    tasks = [(t, selectors.task_overdue(t, s.on)) for t in selectors.plan_tasks(plan=s.plan)]
    labels = {key: str(label) for key, label in STATUS_LABELS.items()}
    return s, report.midterm_report(
        plan=s.plan, area=s.area, on=s.on, rows=s.rows, projects=projects, tasks=tasks, labels=labels
    )


@scoped_view(permission="plan.view")
def plan_report(request: AuthedRequest, code: str) -> HttpResponse:
    """The mid-term evaluation (中期评估; 总结评估 after the period): narrative, tables and charts, printed."""
    s, document = _report(request, code)
    projects = selectors.plan_projects(plan=s.plan)
    return render(
        request,
        "planning/report.html",
        {
            "plan": s.plan,
            "area": s.area,
            "report": document,
            "charts": {
                "progress": [
                    [r.item.name, float(r.standing.progress)] for r in s.rows if r.standing.progress is not None
                ],
                "projects": [[p.name, p.percent_done] for p in projects],
            },
        },
    )


@scoped_view(permission="plan.view")
def plan_report_docx(request: AuthedRequest, code: str) -> HttpResponse:
    """The same report as a Word document the bureau edits."""
    s, document = _report(request, code)
    response = HttpResponse(
        report.report_docx(document),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(document.title)}.docx"
    return response


@scoped_view(permission="plan.report")
def project_update(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, code=code)
    project = selectors.project_to_report(user=request.user, plan=plan, pk=pk)
    initial = {
        "percent_done": project.percent_done,
        "investment_done_wan": project.investment_done_wan,
        "milestone": project.milestone,
        "status": project.status,
    }
    return simple_form(
        request,
        ProjectUpdateForm(request.POST or None, initial=initial),
        lambda data: services.project_update(by=request.user, project=project, **data),
        title=_("Progress of %(name)s") % {"name": project.name},
        back=("planning:dashboard", plan.code),
    )


@scoped_view(permission="plan.report")
def task_report(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, code=code)
    task = selectors.task_to_report(user=request.user, plan=plan, pk=pk)
    initial = {"status": task.status, "report": task.last_report, "due": task.due}
    return simple_form(
        request,
        TaskReportForm(request.POST or None, initial=initial),
        lambda data: services.task_report(by=request.user, task=task, **data),
        title=_("Report on task %(n)d") % {"n": task.order},
        back=("planning:dashboard", plan.code),
    )


@scoped_view(permission="plan.report")
def reported_values(request: AuthedRequest, code: str) -> HttpResponse:
    """Enter a reported figure for an area in scope; a second user reviews it before it counts."""
    plan = selectors.plan_get(user=request.user, code=code)
    items = selectors.reportable_items(user=request.user, plan=plan)
    form = ReportedValueForm(request.POST or None, items=items, user=request.user)
    if request.method == "POST" and "review" in request.POST:
        value = get_object_or_404(selectors.reported_pending(user=request.user, plan=plan), pk=request.POST["review"])
        try:
            services.reported_value_review(by=request.user, value=value)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("planning:values", code=plan.code)
    if request.method == "POST" and form.is_valid():
        try:
            services.reported_value_enter(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved; it counts once another user has reviewed it."))
            return redirect("planning:values", code=plan.code)
    return render(
        request,
        "planning/values.html",
        {
            "plan": plan,
            "form": form if items.exists() else None,
            "pending": selectors.reported_pending(user=request.user, plan=plan),
        },
    )


@scoped_view(permission="plan.view")
def plan_annex_export(request: AuthedRequest, code: str) -> HttpResponseBase:
    plan = selectors.plan_get(user=request.user, code=code)
    return download(plan_to_xlsx(plan), f"{plan.name}-主要指标.xlsx")


@scoped_view(permission="plan.report")
def plan_import(request: AuthedRequest) -> HttpResponse:
    form = PlanImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        content = data.pop("file").read()
        try:
            plan = plan_from_xlsx(by=request.user, content=content, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("planning:dashboard", code=plan.code)
    return render(
        request,
        "web/simple_form.html",
        {"form": form, "title": _("Import a plan"), "back": ("planning:list", None), "multipart": True},
    )


@scoped_view(permission="plan.report")
def area_target(request: AuthedRequest, code: str) -> HttpResponse:
    """Set the viewed area's own target for one of the plan's indicators."""
    plan = selectors.plan_get(user=request.user, code=code)
    area = selectors.plan_area(user=request.user, plan=plan, code=request.GET.get("area"))
    form = AreaTargetForm(request.POST or None, items=plan.indicators.all(), initial={"year": plan.target_year})
    return simple_form(
        request,
        form,
        lambda data: services.area_target_set(by=request.user, area=area, **data),
        title=_("Own target of %(area)s") % {"area": area.name},
        back=("planning:dashboard", plan.code),
    )
