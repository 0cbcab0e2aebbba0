"""Every write of the assessment workflow: request → assign → appointment → form → two signatures →
review → result, with objections, reassessments and imports. Every transition locks the assessment and
moves it along ASSESSMENT_FLOW (core/transitions.py), which checks the move and writes the timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laoxiao.accounts.models import User
from laoxiao.assessments import selectors
from laoxiao.assessments.instruments import shipped
from laoxiao.assessments.models import AgencyArea, Assessment, Assessor, Instrument
from laoxiao.assessments.policy import assignment_of, current_instrument, may_reassign
from laoxiao.assessments.scoring import Adjustments, check_answers, items, score
from laoxiao.assessments.selectors import ASSESSING
from laoxiao.core import areacode
from laoxiao.core.audit import set_actor
from laoxiao.core.models import Area
from laoxiao.core.scope import area_in_scope
from laoxiao.core.transitions import Workflow, status_change_record
from laoxiao.core.writes import service, writing
from laoxiao.facilities.models import Facility, FacilityKind
from laoxiao.people.models import Guardianship, Person
from laoxiao.people.rules import is_elderly

S = Assessment.Status
# A visit booked on the doorstep is entered a little after it began; anything older is a typing slip.
APPOINTMENT_GRACE = dt.timedelta(hours=1)
# Back to "assigned" from these is a change of assessors (before the form is signed).
REASSIGNABLE = (S.ASSIGNED, S.SCHEDULED, S.IN_PROGRESS, S.RETURNED)
ASSESSMENT_FLOW = Workflow(
    {
        S.REQUESTED: {S.ASSIGNED, S.CANCELLED},
        S.ASSIGNED: {S.ASSIGNED, S.SCHEDULED, S.IN_PROGRESS, S.CANCELLED},
        S.SCHEDULED: {S.ASSIGNED, S.IN_PROGRESS, S.SCHEDULED, S.CANCELLED},
        S.IN_PROGRESS: {S.ASSIGNED, S.SIGNED, S.CANCELLED},
        S.SIGNED: {S.APPROVED, S.RETURNED},
        S.RETURNED: {S.ASSIGNED, S.IN_PROGRESS, S.SIGNED, S.CANCELLED},
    }
)
# What the detail page offers in each status; each set follows the ASSESSMENT_FLOW moves the action makes.
ACTIONS: dict[str, set[str]] = {
    "assign": {S.REQUESTED},
    "reassign": set(REASSIGNABLE),
    "schedule": {S.ASSIGNED, S.SCHEDULED},
    "assess": set(ASSESSING),
    "review": {S.SIGNED},
    "object": {S.APPROVED},
}
OPEN = (S.REQUESTED, S.ASSIGNED, S.SCHEDULED, S.IN_PROGRESS, S.SIGNED, S.RETURNED)
RISK_EVENT_MAX_PER_TYPE = 3  # appendix A.2.14 records "3 times or more" as the top answer


def _save(assessment: Assessment, *, by: User | None) -> Assessment:
    set_actor(assessment, by)
    assessment.save()
    return assessment


@service
def instruments_sync() -> None:
    """Make sure every shipped instrument version is in the database, and each code has a current one."""
    for (code, version), definition in shipped().items():
        Instrument.objects.get_or_create(
            code=code, version=version, defaults={"name": definition["name"], "definition": definition}
        )
    for code in {code for code, _version in shipped()}:
        if not Instrument.objects.filter(code=code, is_current=True).exists():
            newest = Instrument.objects.filter(code=code).order_by("-version").first()
            Instrument.objects.filter(pk=newest.pk).update(is_current=True)  # type: ignore[union-attr]


def _check_settings(definition: dict[str, Any], settings: dict[str, Any]) -> dict[str, str]:
    errors = {}
    if set(settings) != set(definition["settings"]):
        return {"settings": _("Keep exactly the keys %(keys)s.") % {"keys": "、".join(sorted(definition["settings"]))}}
    months = settings.get("reassess_months")
    if not isinstance(months, int) or not 1 <= months <= 60:
        errors["reassess_months"] = _("The reassessment interval is 1 to 60 months.")
    if "raise_mode" in settings and settings["raise_mode"] not in ("single", "cumulative"):
        errors["raise_mode"] = _("raise_mode is “single” or “cumulative”.")
    if "risk_events_to_raise" in settings and settings["risk_events_to_raise"] not in (1, 2, 3):
        errors["risk_events_to_raise"] = _("risk_events_to_raise is 1, 2 or 3.")
    if "matrix" in settings:
        levels = {level["level"] for level in definition["levels"]}
        matrix = settings["matrix"]
        if not (
            isinstance(matrix, list)
            and len(matrix) == 4
            and all(isinstance(row, list) and len(row) == 4 and all(v in levels for v in row) for row in matrix)
        ):
            errors["matrix"] = _("The matrix is 4 rows of 4 levels (%(levels)s).") % {
                "levels": "、".join(str(v) for v in sorted(levels))
            }
    maxima = {
        d["code"]: sum(max(o["points"] for o in item["options"]) for item in d["items"])
        for d in definition["dimensions"]
    }
    for code, bands in dict(settings.get("grade_bands") or {}).items():
        try:
            spans = sorted((int(band["min"]), int(band["max"])) for band in bands)
        except (KeyError, TypeError, ValueError):
            spans = []
        ordered = all(low <= high for low, high in spans) and all(
            spans[n][1] < spans[n + 1][0] for n in range(len(spans) - 1)
        )
        if not spans or not ordered or spans[0][0] != 0 or spans[-1][1] != maxima.get(code):
            errors["grade_bands"] = _("The bands of %(code)s must run from 0 to its maximum without overlap.") % {
                "code": code
            }
    return errors


@service
def instrument_settings_update(*, by: User, instrument: Instrument, settings: dict[str, Any]) -> Instrument:
    """Changed settings make a new version, which becomes current; results made under the old one stay."""
    if errors := _check_settings(instrument.definition, settings):
        raise ValidationError(errors)
    latest = Instrument.objects.select_for_update().filter(code=instrument.code).order_by("-version").first()
    version = (latest.version if latest else instrument.version) + 1
    definition = {**instrument.definition, "version": version, "settings": settings}
    Instrument.objects.filter(code=instrument.code).update(is_current=False)
    return Instrument.objects.create(
        code=instrument.code, version=version, name=instrument.name, definition=definition, is_current=True
    )


@service
def assessment_request(
    *,
    by: User | None,
    person: Person,
    reason: str,
    requester_kind: str,
    trigger: str = "",
    objection_of: Assessment | None = None,
    instrument: Instrument | None = None,
) -> Assessment:
    """Open a request; one open assessment per person and instrument at a time."""
    if not is_elderly(person.birth_date, timezone.localdate()):
        raise ValidationError({"person": _("Capability assessment is for people aged 60 or over.")})
    if reason not in Assessment.Reason.values or requester_kind not in Assessment.Requester.values:
        raise ValidationError({"reason": _("Choose the reason and who asks for the assessment.")})
    instrument = instrument or current_instrument()
    Person.objects.select_for_update().filter(pk=person.pk).first()  # serialise requests for one person
    if Assessment.objects.filter(person=person, instrument__code=instrument.code, status__in=OPEN).exists():
        raise ValidationError({"person": _("This person already has an assessment in progress.")})
    assessment = Assessment(
        person=person,
        instrument=instrument,
        reason=reason,
        requester_kind=requester_kind,
        requested_by=by,
        trigger=trigger,
        objection_of=objection_of,
    )
    _save(assessment, by=by)
    status_change_record(assessment, "", S.REQUESTED, by=by, note=trigger)
    return assessment


def _related(person: Person, other_id: int | None) -> bool:
    """Same person, same household, or linked as guardian and ward (read fresh from the registry)."""
    if other_id is None:
        return False
    if person.pk == other_id:
        return True
    households = set(Person.objects.filter(pk__in=[person.pk, other_id]).values_list("household_id", flat=True))
    if len(households) == 1 and None not in households:
        return True
    pair = [person.pk, other_id]
    return Guardianship.objects.filter(infant_id__in=pair, guardian_id__in=pair).exists()


def _check_assessors(assessment: Assessment, assessor_1: Assessor, assessor_2: Assessor) -> None:
    """Two distinct assessors of one organisation, at least one professionally qualified, neither a
    relative of the person nor working where the person lives."""
    errors: dict[str, str] = {}
    if assessor_1.pk == assessor_2.pk:
        errors["assessor_2"] = _("Two different assessors are needed.")
    if assessor_1.organisation_id != assessor_2.organisation_id:
        errors["assessor_2"] = _("Both assessors must belong to the same assessment organisation.")
    if assessor_1.organisation.kind != FacilityKind.ASSESSMENT_AGENCY:
        errors["assessor_1"] = _("The assessor's organisation is not an assessment organisation.")
    if Assessor.Qualification.NONE == assessor_1.qualification == assessor_2.qualification:
        errors["assessor_1"] = _("At least one assessor needs a physician, nurse or assessor certificate.")
    person = assessment.person
    if not selectors.agency_serves(organisation_id=assessor_1.organisation_id, area_code=person.area_id):
        errors["assessor_1"] = _("%(organisation)s is not commissioned to assess people in %(area)s.") % {
            "organisation": assessor_1.organisation,
            "area": person.area.name,
        }
    for field, assessor in (("assessor_1", assessor_1), ("assessor_2", assessor_2)):
        if _related(person, assessor.person_id):
            errors[field] = _("%(name)s is a relative of the person and may not assess them.") % {"name": assessor}
        elif person.facility_id and assessor.employer_id == person.facility_id:
            errors[field] = _("%(name)s works at the institution where the person lives.") % {"name": assessor}
    if errors:
        raise ValidationError(errors)


def _name(user: User | None) -> str:
    return (user.first_name or user.username) if user else "—"


@service
def assessment_assign(*, by: User, assessment: Assessment, assessor_1: Assessor, assessor_2: Assessor) -> Assessment:
    """Assign two assessors (`_check_assessors`). Only a request is assigned, once: a second officer
    submitting from a stale page is told who assigned it."""
    _check_assessors(assessment, assessor_1, assessor_2)
    ASSESSMENT_FLOW.lock(assessment)  # one assignment at a time
    assessment.refresh_from_db()  # the caller's copy may be from a stale page
    if assessment.assessor_1_id:
        raise ValidationError(
            {
                "status": _("This assessment has already been assigned by %(by)s, to %(first)s and %(second)s.")
                % {
                    "by": _name(done.by) if (done := assignment_of(assessment)) else "—",
                    "first": assessment.assessor_1,
                    "second": assessment.assessor_2,
                }
            }
        )
    assessment.organisation_id = assessor_1.organisation_id
    assessment.assessor_1, assessment.assessor_2 = assessor_1, assessor_2
    ASSESSMENT_FLOW.move(assessment, S.ASSIGNED, by=by)
    return _save(assessment, by=by)


@service
def assessment_reassign(
    *, by: User, assessment: Assessment, assessor_1: Assessor, assessor_2: Assessor, reason: str
) -> Assessment:
    """Replace the assessors before the form is signed. The assessment goes back to "assigned": the new
    assessors make their own appointment; the first assessor's answers stay for the new one to check,
    and a new second assessor gives their own opinions."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the assessors are changed.")})
    _check_assessors(assessment, assessor_1, assessor_2)
    assessment = ASSESSMENT_FLOW.lock(assessment)
    if assessment.status not in REASSIGNABLE or assessment.signed_1_at or assessment.signed_2_at:
        raise ValidationError({"status": _("The assessors can be changed only before the form is signed.")})
    if not may_reassign(by, assessment):
        raise ValidationError({"status": _("Only the office that assigned the assessors can change them.")})
    if (assessor_1.pk, assessor_2.pk) == (assessment.assessor_1_id, assessment.assessor_2_id):
        raise ValidationError({"assessor_1": _("These are the assessors already assigned.")})
    note = _("assessors %(old_1)s and %(old_2)s replaced by %(new_1)s and %(new_2)s: %(reason)s") % {
        "old_1": assessment.assessor_1,
        "old_2": assessment.assessor_2,
        "new_1": assessor_1,
        "new_2": assessor_2,
        "reason": reason.strip(),
    }
    if assessor_2.pk != assessment.assessor_2_id:
        assessment.second_opinions = {}
    assessment.organisation_id = assessor_1.organisation_id
    assessment.assessor_1, assessment.assessor_2 = assessor_1, assessor_2
    assessment.appointment_at, assessment.appointment_place = None, ""
    ASSESSMENT_FLOW.move(assessment, S.ASSIGNED, by=by, note=note)
    return _save(assessment, by=by)


@service
def assessment_schedule(
    *, by: User, assessment: Assessment, at: dt.datetime, place: str, now: dt.datetime | None = None
) -> Assessment:
    """Book the home visit: a time still to come (with APPOINTMENT_GRACE for one made on the doorstep)."""
    _require_assessor(by, assessment)
    if at < (now or timezone.now()) - APPOINTMENT_GRACE:
        raise ValidationError({"at": _("The appointment time has passed: choose a time still to come.")})
    assessment = ASSESSMENT_FLOW.lock(assessment)
    ASSESSMENT_FLOW.move(assessment, S.SCHEDULED, by=by)
    assessment.appointment_at, assessment.appointment_place = at, place[:200]
    return _save(assessment, by=by)


def _require_assessor(user: User, assessment: Assessment, *, first: bool = False) -> Assessor:
    assessor = Assessor.objects.filter(user=user).first()
    allowed = (assessment.assessor_1_id,) if first else (assessment.assessor_1_id, assessment.assessor_2_id)
    if assessor is None or assessor.pk not in allowed:
        raise PermissionDenied
    return assessor


def _risk_events(values: dict[str, Any], types: list[str]) -> dict[str, int]:
    events = {}
    for name in types:
        try:
            count = int(values.get(name) or 0)
        except (TypeError, ValueError):
            count = -1
        if not 0 <= count <= RISK_EVENT_MAX_PER_TYPE:
            raise ValidationError({"risk_events": _("Care-risk events are counted 0 to 3 (3 means 3 or more).")})
        events[name] = count
    return events


def _check_basic_info(definition: dict[str, Any], values: dict[str, Any]) -> dict[str, str]:
    """Appendix A elements: each known, single choices one of the options, multiple choices a list of them."""
    elements = {e["code"]: e for e in definition.get("basic_information", [])}
    errors = {}
    for code, value in values.items():
        element = elements.get(code)
        chosen = value if isinstance(value, list) else [value]
        if element is None:
            errors[code] = _("Unknown items: %(items)s") % {"items": code}
        elif (not element["multiple"] and isinstance(value, list)) or any(v not in element["options"] for v in chosen):
            errors[code] = _("%(item)s %(name)s takes only %(allowed)s; “%(value)s” is out of range.") % {
                "item": code,
                "name": element["name"],
                "allowed": "、".join(element["options"]),
                "value": value,
            }
    return errors


@service
def assessment_save_answers(
    *,
    by: User,
    assessment: Assessment,
    answers: dict[str, str],
    dementia_or_psychiatric: bool | None = None,
    risk_events: dict[str, Any] | None = None,
    basic_info: dict[str, Any] | None = None,
) -> Assessment:
    """Record some or all answers of the first assessor; each is checked as it arrives, so the tablet
    can save item by item. Out-of-range values are refused with the item named."""
    _require_assessor(by, assessment, first=True)
    definition = assessment.instrument.definition
    errors = check_answers(definition, answers, complete=False)
    if unknown := set(answers) - {item["code"] for d in definition["dimensions"] for item in d["items"]}:
        errors["answers"] = _("Unknown items: %(items)s") % {"items": "、".join(sorted(unknown))}
    errors.update(_check_basic_info(definition, basic_info or {}))
    if errors:
        raise ValidationError(errors)
    assessment = ASSESSMENT_FLOW.lock(assessment)
    if assessment.status in (S.ASSIGNED, S.SCHEDULED):
        ASSESSMENT_FLOW.move(assessment, S.IN_PROGRESS, by=by)
    elif assessment.status not in (S.IN_PROGRESS, S.RETURNED):
        raise ValidationError({"status": _("This assessment can no longer be changed.")})
    before = _form_state(assessment)
    changed = {k for k, v in answers.items() if assessment.answers.get(k) not in (None, str(v))}
    assessment.answers = {**assessment.answers, **{k: str(v) for k, v in answers.items()}}
    for item in changed & assessment.second_opinions.keys():
        # the second assessor confirmed another answer: their opinion is kept but must be given again
        assessment.second_opinions[item] = {**assessment.second_opinions[item], "reconfirm": True}
    if dementia_or_psychiatric is not None:
        assessment.dementia_or_psychiatric = dementia_or_psychiatric
    if risk_events is not None:
        assessment.risk_events = _risk_events(risk_events, definition.get("risk_event_types", []))
    if basic_info:
        assessment.basic_info = {**assessment.basic_info, **basic_info}
    if _form_state(assessment) != before:
        _withdraw_signatures(assessment, by=by, first=True, second=True)  # a changed form is signed again
    return _save(assessment, by=by)


@service
def assessment_second_opinion(
    *, by: User, assessment: Assessment, item: str, agree: bool, value: str = "", note: str = ""
) -> Assessment:
    """The second assessor confirms an item, or records a disagreement with their own answer."""
    assessor = _require_assessor(by, assessment)
    if assessor.pk != assessment.assessor_2_id:
        raise PermissionDenied
    definition = assessment.instrument.definition
    if not agree and (error := check_answers(definition, {item: value}, complete=False).get(item)):
        raise ValidationError({item: error})
    assessment = ASSESSMENT_FLOW.lock(assessment)
    assessment.second_opinions = {
        **assessment.second_opinions,
        item: {"agree": agree, "value": "" if agree else value, "note": note[:200]},
    }
    _withdraw_signatures(assessment, by=by, first=False, second=True)
    return _save(assessment, by=by)


def _form_state(assessment: Assessment) -> tuple[Any, ...]:
    """What a signature vouches for: saving the same answers again leaves the signatures standing."""
    return (
        assessment.answers,
        assessment.dementia_or_psychiatric,
        assessment.risk_events,
        assessment.basic_info,
    )


def _withdraw_signatures(assessment: Assessment, *, by: User, first: bool, second: bool) -> None:
    """Void the signatures the change touches, with a line on the timeline naming whose: an assessor who
    signed must see why the form asks for their signature again."""
    withdrawn = []
    if first and assessment.signed_1_at:
        assessment.signed_1_at = None
        withdrawn.append(_("first assessor"))
    if second and assessment.signed_2_at:
        assessment.signed_2_at = None
        withdrawn.append(_("second assessor"))
    if withdrawn:
        note = _("The form changed after signing; signature withdrawn: %(whose)s") % {"whose": "、".join(withdrawn)}
        status_change_record(assessment, assessment.status, assessment.status, by=by, note=note)


def _scored(assessment: Assessment) -> None:
    result = score(
        assessment.instrument.definition,
        assessment.answers,
        Adjustments(
            dementia_or_psychiatric=assessment.dementia_or_psychiatric,
            risk_events_30_days=sum(assessment.risk_events.values()),
        ),
    )
    assessment.total, assessment.dimension_scores = result.total, result.dimension_scores
    assessment.preliminary_level, assessment.level = result.preliminary_level, result.level
    assessment.level_reasons = result.reasons


def _unconfirmed(assessment: Assessment, *, changed: bool = False) -> list[str]:
    """The answered items, in the form's order, the second assessor has given no opinion on (or, with
    `changed`, those whose answer changed after their opinion)."""
    opinions = assessment.second_opinions
    return [
        code
        for item in items(assessment.instrument.definition)
        if (code := item["code"]) in assessment.answers
        and ((code in opinions and opinions[code].get("reconfirm")) if changed else code not in opinions)
    ]


@service
def assessment_sign(*, by: User, assessment: Assessment) -> Assessment:
    """An assessor signs. The form must be complete and valid, and the second assessor must have given
    an opinion on every answered item; when both have signed it is scored."""
    assessor = _require_assessor(by, assessment)
    assessment = ASSESSMENT_FLOW.lock(assessment)
    ASSESSMENT_FLOW.check(assessment, S.SIGNED)  # a signature is the move to signed, or half of it
    if errors := check_answers(assessment.instrument.definition, assessment.answers, complete=True):
        raise ValidationError(errors)
    if assessor.pk == assessment.assessor_2_id and (changed := _unconfirmed(assessment, changed=True)):
        raise ValidationError(
            {
                "second_opinions": _(
                    "The first assessor changed %(n)d answers after you confirmed them; confirm them again: %(items)s"
                )
                % {"n": len(changed), "items": "、".join(changed)}
            }
        )
    if assessor.pk == assessment.assessor_2_id and (unconfirmed := _unconfirmed(assessment)):
        raise ValidationError(
            {
                "second_opinions": _(
                    "%(n)d answered items still need your opinion (agree, or disagree with your own answer): %(items)s"
                )
                % {"n": len(unconfirmed), "items": "、".join(unconfirmed)}
            }
        )
    first = assessor.pk == assessment.assessor_1_id
    if assessment.signed_1_at if first else assessment.signed_2_at:  # a second tap, or a second tab
        raise ValidationError({"status": _("You have signed this form already.")})
    now = timezone.now()
    if first:
        assessment.signed_1_at, whose = now, _("first assessor")
    else:
        assessment.signed_2_at, whose = now, _("second assessor")
    note = _("Signed: %(whose)s") % {"whose": whose}
    if assessment.signed_1_at and assessment.signed_2_at:
        _scored(assessment)
        assessment.assessed_on = timezone.localdate()
        ASSESSMENT_FLOW.move(assessment, S.SIGNED, by=by, note=note)
    else:
        status_change_record(assessment, assessment.status, assessment.status, by=by, note=note)
    return _save(assessment, by=by)


@service
def assessment_review(
    *, by: User, assessment: Assessment, approve: bool, note: str = "", level: int | None = None
) -> Assessment:
    """Approve the result (it becomes the person's ability level) or return it for correction. A result
    the rules could not decide (manual review) needs the reviewer's level and a note."""
    assessment = ASSESSMENT_FLOW.lock(assessment)
    ASSESSMENT_FLOW.check(assessment, S.APPROVED if approve else S.RETURNED)  # a second review is refused
    if approve:
        if assessment.level is not None and level is not None and level != assessment.level:
            # the rules decided this level: a different one is not taken silently, nor at all
            raise ValidationError(
                {"level": _("The rules decide this assessment's level; to change it, return the form.")}
            )
        if assessment.level is None:
            known = {item["level"] for item in assessment.instrument.definition["levels"]}
            if level not in known or not note.strip():
                raise ValidationError(
                    {"level": _("The rules leave this combination open: give the level and the grounds.")}
                )
            assessment.level = level
            assessment.level_reasons = [
                *assessment.level_reasons,
                _("level set on review: %(note)s") % {"note": note},
            ]
        months = assessment.instrument.definition["settings"]["reassess_months"]
        assessment.valid_until = (assessment.assessed_on or timezone.localdate()) + relativedelta(months=months)
        ASSESSMENT_FLOW.move(assessment, S.APPROVED, by=by, note=note)
    else:
        if not note.strip():
            raise ValidationError({"review_note": _("Say why the assessment is returned.")})
        assessment.signed_1_at = assessment.signed_2_at = None
        ASSESSMENT_FLOW.move(assessment, S.RETURNED, by=by, note=note)
    assessment.reviewed_by, assessment.reviewed_at, assessment.review_note = by, timezone.now(), note[:500]
    return _save(assessment, by=by)


@service
def assessment_object(*, by: User, assessment: Assessment, reason: str) -> Assessment:
    """An objection to an approved result opens a reassessment (复评) by other assessors."""
    if assessment.status != S.APPROVED:
        raise ValidationError({"status": _("Only an approved result can be objected to.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the objection is.")})
    return assessment_request(
        by=by,
        person=assessment.person,
        reason=Assessment.Reason.REVIEW,
        requester_kind=Assessment.Requester.FAMILY,
        trigger=reason[:100],
        objection_of=assessment,
        instrument=assessment.instrument,
    )


@service
def assessment_cancel(*, by: User, assessment: Assessment, note: str) -> Assessment:
    assessment = ASSESSMENT_FLOW.lock(assessment)
    ASSESSMENT_FLOW.move(assessment, S.CANCELLED, by=by, note=note)
    return _save(assessment, by=by)


CONDITION_CHANGES = {
    "discharge": gettext_lazy("discharged from hospital"),
    "fall": gettext_lazy("a fall"),
    "diagnosis": gettext_lazy("a new diagnosis"),
    "consciousness": gettext_lazy("regained consciousness"),
}


@service
def condition_change_record(*, by: User, person: Person, change: str, detail: str = "") -> Assessment | None:
    """A carer records a change of condition; it opens an immediate reassessment unless one is open."""
    if change not in CONDITION_CHANGES:
        raise ValidationError({"change": _("Choose what changed.")})
    if Assessment.objects.filter(person=person, status__in=OPEN).exists():
        return None
    trigger = f"{CONDITION_CHANGES[change]} {detail}".strip()
    return assessment_request(
        by=by,
        person=person,
        reason=Assessment.Reason.IMMEDIATE,
        requester_kind=Assessment.Requester.COMMUNITY,
        trigger=trigger[:100],
    )


def reassessments_open_due(*, within_days: int, today: dt.date | None = None) -> int:
    """Open a routine reassessment for each person whose latest result expires within `within_days`
    (the scheduled `laoxiao assessments-due` command runs this daily), each in a transaction of its own:
    a person's lock is held for their request only, and one refusal keeps the requests before it."""
    today = today or timezone.localdate()
    expiring = (
        Assessment.objects.filter(status=S.APPROVED, valid_until__lte=today + dt.timedelta(days=within_days))
        .exclude(person__assessments__status__in=OPEN)
        .select_related("person", "instrument")
        .order_by("person_id", "-assessed_on", "-id")
    )
    opened, seen = 0, set()
    for assessment in expiring:
        if assessment.person_id in seen:
            continue
        seen.add(assessment.person_id)
        newer = Assessment.objects.filter(
            person_id=assessment.person_id, status=S.APPROVED, valid_until__gt=assessment.valid_until
        )
        if newer.exists():
            continue
        with writing():
            assessment_request(
                by=None,
                person=assessment.person,
                reason=Assessment.Reason.ROUTINE,
                requester_kind=Assessment.Requester.SYSTEM,
                instrument=assessment.instrument,
                trigger=_("valid until %(date)s") % {"date": assessment.valid_until},
            )
        opened += 1
    return opened


def _served_area(by: User, organisation: Facility, area_code: str) -> Area:
    if organisation.kind != FacilityKind.ASSESSMENT_AGENCY:
        raise ValidationError({"area": _("Only an assessment organisation has areas it is commissioned for.")})
    area = Area.objects.filter(code=area_code).first()
    if area is None or not area_in_scope(by, area.code):
        raise ValidationError({"area": _("Choose an area within your responsibility.")})
    return area


@service
def agency_area_add(*, by: User, organisation: Facility, area_code: str) -> AgencyArea:
    """Commission an assessment organisation for an area (a district, or the whole city)."""
    area = _served_area(by, organisation, area_code)
    Facility.objects.select_for_update().get(pk=organisation.pk)  # of two officers adding it, one does
    row = AgencyArea(organisation=organisation, area=area, prefix=areacode.prefix(area.code, area.level))
    if AgencyArea.objects.filter(organisation=organisation, area=area).exists():
        raise ValidationError({"area": _("%(area)s is already among the areas served.") % {"area": area.name}})
    row.save()
    return row


@service
def agency_area_remove(*, by: User, organisation: Facility, area_code: str) -> None:
    """End a commission; with none left the organisation serves the county it is located in."""
    area = _served_area(by, organisation, area_code)
    for row in AgencyArea.objects.select_for_update().filter(organisation=organisation, area=area):
        row.delete()
