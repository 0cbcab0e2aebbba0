"""Every read of the people registry, always through the scope chokepoint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from laoxiao.accounts.models import User
from laoxiao.core import crypto
from laoxiao.core.identifiers import IdentifierError, birth_date_cutoff, parse_citizen_id
from laoxiao.core.importing import chunks
from laoxiao.core.models import IdentifierReveal
from laoxiao.core.scope import area_range_q, scoped, scoped_get
from laoxiao.people.models import ElderlyCategory, EmergencyContact, Guardianship, Person
from laoxiao.people.rules import ADVANCED_AGE, ELDERLY_AGE, INFANT_AGE_LIMIT

SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "birth_date": ("birth_date", "id"),
    "-birth_date": ("-birth_date", "-id"),
    "area": ("area_id", "birth_date", "id"),
    "-created": ("-id",),
}


@dataclass(frozen=True)
class PersonFilter:
    kind: str = "all"  # all / elderly / infant
    q: str = ""  # name fragment, or an exact ID number or phone
    id_last4: str = ""  # with a name in `q`: the last four characters of the ID number
    area: str = ""  # area code prefix
    category: str = ""
    advanced_age: bool = False
    sex: str = ""
    status: str = "active"  # or "all"
    sort: str = "area"


def _search_q(q: str) -> Q:
    """Exact ID numbers and phones are found through their keyed hash; anything else is a name fragment."""
    cleaned = q.strip()
    try:
        number = parse_citizen_id(cleaned).number
        return Q(id_number_hash__in=crypto.blind_indexes(number))
    except IdentifierError:
        pass
    if cleaned.isdigit() and len(cleaned) in (11, 12):
        return Q(phone_hash__in=crypto.blind_indexes(cleaned))
    return Q(name__contains=cleaned)


def person_list(*, user: User, filters: PersonFilter, today: dt.date | None = None) -> QuerySet[Person]:
    today = today or timezone.localdate()
    # Areas come in a second small query: joining them lets SQLite drive the plan from the area table
    # and sort the whole scope, where the list index alone yields the first page already in order.
    # The parents come the same way, for the county column.
    qs = scoped(user, Person.objects.select_related("elderly_profile").prefetch_related("area__parent__parent"))
    if filters.kind == "elderly":
        qs = qs.filter(birth_date__lte=birth_date_cutoff(ELDERLY_AGE, today))
    elif filters.kind == "infant":
        qs = qs.filter(birth_date__gt=birth_date_cutoff(INFANT_AGE_LIMIT, today))
    if filters.advanced_age:
        qs = qs.filter(birth_date__lte=birth_date_cutoff(ADVANCED_AGE, today))
    if filters.q:
        qs = qs.filter(_search_q(filters.q))
    if filters.id_last4:
        # The masked form keeps the last four in clear (as printed on official screens), so the sealed
        # number is never decrypted to search it.
        qs = qs.filter(id_number_masked__endswith=filters.id_last4.upper())
    if filters.area.isdigit():
        qs = qs.filter(area_range_q("area_id", filters.area))
    if filters.category in ElderlyCategory.values:
        qs = qs.filter(**{f"elderly_profile__{filters.category}": True})
    if filters.sex in ("1", "2"):
        qs = qs.filter(sex=filters.sex)
    if filters.status in Person.Status.values:
        qs = qs.filter(status=filters.status)
    return qs.order_by(*SORTS.get(filters.sort, SORTS["area"]))


def person_get(*, user: User, pk: int) -> Person:
    return scoped_get(user, Person.objects.select_related("area", "area__parent", "household", "facility"), pk=pk)


def person_guardianships(*, user: User, person: Person) -> QuerySet[Guardianship]:
    """Guardians of an infant and wards of a guardian, within the user's scope."""
    return scoped(user, Guardianship.objects.select_related("infant", "guardian")).filter(
        Q(infant=person) | Q(guardian=person)
    )


def person_ids_by_id_number(*, user: User, numbers: Iterable[str]) -> dict[str, int]:
    """{ID number: person id} for those of `numbers` (already normalised) registered in the user's scope.

    Hashes with every configured hash key, so people stay found while `laoxiao rotate-keys` has not
    yet rehashed them under a new key at the head of LAOXIAO_HASH_KEYS."""
    by_hash = {digest: number for number in set(numbers) for digest in crypto.blind_indexes(number)}
    found: dict[str, int] = {}
    for part in chunks(sorted(by_hash)):
        rows = scoped(user, Person.objects.filter(id_number_hash__in=part)).values_list("pk", "id_number_hash")
        found.update({by_hash[digest]: pk for pk, digest in rows})
    return found


def person_find_by_id_number(*, user: User, id_number: str) -> Person | None:
    """The person in scope with exactly this ID number (15 or 18 digits), found through its keyed hash."""
    try:
        number = parse_citizen_id(id_number).number
    except IdentifierError:
        return None
    return scoped(user, Person.objects.filter(id_number_hash__in=crypto.blind_indexes(number))).first()


def person_reveals(*, user: User, person: Person) -> QuerySet[IdentifierReveal]:
    """Who has seen this person's ID number or phone unmasked; `person` was itself read in scope."""
    person_get(user=user, pk=person.pk)
    return IdentifierReveal.objects.filter(subject_type="person", subject_id=person.pk).select_related("user")


def household_members(*, user: User, person: Person) -> QuerySet[Person]:
    if person.household_id is None:
        return Person.objects.none()
    return scoped(user, Person.objects.filter(household_id=person.household_id).exclude(pk=person.pk))


def person_emergency_contacts(*, user: User, person: Person) -> QuerySet[EmergencyContact]:
    return scoped(user, EmergencyContact.objects.filter(person=person)).order_by("id")


def emergency_contact_get(*, user: User, pk: int) -> EmergencyContact:
    return scoped_get(user, EmergencyContact.objects.select_related("person"), pk=pk)
