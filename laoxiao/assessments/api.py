import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Router, Schema, Status

from laoxiao.api.main import answers, require
from laoxiao.assessments import selectors
from laoxiao.assessments.importing import ITEM_COLUMNS, notices, validate_rows, write_rows
from laoxiao.core.scope import AuthedRequest
from laoxiao.people.selectors import person_get

router = Router(tags=["assessments"])


class AssessmentIn(Schema):
    """An assessment made elsewhere; the platform recomputes total and level with the instrument in force."""

    id_number: str
    assessed_on: dt.date
    answers: dict[str, str]
    reason: str = "other"
    dementia_or_psychiatric: bool = False
    risk_events_30_days: int = 0
    claimed_level: int | None = None


class AssessmentOut(Schema):
    id: int
    person_id: int
    instrument: str
    status: str
    reason: str
    assessed_on: dt.date | None
    total: int | None
    dimension_scores: dict[str, int]
    preliminary_level: int | None
    level: int | None
    level_reasons: list[str]
    claimed_level: int | None
    valid_until: dt.date | None

    @staticmethod
    def resolve_instrument(obj) -> str:  # type: ignore[no-untyped-def]
        return str(obj.instrument)


class AbilityOut(Schema):
    level: int
    level_name: str
    instrument: str
    source: str
    assessed_on: dt.date | None
    valid_until: dt.date | None
    expired: bool


class ImportedOut(Schema):
    assessment: AssessmentOut
    differs_from_claimed: str


@router.post("/", response=answers({201: ImportedOut}, 400, 403, 422))
def import_assessment(request: AuthedRequest, payload: AssessmentIn) -> object:
    require(request, "assessment.import")
    row = {
        "id_number": payload.id_number,
        "assessed_on": payload.assessed_on.isoformat(),
        "reason": payload.reason,
        "dementia": "1" if payload.dementia_or_psychiatric else "0",
        "risk_events": str(payload.risk_events_30_days),
        "claimed_level": "" if payload.claimed_level is None else str(payload.claimed_level),
        **{column.field: str(payload.answers.get(column.field, "")) for column in ITEM_COLUMNS},
    }
    valid, bad = validate_rows(request.user, [(1, row)])
    if bad:
        raise ValidationError(bad[1])
    write_rows(request.user, [item for _, item in valid])
    latest = selectors.person_assessments(
        user=request.user, person=person_get(user=request.user, pk=valid[0][1].person_id)
    ).first()
    message = notices(valid)
    return Status(201, {"assessment": latest, "differs_from_claimed": message[0][2] if message else ""})


@router.get("/", response=answers({200: list[AssessmentOut]}, 403, 404, 422))
def list_assessments(request: AuthedRequest, person: int) -> object:
    require(request, "assessment.view")
    return selectors.person_assessments(user=request.user, person=person_get(user=request.user, pk=person))


@router.get("/ability/{person_pk}", response=answers({200: AbilityOut, 204: None}, 403, 404, 422))
def current_ability(request: AuthedRequest, person_pk: int) -> object:
    require(request, "assessment.view")
    ability = selectors.ability_current(person=person_get(user=request.user, pk=person_pk))
    if ability is None:
        return Status(204, None)
    return {**ability.__dict__, "expired": ability.expired}
