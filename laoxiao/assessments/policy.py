"""What the assessment rules say outside any one write: the instrument version new assessments use, and
who may change an assessment's assessors. Read by services, views and imports."""

from __future__ import annotations

from laoxiao.accounts.models import User
from laoxiao.assessments.instruments import GBT_42195
from laoxiao.assessments.models import Assessment, Instrument
from laoxiao.core.models import StatusChange
from laoxiao.core.transitions import status_changes

S = Assessment.Status


def current_instrument(code: str = GBT_42195) -> Instrument:
    """The version new assessments use (the shipped ones are loaded at migrate time)."""
    return Instrument.objects.get(code=code, is_current=True)


def assignment_of(assessment: Assessment) -> StatusChange | None:
    """The row of the first assignment: who assigned the assessors."""
    return status_changes(assessment).filter(to_status=S.ASSIGNED).first()


def may_reassign(user: User, assessment: Assessment) -> bool:
    """The office that assigned the assessors changes them: an officer of the same area (any officer
    with the right, where the system or an import assigned them)."""
    done = assignment_of(assessment)
    return done is None or done.by is None or done.by.area_id == user.area_id
