"""Every read of the people registry, always through the scope chokepoint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db import connection
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Concat, Length, Reverse
from django.db.models.lookups import GreaterThanOrEqual, StartsWith
from django.utils import timezone

from laoxiao.accounts.models import User
from laoxiao.core import areacode, crypto
from laoxiao.core.identifiers import DIGIT_SEPARATORS, IdentifierError, age_on, birth_date_cutoff, parse_citizen_id
from laoxiao.core.importing import chunks
from laoxiao.core.models import Area, IdentifierReveal
from laoxiao.core.personal import with_id_ending
from laoxiao.core.scope import ScopePaths, area_range_q, scoped, scoped_get, user_scope_q, within
from laoxiao.people.models import ElderlyCategory, ElderlyProfile, EmergencyContact, Guardianship, Person, Sex
from laoxiao.people.rules import ADVANCED_AGE, ELDERLY_AGE, INFANT_AGE_LIMIT

SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "birth_date": ("birth_date", "id"),
    "-birth_date": ("-birth_date", "-id"),
    "area": ("area_id", "birth_date", "id"),
    "-created": ("-id",),
}


# The person's scope (Person.scope_paths) said of their profile's copy of the area, which equals theirs.
PROFILE_SCOPE = ScopePaths(area="elderly_profile__area_id", organisation="facility_id", person="id")


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
    digits = DIGIT_SEPARATORS.sub("", cleaned)  # as read out or written down: "139 0000 1234"
    try:
        number = parse_citizen_id(digits).number
        return Q(id_number_hash__in=crypto.blind_indexes(number))
    except IdentifierError:
        pass
    if digits.isdigit() and len(digits) in (11, 12):
        return Q(phone_hash__in=crypto.blind_indexes(digits))
    return _name_q(cleaned)


def _name_q(fragment: str) -> Q:
    """Names containing `fragment`, through an index where the database has one (people/migrations/0006)."""
    if connection.vendor != "postgresql":
        # The matches by name alone first, in a subquery: a scan of the names only. Within the scope's area
        # range SQLite would take the area index and fetch each row to test its name (6× slower).
        return Q(pk__in=Person.objects.filter(name__contains=fragment).values("pk"))
    if len(fragment) != 2:
        return Q(name__contains=fragment)  # the trigram index; one character, a surname, matches too many
    # Two characters hold no trigram; a third of names are two characters. The fragment is at a name's
    # start, at its end, or inside a name of four or more: three indexes, the same people as `contains`.
    return (
        Q(name__startswith=fragment)
        | Q(StartsWith(Reverse("name"), fragment[::-1]))
        | Q(GreaterThanOrEqual(Length("name"), 4), name__contains=fragment)
    )


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
    if filters.area.isdigit():
        qs = qs.filter(area_range_q("area_id", filters.area))
    if filters.category in ElderlyCategory.values:
        # The scope and the area filter said of the profile's copy of the area, and the list sorted by that
        # copy: the planner then reads the category's index by area, in the list's order (people/models.py).
        # Joined on `area_id = area_id` instead, it took the join for a rare one and counted like a scan.
        cut = [user_scope_q(user, PROFILE_SCOPE) or Q()]
        cut += [area_range_q("elderly_profile__area_id", filters.area)] if filters.area.isdigit() else []
        qs = qs.filter(*cut, **{f"elderly_profile__{filters.category}": True})
    if filters.sex in ("1", "2"):
        qs = qs.filter(sex=filters.sex)
    if filters.status in Person.Status.values:
        qs = qs.filter(status=filters.status)
    if filters.id_last4:  # last, on the rows every other filter (a name at least) left
        qs = with_id_ending(qs, filters.id_last4)
    if filters.sort == "-created":
        return _newest_first(qs, user, filters)
    if filters.category in ElderlyCategory.values and filters.sort in ("area", ""):
        return qs.order_by("elderly_profile__area_id", *SORTS["area"][1:])  # the same order: the copy is equal
    if len(filters.q.strip()) > 1 and filters.sort in ("area", "") and connection.vendor == "postgresql":
        # A name's matches are few (thousands at most): found through the name indexes, then sorted. Sorted by
        # the bare column, the planner may walk the area index testing every name instead, when it thinks
        # there are more matches than there are (a district's 程华 at scale 5: 6 people, 22 -> 425 ms). One
        # character, a surname, matches many: there the walk is right.
        return qs.order_by(Concat("area_id", Value("")), *SORTS["area"][1:])
    return qs.order_by(*SORTS.get(filters.sort, SORTS["area"]))


def _newest_first(qs: QuerySet[Person], user: User, filters: PersonFilter) -> QuerySet[Person]:
    """Newest first. For the city, a backward walk of the ids meets its rows at once. Below it that walk can
    pass most of the register before the scope's rows, as registers are imported area by area (a district's
    first page 1.9 s at scale 5), so the id is negated, which no index but a county's orders
    (people/migrations/0008): a county walks that, a smaller area sorts its own rows."""
    scope = areacode.prefix(user.area.code, user.area.level) if user.area and user.role_scopes_by_area else ""
    narrowest = max((scope, filters.area if filters.area.isdigit() else ""), key=len)
    if len(narrowest) < areacode.LENGTH["county"]:
        return qs.order_by(*SORTS["-created"])
    if len(narrowest) == areacode.LENGTH["county"]:
        qs = qs.alias(county=areacode.county_of("area_id")).filter(county=narrowest)
    return qs.order_by(-F("id"))


EXPORT_CHUNK = 2000


def person_export(
    *, user: User, filters: PersonFilter, today: dt.date | None = None
) -> tuple[int, Iterator[list[object]]]:
    """The filtered list for the export: its length, and its rows (name, masked ID number, sex, age, masked
    phone, county, area, address, special categories, status) read lazily as plain values, the areas a
    chunk at a time: building a model instance and its choice labels per row made 45,000 rows take 11 s."""
    today = today or timezone.localdate()
    queryset = person_list(user=user, filters=filters, today=today)
    categories = list(ElderlyCategory)
    values = (
        queryset.select_related(None)
        .prefetch_related(None)
        .values_list(
            "name",
            "id_number_masked",
            "sex",
            "birth_date",
            "phone_masked",
            "area_id",
            "address",
            "status",
            *[f"elderly_profile__{c.value}" for c in categories],
        )
    )
    sexes = {value: str(label) for value, label in Sex.choices}
    statuses = {value: str(label) for value, label in Person.Status.choices}
    labels = [str(c.label) for c in categories]

    def rows() -> Iterator[list[object]]:
        places: dict[str, tuple[str, str]] = {}
        stream = values.iterator(chunk_size=EXPORT_CHUNK)
        while chunk := list(islice(stream, EXPORT_CHUNK)):
            missing = {row[5] for row in chunk} - places.keys()
            for area in Area.objects.filter(code__in=missing).select_related("parent__parent"):
                county = area.county()
                places[area.code] = (county.name if county else "", area.name)
            for name, masked, sex, birth, phone, area_id, address, status, *flags in chunk:
                marked = "、".join(label for label, flag in zip(labels, flags, strict=True) if flag)
                yield [
                    name,
                    masked,
                    sexes.get(sex, sex),
                    age_on(birth, today),
                    phone,
                    *places[area_id],
                    address,
                    marked,
                    statuses.get(status, status),
                ]

    return queryset.count(), rows()


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


def profile_of(*, person: Person) -> ElderlyProfile | None:
    """The elderly profile of a person already read in scope (none for a child)."""
    return within(person, ElderlyProfile.objects.filter(person=person)).first()
