"""Import of assessments made elsewhere: the platform recomputes every total and level with the
instrument in force and reports where it differs from the level the file states."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from laoxiao.accounts.models import User
from laoxiao.assessments.instruments import GBT_42195, shipped_latest
from laoxiao.assessments.models import Assessment, Instrument
from laoxiao.assessments.policy import current_instrument
from laoxiao.assessments.scoring import Adjustments, Result, check_answers, items, score
from laoxiao.core import cleaning
from laoxiao.core.bulk import insert_with_history
from laoxiao.core.cleaning import FieldError
from laoxiao.core.identifiers import IdentifierError, parse_citizen_id
from laoxiao.core.importing import Importer
from laoxiao.core.rowindex import RowIndex
from laoxiao.core.tabular import Column
from laoxiao.core.transitions import status_changes_record
from laoxiao.core.writes import service
from laoxiao.people.selectors import person_ids_by_id_number

_DEFINITION = shipped_latest(GBT_42195)  # the columns follow the shipped form; scoring uses the current row
ITEM_COLUMNS = [
    Column(item["code"], f"{item['code']} {item['name']}", item["code"], required=True, example="4")
    for item in items(_DEFINITION)
]
COLUMNS = (
    Column("id_number", "公民身份号码", "id number", required=True, example="64010419490101002X"),
    Column("assessed_on", "评估日期", "assessment date", required=True, example="2025-06-30"),
    Column("reason", "评估原因", "reason", example="首次评估"),
    Column("dementia", "确诊痴呆或精神疾病", "dementia or psychiatric diagnosis", example="否"),
    Column("risk_events", "近30天照护风险事件次数", "care-risk events in 30 days", example="0"),
    Column("claimed_level", "原评定等级", "stated level", example="能力完好"),
    *ITEM_COLUMNS,
)


@dataclass
class Row:
    person_id: int
    answers: dict[str, str]
    assessed_on: dt.date
    reason: str
    dementia: bool
    risk_events: int
    claimed_level: int | None
    result: Result


def _date(value: str, today: dt.date) -> dt.date:
    try:
        parsed = dt.date.fromisoformat(value.replace("/", "-").strip())
    except ValueError:
        raise FieldError(_("Enter a date such as 2025-06-30.")) from None
    if parsed > today:
        raise FieldError(_("The assessment date is in the future."))
    return parsed


def _level(value: str, instrument: Instrument) -> int | None:
    names = {level["name"]: level["level"] for level in instrument.definition["levels"]}
    raw = value.strip()
    if not raw:
        return None
    if raw.isdigit() and int(raw) in names.values():
        return int(raw)
    if raw in names:
        return names[raw]
    raise FieldError(
        _("“%(value)s” is not a level of %(instrument)s.") % {"value": value, "instrument": instrument.code}
    )


def validate_rows(
    user: User, rows: list[tuple[int, dict[str, str]]], first_row_of: RowIndex | None = None
) -> tuple[list[tuple[int, Any]], dict[int, dict[str, str]]]:
    """One chunk of the file (`first_row_of` is unused: a file may assess one person twice)."""
    instrument = current_instrument()
    definition = instrument.definition
    today = timezone.localdate()
    reasons = cleaning.choice_lookup(Assessment.Reason)
    numbers: dict[int, str] = {}
    bad: dict[int, dict[str, str]] = {}
    for number, raw in rows:
        try:
            numbers[number] = parse_citizen_id(raw.get("id_number", "")).number
        except IdentifierError as exc:
            bad.setdefault(number, {})["id_number"] = str(exc)
    people = person_ids_by_id_number(user=user, numbers=numbers.values())
    valid = []
    for number, raw in rows:
        errors = bad.get(number, {})
        if number in numbers and numbers[number] not in people:
            errors["id_number"] = _("No registered person with this ID number is within your responsibility.")
        answers = {column.field: raw.get(column.field, "").strip() for column in ITEM_COLUMNS}
        errors.update(check_answers(definition, answers, complete=True))
        values: dict[str, Any] = {}
        for field, clean in (
            ("assessed_on", lambda v: _date(v, today)),
            ("reason", lambda v: cleaning.choice(v, reasons, required=False) or Assessment.Reason.OTHER),
            ("dementia", cleaning.boolean),
            ("risk_events", cleaning.count),
            ("claimed_level", lambda v: _level(v, instrument)),
        ):
            try:
                values[field] = clean(raw.get(field, ""))
            except FieldError as exc:
                errors[field] = str(exc)
        if errors:
            bad[number] = errors
            continue
        result = score(
            definition,
            answers,
            Adjustments(dementia_or_psychiatric=values["dementia"], risk_events_30_days=values["risk_events"]),
        )
        valid.append((number, Row(person_id=people[numbers[number]], answers=answers, result=result, **values)))
    return valid, bad


def notices(valid: list[tuple[int, Any]]) -> list[tuple[int, str, str]]:
    levels = {level["level"]: level["name"] for level in _DEFINITION["levels"]}
    found = []
    for number, row in valid:
        if row.claimed_level is not None and row.claimed_level != row.result.level:
            found.append(
                (
                    number,
                    "原评定等级",
                    _("The file states %(claimed)s; recomputed: total %(total)d, %(level)s.")
                    % {
                        "claimed": levels[row.claimed_level],
                        "total": row.result.total,
                        "level": levels.get(row.result.level, "—"),
                    },
                )
            )
    return found


@service
def write_rows(user: User, rows: list[Row]) -> int:
    instrument = current_instrument()
    months = instrument.definition["settings"]["reassess_months"]
    ids = insert_with_history(
        Assessment,
        [
            {
                "person_id": row.person_id,
                "instrument_id": instrument.pk,
                "reason": row.reason,
                "requester_kind": Assessment.Requester.IMPORT,
                "requested_by_id": user.pk,
                "answers": row.answers,
                "dementia_or_psychiatric": row.dementia,
                "risk_events": {"其他": row.risk_events},
                "total": row.result.total,
                "dimension_scores": row.result.dimension_scores,
                "preliminary_level": row.result.preliminary_level,
                "level": row.result.level,
                "level_reasons": row.result.reasons,
                "claimed_level": row.claimed_level,
                "assessed_on": row.assessed_on,
                "valid_until": row.assessed_on + relativedelta(months=months),
                "status": Assessment.Status.APPROVED,
                "reviewed_by_id": user.pk,
                "reviewed_at": timezone.now(),
                "review_note": _("imported"),
            }
            for row in rows
        ],
        user_id=user.pk,
    )
    status_changes_record(Assessment, ids, Assessment.Status.APPROVED, by=user, note=_("imported"))
    return len(ids)


ASSESSMENTS_IMPORTER = Importer(
    kind="assessments",
    permission="assessment.import",
    columns=COLUMNS,
    validate=validate_rows,
    write=write_rows,
    notices=notices,
)
