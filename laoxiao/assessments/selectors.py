"""Every read of assessments, through the scope chokepoint; `ability_current` is the one place other
modules (benefits, home care, admission) read a person's ability level."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, F, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from laoxiao.accounts.models import User
from laoxiao.assessments.models import AgencyArea, Assessment, Assessor, Instrument
from laoxiao.assessments.scoring import items
from laoxiao.core import areacode
from laoxiao.core.models import Area, StatusChange
from laoxiao.core.scope import area_range_q, public, scoped, scoped_get, within
from laoxiao.core.transitions import status_changes
from laoxiao.facilities.models import Facility, FacilityKind
from laoxiao.people.models import ElderlyProfile, Person


@dataclass(frozen=True)
class Ability:
    level: int
    level_name: str
    instrument: str
    source: str  # "assessment" or "recorded"
    assessed_on: dt.date | None
    valid_until: dt.date | None
    assessment_id: int | None

    @property
    def expired(self) -> bool:
        return bool(self.valid_until and self.valid_until < timezone.localdate())


def _level_name(instrument: Instrument, level: int) -> str:
    return next(item["name"] for item in instrument.definition["levels"] if item["level"] == level)


def ability_current(*, person: Person) -> Ability | None:
    """The latest approved assessment's level; before any, the level recorded on the elderly profile."""
    latest = (
        within(person, Assessment.objects.filter(person=person, status=Assessment.Status.APPROVED, level__isnull=False))
        .select_related("instrument")
        .order_by("-assessed_on", "-id")
        .first()
    )
    if latest is not None and latest.level is not None:
        return Ability(
            level=latest.level,
            level_name=_level_name(latest.instrument, latest.level),
            instrument=str(latest.instrument),
            source="assessment",
            assessed_on=latest.assessed_on,
            valid_until=latest.valid_until,
            assessment_id=latest.pk,
        )
    profile = ElderlyProfile.objects.filter(person=person, ability_level__isnull=False).first()
    if profile is not None and profile.ability_level is not None:
        return Ability(
            level=profile.ability_level,
            level_name=profile.get_ability_level_display(),
            instrument="",
            source="recorded",
            assessed_on=None,
            valid_until=None,
            assessment_id=None,
        )
    return None


def person_assessments(*, user: User, person: Person) -> QuerySet[Assessment]:
    return scoped(user, Assessment.objects.filter(person=person).select_related("instrument")).order_by("-requested_at")


def open_assessment(*, user: User, person: Person) -> Assessment | None:
    """The person's assessment under way on a current instrument: a new request waits until it ends."""
    ended = (Assessment.Status.APPROVED, Assessment.Status.CANCELLED)
    return (
        person_assessments(user=user, person=person)
        .filter(instrument__is_current=True)
        .exclude(status__in=ended)
        .first()
    )


# The statuses in which an assessment waits for its assessors (the form can be filled in); a signed one
# waits for the bureau. services.ACTIONS["assess"] offers the form in exactly these.
ASSESSING = (
    Assessment.Status.ASSIGNED,
    Assessment.Status.SCHEDULED,
    Assessment.Status.IN_PROGRESS,
    Assessment.Status.RETURNED,
)


@dataclass(frozen=True)
class AssessmentFilter:
    status: str = ""  # a status, "open", "assessing" (ASSESSING) or anything else for all
    area: str = ""
    q: str = ""
    mine: bool = False


def assessment_list(*, user: User, filters: AssessmentFilter) -> QuerySet[Assessment]:
    qs = scoped(user, Assessment.objects.select_related("person", "person__area", "instrument", "organisation"))
    if filters.status in Assessment.Status.values:
        qs = qs.filter(status=filters.status)
    elif filters.status == "open":
        qs = qs.exclude(status__in=(Assessment.Status.APPROVED, Assessment.Status.CANCELLED))
    elif filters.status == "assessing":
        qs = qs.filter(status__in=ASSESSING)
    if filters.area.isdigit():
        qs = qs.filter(area_range_q("person__area_id", filters.area))
    if filters.q:
        qs = qs.filter(person__name__contains=filters.q.strip())
    if filters.mine:
        qs = qs.filter(assessor_1__user=user) | qs.filter(assessor_2__user=user)
    return qs.order_by("-requested_at", "-id")


def assessment_get(*, user: User, pk: int) -> Assessment:
    return scoped_get(
        user,
        Assessment.objects.select_related(
            "person",
            "person__area",
            "instrument",
            "organisation",
            "assessor_1__user",
            "assessor_2__user",
            "reviewed_by",
        ),
        pk=pk,
    )


def assessment_timeline(*, user: User, assessment: Assessment) -> QuerySet[StatusChange]:
    return status_changes(scoped_get(user, Assessment.objects.all(), pk=assessment.pk))


@dataclass
class Disagreement:
    code: str
    name: str
    first: str  # the first assessor's answer: points and text
    second: str  # the second assessor's own answer
    note: str


def disagreements(*, assessment: Assessment) -> list[Disagreement]:
    """The items the second assessor disagreed on, in the form's order, with both answers: the reviewing
    officer sees where the two differ before approving (the score counts the first assessor's)."""

    def shown(item: dict[str, Any], code: str) -> str:
        option = next((o for o in item["options"] if o["code"] == code), None)
        return f"{_('%(n)s points') % {'n': option['points']}} · {option['text']}" if option else code or "—"

    opinions = assessment.second_opinions
    return [
        Disagreement(item["code"], item["name"], shown(item, assessment.answers.get(item["code"], "")),
                     shown(item, opinion.get("value", "")), opinion.get("note", ""))
        for item in items(assessment.instrument.definition)
        if (opinion := opinions.get(item["code"])) and not opinion.get("agree")
    ]  # fmt: skip


def _home_prefix(organisation: Facility) -> str:
    """The county an organisation is located in (or the area itself, where it sits above a county)."""
    return areacode.county(areacode.prefix(organisation.area_id, organisation.area.level))


def served_prefixes() -> dict[int, list[str]]:
    """Each assessment organisation's area prefixes: those it is commissioned for, else its home
    county. A city has a handful of organisations, so all are read at once."""
    agencies = public(Facility.objects.filter(kind=FacilityKind.ASSESSMENT_AGENCY).select_related("area"))
    served = {a.pk: [_home_prefix(a)] for a in agencies}
    commissioned: dict[int, list[str]] = {}
    for organisation_id, prefix in public(AgencyArea.objects.all()).values_list("organisation_id", "prefix"):
        commissioned.setdefault(organisation_id, []).append(prefix)
    return served | commissioned


def agency_serves(*, organisation_id: int, area_code: str) -> bool:
    return any(area_code.startswith(p) for p in served_prefixes().get(organisation_id, []))


def agency_home_county(*, organisation: Facility) -> Area:
    """Where an organisation commissioned for nothing serves."""
    return public(Area.objects.all()).get(code=areacode.code_of(_home_prefix(organisation)))


def agency_areas(*, user: User, organisation: Facility) -> QuerySet[AgencyArea]:
    """The areas an organisation in the user's scope is commissioned for."""
    organisation = scoped_get(user, Facility.objects.all(), pk=organisation.pk)
    return AgencyArea.objects.filter(organisation=organisation).select_related("area__parent").order_by("prefix")


def _serving(user: User) -> list[int] | None:
    """The organisations serving any part of an officer's area; None for a user not scoped by area."""
    if user.area is None or not user.role_scopes_by_area:
        return None
    mine = areacode.prefix(user.area.code, user.area.level)
    return [
        pk
        for pk, prefixes in served_prefixes().items()
        if any(p.startswith(mine) or mine.startswith(p) for p in prefixes)
    ]


def assessors_available(*, user: User) -> QuerySet[Assessor]:
    """The assessors an officer may assign: those of the organisations serving any part of the
    officer's area, wherever they are located (a city's assessment centre for every district)."""
    assessors = Assessor.objects.select_related("user", "organisation").order_by("organisation_id", "id")
    serving = _serving(user)
    return scoped(user, assessors) if serving is None else assessors.filter(organisation_id__in=serving)


@dataclass(frozen=True)
class Agency:
    organisation: Facility
    areas: list[str]  # names of the areas served
    assessors: int
    in_scope: bool  # its own page opens for the user


def agencies_serving(*, user: User) -> list[Agency]:
    """The assessment organisations whose assessors the user may assign, with where each serves."""
    serving = _serving(user)
    agencies = Facility.objects.filter(kind=FacilityKind.ASSESSMENT_AGENCY).annotate(count=Count("assessors"))
    agencies = scoped(user, agencies) if serving is None else agencies.filter(pk__in=serving)
    own = set(scoped(user, Facility.objects.filter(kind=FacilityKind.ASSESSMENT_AGENCY)).values_list("pk", flat=True))
    prefixes = served_prefixes()
    names = dict(
        Area.objects.filter(code__in={areacode.code_of(p) for ps in prefixes.values() for p in ps}).values_list(
            "code", "name"
        )
    )
    return [
        Agency(a, [names[areacode.code_of(p)] for p in prefixes[a.pk]], a.count, a.pk in own)
        for a in agencies.select_related("area").order_by("name")
    ]


def disabled_count(*, user: User, area_prefix: str, min_level: int = 2) -> int:
    """People in scope whose latest approved GB/T 42195 level is at least `min_level` (中度失能 and worse
    by default): the 失能 figure plan indicators read."""
    latest = (
        scoped(user, Assessment.objects.filter(status=Assessment.Status.APPROVED))
        .filter(area_range_q("person__area_id", area_prefix))
        .order_by("person_id", "-assessed_on", "-id")
        .values("person_id", "level")
    )
    seen: dict[int, int | None] = {}
    for row in latest:
        seen.setdefault(row["person_id"], row["level"])
    return sum(1 for level in seen.values() if level is not None and level >= min_level)


def assessment_statistics(*, user: User, since: dt.date) -> dict[str, Any]:
    """Per month and county, level distribution, turnaround from request to approval, assessor workload."""
    approved = scoped(user, Assessment.objects.filter(status=Assessment.Status.APPROVED, assessed_on__gte=since))
    by_month = list(
        approved.annotate(month=TruncMonth("assessed_on"), county=areacode.county_of("person__area_id"))
        .values("month", "county")
        .annotate(n=Count("id"))
        .order_by("month", "county")
    )
    levels = list(
        approved.values("instrument__code", "level").annotate(n=Count("id")).order_by("instrument__code", "level")
    )
    turnaround = approved.filter(reviewed_at__isnull=False).aggregate(days=Avg(F("reviewed_at") - F("requested_at")))[
        "days"
    ]
    workload = list(
        approved.values("assessor_1__user__first_name", "assessor_1__user__username")
        .annotate(n=Count("id"))
        .order_by("-n")[:20]
    )
    return {
        "by_month": by_month,
        "levels": levels,
        "turnaround": turnaround,
        "workload": workload,
        "total": approved.count(),
    }


def instrument_versions() -> list[dict[str, Any]]:
    """Every version with its settings as editable JSON; instruments are reference data, not scoped."""
    return [
        {"instrument": i, "settings": json.dumps(i.definition.get("settings", {}), ensure_ascii=False, indent=1)}
        for i in public(Instrument.objects.order_by("code", "-version"))
    ]


def assessor_of(*, user: User, assessment: Assessment) -> Assessor | None:
    """The user's own assessor record, when they are one of this assessment's two assessors."""
    mine = Assessor.objects.filter(user=user, pk__in=[assessment.assessor_1_id, assessment.assessor_2_id])
    return within(assessment, mine).first()
