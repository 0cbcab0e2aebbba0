"""The demo city's capability assessments, played through the workflow services (so the timeline, audit
and ability levels are what the platform itself makes): requested, assigned, appointments made, forms
in progress with saved answers, signed by both assessors, and approved over the past year.

The agency's first nurse and first certificated assessor become demo-assessor and demo-assessor-2
(laoxiao/demo/accounts.py takes them over), so those accounts open assigned work on first login."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from laoxiao.accounts.models import User
from laoxiao.accounts.roles import Role
from laoxiao.assessments import policy, services
from laoxiao.assessments.models import Assessment, Assessor
from laoxiao.assessments.scoring import items
from laoxiao.core import areacode
from laoxiao.core.scope import area_range_q
from laoxiao.demo.names import person_name
from laoxiao.demo.story import at, moment
from laoxiao.facilities.models import Facility, FacilityKind
from laoxiao.people.models import Person

if TYPE_CHECKING:
    from laoxiao.demo.generator import Generator

# Share of the assessments left at each stage; the rest are approved.
STAGES = (("requested", 0.12), ("assigned", 0.1), ("scheduled", 0.08), ("in_progress", 0.14), ("signed", 0.1))
QUALIFICATIONS = (Assessor.Qualification.NURSE, Assessor.Qualification.ASSESSOR_CERTIFICATE)


def build_assessments(gen: Generator) -> None:
    agency = Facility.objects.filter(kind=FacilityKind.ASSESSMENT_AGENCY).order_by("id").first()
    if agency is None:
        return
    prefix = gen.plan["code_prefix"]
    reviewer = staff_login(gen, f"assessment-review-{prefix}", Role.CIVIL_AFFAIRS, "民政局养老服务科", area=prefix)
    # the city's centre assesses in every district, wherever it is located, since it opened
    with at(gen.registered(agency.opened_on or gen.today)):
        services.agency_area_add(by=reviewer, organisation=agency, area_code=areacode.code_of(prefix))
    pairs = [_assessor(gen, agency, n, QUALIFICATIONS[n % 2]) for n in range(4)]
    people = list(
        Person.objects.filter(
            area_range_q("area_id", prefix),
            status=Person.Status.ACTIVE,
            elderly_profile__isnull=False,
            birth_date__lte=dt.date(gen.today.year - 61, 1, 1),  # 60 already when assessed in the past year
        )
        .select_related("elderly_profile")
        .order_by("id")[:3000]
    )
    count = max(20, min(120, round(1500 * gen.scale)))
    instrument = policy.current_instrument()
    for n, person in enumerate(gen.rng.sample(people, min(count, len(people)))):
        stage = _stage(n / count)
        # demo-assessor and demo-assessor-2 (the first two) take every other assessment
        first, second = (pairs[0], pairs[1]) if n % 2 == 0 else (pairs[2], pairs[3])
        _play(gen, instrument.definition, person, stage, first, second, reviewer)
    gen.counts["assessments"] = Assessment.objects.count()


def _stage(share: float) -> str:
    for stage, part in STAGES:
        if share < part:
            return stage
        share -= part
    return "approved"


def staff_login(gen: Generator, username: str, role: str, department: str, *, area: str | None = None) -> User:
    """A staff login the bureau hands over later (no usable password until then)."""
    user = User(
        username=username,
        role=role,
        area_id=areacode.code_of(area) if area else None,
        first_name=person_name(gen.rng, female=gen.rng.random() < 0.6, birth_year=gen.rng.randint(1970, 1995)),
        department=department,
    )
    user.set_unusable_password()
    user.save()
    return user


def _assessor(gen: Generator, agency: Facility, n: int, qualification: str) -> Assessor:
    user = staff_login(gen, f"assessor-{agency.pk}-{n + 1}", Role.ASSESSOR, agency.name)
    user.organisations.set([agency])
    with at(gen.registered(agency.opened_on or gen.today)):  # registered with the agency, years ago for some
        return Assessor.objects.create(
            user=user, organisation=agency, qualification=qualification, years_of_practice=gen.rng.randint(2, 15)
        )


def _answers(gen: Generator, definition: dict[str, Any], level: int | None) -> dict[str, str]:
    """Answers that roughly match the level recorded on the profile (0 able … 4 completely disabled)."""
    answers = {}
    for item in items(definition):
        options = item["options"]  # best first
        centre = (level or 0) * (len(options) - 1) / 4
        index = min(len(options) - 1, max(0, round(gen.rng.gauss(centre, 0.8))))
        answers[item["code"]] = options[index]["code"]
    return answers


def _play(
    gen: Generator,
    definition: dict[str, Any],
    person: Person,
    stage: str,
    first: Assessor,
    second: Assessor,
    reviewer: User,
) -> None:
    """Play one assessment as far as `stage`, each step when it happened: the approved ones over the past
    year, the open ones requested in the last days (an appointment made is for the coming week; forms in
    progress or signed were filled at an appointment already past)."""
    reason = Assessment.Reason.FIRST if gen.rng.random() < 0.7 else Assessment.Reason.ROUTINE
    requester = gen.rng.choice((Assessment.Requester.FAMILY, Assessment.Requester.SELF, Assessment.Requester.COMMUNITY))
    back = gen.rng.randint(12, 340) if stage == "approved" else gen.rng.randint(6, 12)
    requested = moment(gen.today - dt.timedelta(days=back), 10)
    with at(requested):
        a = services.assessment_request(by=reviewer, person=person, reason=reason, requester_kind=requester)
    if stage == "requested":
        return
    with at(requested + dt.timedelta(days=1)):
        a = services.assessment_assign(by=reviewer, assessment=a, assessor_1=first, assessor_2=second)
    if stage == "assigned":
        return
    ahead = gen.rng.randint(back, back + 6) if stage == "scheduled" else gen.rng.randint(3, 5)
    appointment = moment(timezone.localdate(requested) + dt.timedelta(days=ahead), 9)
    with at(requested + dt.timedelta(days=2)):
        a = services.assessment_schedule(by=first.user, assessment=a, at=appointment, place=person.address or "家中")
    if stage == "scheduled":
        return
    answers = _answers(gen, definition, person.elderly_profile.ability_level)
    if stage == "in_progress":  # part of the form saved, the rest still to do on the tablet
        answers = dict(list(answers.items())[: gen.rng.randint(6, len(answers) - 4)])
    with at(appointment + dt.timedelta(minutes=50)):
        a = services.assessment_save_answers(
            by=first.user,
            assessment=a,
            answers=answers,
            dementia_or_psychiatric=gen.rng.random() < 0.08,
            risk_events={name: int(gen.rng.random() < 0.05) for name in definition.get("risk_event_types", [])},
        )
    if stage == "in_progress":
        return
    with at(appointment + dt.timedelta(minutes=70)):
        for item in answers:  # the second assessor confirms every item before signing
            a = services.assessment_second_opinion(by=second.user, assessment=a, item=item, agree=True)
        services.assessment_sign(by=first.user, assessment=a)
        a = services.assessment_sign(by=second.user, assessment=a)
    if stage == "signed":
        return
    with at(appointment + dt.timedelta(days=3)):  # the bureau's review
        if a.level is None:  # the rules leave the combination open: the reviewer decides
            services.assessment_review(by=reviewer, assessment=a, approve=True, level=2, note="复核后确定")
        else:
            services.assessment_review(by=reviewer, assessment=a, approve=True)
