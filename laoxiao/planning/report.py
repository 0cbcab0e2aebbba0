"""The mid-term evaluation (中期评估), or the final one (总结评估) once the plan's period is over, as a
document a bureau edits: narrative sections whose sentences are generated from the figures, with their
tables. One structure, rendered twice: on the page (printed from the browser, with charts) and as .docx
(python-docx; the charts' figures go in as tables)."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from laoxiao.core.models import Area
from laoxiao.planning.models import MajorProject, Plan, Task
from laoxiao.planning.progress import (
    ACHIEVED,
    AT_RISK,
    NO_DATA,
    NO_TARGET,
    OFF_TRACK,
    ON_TRACK,
    elapsed_share,
    period_end,
    period_ended,
)
from laoxiao.planning.selectors import Row

LAGGING = (OFF_TRACK, AT_RISK)


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    nowrap: tuple[int, ...] = ()  # columns kept on one line on the page (a date does not break at its hyphens)


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None
    chart: str = ""  # the name of the chart the page draws for this section


@dataclass
class Report:
    title: str
    subtitle: str
    sections: list[Section]


def number(value: Decimal | float | int | None) -> str:
    """A figure as a report writes it: at most two decimals, no trailing zeros."""
    if value is None:
        return "—"
    text = f"{Decimal(str(value)).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def shown(value: Decimal | None, unit: str) -> str:
    """A value with its unit: 56.92%, 1.07个, 63个."""
    return "—" if value is None else f"{number(value)}{unit}"


def _target(row: Row) -> Decimal | None:
    return row.own_target if row.own_target is not None else row.item.target_value


def _target_text(row: Row) -> str:
    if row.own_target is not None:
        return shown(row.own_target, row.item.indicator.unit)
    return row.item.target_text or "—"


def _department(row: Row) -> str:
    return row.item.department or _("not specified")


def _indicator_sentence(row: Row, status_label: str) -> str:
    unit = row.item.indicator.unit
    s = row.standing
    values = {
        "name": row.item.name,
        "value": shown(row.actual, unit),
        "target": _target_text(row),
        "progress": number(s.progress),
        "expected": shown(s.expected, unit),
        "status": status_label,
    }
    if s.status == ACHIEVED:
        return _("%(name)s is %(value)s: the target of %(target)s is reached.") % values
    if s.status == ON_TRACK:
        return (
            _("%(name)s is %(value)s, %(progress)s%% of the way to %(target)s: on track (%(expected)s due by now).")
            % values
        )
    if s.status == NO_TARGET:
        return _("%(name)s is %(value)s; the plan sets no target for it.") % values
    return (
        _("%(name)s is %(value)s, %(progress)s%% of the way to %(target)s, below the %(expected)s due now: %(status)s.")
        % values
    )


def midterm_report(
    *,
    plan: Plan,
    area: Area,
    on: dt.date,
    rows: list[Row],
    projects: list[tuple[MajorProject, bool]],
    tasks: list[tuple[Task, bool]],
    labels: dict[str, str],
) -> Report:
    counts = Counter(r.standing.status for r in rows)
    lagging = sorted(
        (r for r in rows if r.standing.status in LAGGING),
        key=lambda r: (r.item.attribute != "binding", r.standing.status != OFF_TRACK, r.item.order),
    )
    missing = [r for r in rows if r.standing.status == NO_DATA]
    behind = [p for p, late in projects if late]
    overdue = [t for t, late in tasks if late]
    final = period_ended(target_year=plan.target_year, on=on)
    sections = [
        _overview(plan, area, on, rows, counts, labels, final=final),
        _by_indicator(rows, missing, labels),
        _problems(lagging, missing, behind, overdue),
        _projects(projects, labels),
        _tasks(tasks),
        _next_steps(plan, lagging, missing, behind, overdue, final=final),
    ]
    title = _("Final evaluation report of %(plan)s") if final else _("Mid-term evaluation report of %(plan)s")
    return Report(
        title=title % {"plan": plan.name},
        subtitle=_("%(area)s · as of %(date)s") % {"area": area.name, "date": f"{on:%Y-%m-%d}"},
        sections=sections,
    )


def _overview(
    plan: Plan, area: Area, on: dt.date, rows: list[Row], counts: Counter[str], labels: dict[str, str], *, final: bool
) -> Section:
    summary = _("; ").join(
        _("%(label)s %(n)d") % {"label": labels[key], "n": counts[key]} for key in labels if counts[key]
    )
    text = [
        _(
            "As of %(date)s, %(area)s is measured against the %(count)d indicators of %(plan)s "
            "(baseline year %(baseline)s, target year %(target)s): %(summary)s."
        )
        % {
            "date": f"{on:%Y-%m-%d}",
            "area": area.name,
            "count": len(rows),
            "plan": plan.source or plan.name,
            "baseline": plan.baseline_year or "—",
            "target": plan.target_year,
            "summary": summary,
        },
        _("The plan's period ended on %(end)s: this is its final evaluation, with the figures as of %(date)s.")
        % {"end": f"{period_end(plan.target_year):%Y-%m-%d}", "date": f"{on:%Y-%m-%d}"}
        if final
        else _("%(share)s%% of the plan's period has elapsed.")
        % {"share": number(elapsed_share(baseline_year=plan.baseline_year, target_year=plan.target_year, on=on) * 100)},
    ]
    binding = [r for r in rows if r.item.attribute == "binding"]
    if binding:
        text.append(
            _("Of the %(n)d binding indicators, %(achieved)d are achieved and %(off)d are off track.")
            % {
                "n": len(binding),
                "achieved": sum(r.standing.status == ACHIEVED for r in binding),
                "off": sum(r.standing.status == OFF_TRACK for r in binding),
            }
        )
    return Section(_("1. Overview"), text)


def _by_indicator(rows: list[Row], missing: list[Row], labels: dict[str, str]) -> Section:
    text = [_indicator_sentence(r, labels[r.standing.status]) for r in rows if r.standing.status != NO_DATA]
    if missing:
        text.append(_("No figure yet for: %(names)s.") % {"names": _(", ").join(r.item.name for r in missing)})
    table = Table(
        [
            _("no."),
            _("indicator"),
            _("attribute"),
            _("baseline"),
            _("target"),
            _("current value"),
            _("progress (%)"),
            _("status"),
            _("responsible department"),
        ],
        [
            [
                str(r.item.order),
                r.item.name,
                r.item.get_attribute_display(),
                r.baseline_text or "—",
                _target_text(r),
                shown(r.actual, r.item.indicator.unit),
                number(r.standing.progress),
                str(labels[r.standing.status]),
                _department(r),
            ]
            for r in rows
        ],
    )
    return Section(_("2. Progress by indicator"), text, table, chart="progress")


def _problems(lagging: list[Row], missing: list[Row], behind: list[MajorProject], overdue: list[Task]) -> Section:
    text = []
    for r in lagging:
        unit = r.item.indicator.unit
        gap = abs((r.standing.expected or Decimal(0)) - (r.actual or Decimal(0)))
        text.append(
            _(
                "%(name)s (%(attribute)s) is %(value)s, %(gap)s short of the %(expected)s expected by now; "
                "responsible: %(department)s."
            )
            % {
                "name": r.item.name,
                "attribute": r.item.get_attribute_display(),
                "value": shown(r.actual, unit),
                "gap": _("%(n)s percentage points") % {"n": number(gap)} if unit == "%" else shown(gap, unit),
                "expected": shown(r.standing.expected, unit),
                "department": _department(r),
            }
        )
    if behind:
        text.append(
            _("%(n)d major projects are behind their period: %(names)s.")
            % {"n": len(behind), "names": _(", ").join(p.name for p in behind)}
        )
    if overdue:
        text.append(
            _("%(n)d tasks are past their due date: %(names)s.")
            % {"n": len(overdue), "names": _(", ").join(t.task.rstrip("。") for t in overdue)}
        )
    if missing:
        text.append(
            _("%(n)d indicators have no figure yet; their departments are to report them.") % {"n": len(missing)}
        )
    if not text:
        text.append(_("No indicator, project or task is behind."))
    return Section(_("3. Problems"), text)


def _projects(projects: list[tuple[MajorProject, bool]], labels: dict[str, str]) -> Section:
    if not projects:
        return Section(_("4. Major projects"), [_("The plan lists no major project.")])
    items = [p for p, _late in projects]
    total = sum((p.investment_wan for p in items), Decimal(0))
    invested = sum((p.investment_done_wan for p in items), Decimal(0))
    status = Counter(p.status for p in items)
    text = [
        _(
            "%(n)d major projects, %(total)s 10k yuan in all: %(done)d completed, %(under_way)d under way, "
            "%(not_started)d not started; %(invested)s 10k yuan invested so far (%(share)s%% of the total)."
        )
        % {
            "n": len(items),
            "total": number(total),
            "done": status[MajorProject.Status.COMPLETED],
            "under_way": status[MajorProject.Status.UNDER_WAY],
            "not_started": status[MajorProject.Status.NOT_STARTED],
            "invested": number(invested),
            "share": number(invested / total * 100 if total else 0),
        }
    ]
    table = Table(
        [
            _("no."),
            _("project name"),
            _("type"),
            _("period"),
            _("place"),
            _("total investment (10k yuan)"),
            _("investment completed (10k yuan)"),
            _("progress (%)"),
            _("status"),
            _("latest milestone"),
        ],
        [
            [
                str(p.order),
                p.name,
                p.type,
                p.period,
                p.place,
                number(p.investment_wan),
                number(p.investment_done_wan),
                f"{p.percent_done}%",
                p.get_status_display() + (_(" (behind its period)") if late else ""),
                p.milestone or "—",
            ]
            for p, late in projects
        ],
    )
    return Section(_("4. Major projects"), text, table, chart="projects")


def _tasks(tasks: list[tuple[Task, bool]]) -> Section:
    if not tasks:
        return Section(_("5. Key tasks"), [_("The plan lists no task division.")])
    status = Counter(t.status for t, _late in tasks)
    text = [
        _("%(n)d tasks: %(done)d done, %(in_progress)d in progress, %(not_started)d not started; %(overdue)d overdue.")
        % {
            "n": len(tasks),
            "done": status[Task.Status.DONE],
            "in_progress": status[Task.Status.IN_PROGRESS],
            "not_started": status[Task.Status.NOT_STARTED],
            "overdue": sum(late for _t, late in tasks),
        }
    ]
    table = Table(
        [_("no."), _("task"), _("lead departments"), _("due"), _("status"), _("latest report")],
        [
            [
                str(t.order),
                t.task,
                "、".join(t.lead),
                f"{t.due:%Y-%m-%d}" if t.due else "—",
                t.get_status_display() + (_(" (overdue)") if late else ""),
                t.last_report or "—",
            ]
            for t, late in tasks
        ],
        nowrap=(3, 4),
    )
    return Section(_("5. Key tasks"), text, table)


def _next_steps(
    plan: Plan, lagging: list[Row], missing: list[Row], behind: list[MajorProject], overdue: list[Task], *, final: bool
) -> Section:
    # After the period a target can no longer be reached "by the end of" its year: the gap is to be closed.
    step = (
        _("%(department)s to close the gap on %(name)s, whose target of %(target)s was due by the end of %(year)d.")
        if final
        else _("%(department)s to speed up %(name)s so that it reaches %(target)s by the end of %(year)d.")
    )
    text = [
        step % {"department": _department(r), "name": r.item.name, "target": _target_text(r), "year": plan.target_year}
        for r in lagging
    ]
    text += [
        _("%(organiser)s to bring %(name)s back on schedule.") % {"organiser": p.organiser, "name": p.name}
        for p in behind
    ]
    text += [
        _("%(lead)s to complete the task: %(task)s") % {"lead": "、".join(t.lead), "task": t.task} for t in overdue
    ]
    if missing:
        text.append(
            _("The responsible departments to report the figures of: %(names)s.")
            % {"names": _(", ").join(r.item.name for r in missing)}
        )
    if not text:
        done = (
            _("Every indicator met its %(year)d target.")
            if final
            else _("Keep every indicator on course for the %(year)d targets.")
        )
        text.append(done % {"year": plan.target_year})
    return Section(_("6. Next steps"), text)


def report_docx(report: Report) -> bytes:
    """The report as a Word document: headings, paragraphs and bordered tables with a header row."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "SimSun", Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")  # Chinese text in the document's own font
    document.add_heading(report.title, level=0)
    document.add_paragraph(report.subtitle)
    for section in report.sections:
        document.add_heading(section.heading, level=1)
        for text in section.paragraphs:
            document.add_paragraph(text)
        if section.table:
            table = document.add_table(rows=1, cols=len(section.table.header), style="Table Grid")
            for cell, text in zip(table.rows[0].cells, section.table.header, strict=True):
                cell.text = text
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for values in section.table.rows:
                for cell, text in zip(table.add_row().cells, values, strict=True):
                    cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
