"""Emergency contacts for part of the demo's elderly people: a child or a neighbour to call."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from laoxiao.core.bulk import insert_with_history
from laoxiao.core.personal import sealed
from laoxiao.core.scope import area_range_q
from laoxiao.demo.names import person_name
from laoxiao.people.models import EmergencyContact, Person

if TYPE_CHECKING:
    from laoxiao.demo.generator import Generator

CONTACT_SHARE = 0.4  # of the elderly, who have a contact recorded; the first (demo-resident's record) always does
RELATIONS = [(EmergencyContact.Relation.CHILD, 6), (EmergencyContact.Relation.SPOUSE, 1)]
RELATIONS += [(EmergencyContact.Relation.RELATIVE, 1), (EmergencyContact.Relation.NEIGHBOUR, 2)]


def build_emergency_contacts(generator: Generator) -> None:
    # A generator of its own, seeded by the city and its size, so the later steps draw as before.
    rng = random.Random(f"contacts:{generator.plan['code_prefix']}:{generator.counts['people']}")
    prefixes = ("133", "138", "139", "150", "158", "177", "186", "189")
    elderly = (
        Person.objects.filter(area_range_q("area_id", generator.plan["code_prefix"]), elderly_profile__isnull=False)
        .order_by("id")
        .values_list("id", "birth_date__year", "created_at")
    )
    rows = []
    for index, (person_id, birth_year, registered) in enumerate(elderly.iterator(chunk_size=5000)):
        if index and rng.random() >= CONTACT_SHARE:
            continue
        for _ in range(1 if rng.random() < 0.7 else 2):
            relation = rng.choices([r for r, _ in RELATIONS], weights=[w for _, w in RELATIONS])[0]
            year = birth_year + 28 if relation == EmergencyContact.Relation.CHILD else birth_year
            rows.append(
                {
                    "person_id": person_id,
                    "name": person_name(rng, female=rng.random() < 0.5, birth_year=year),
                    "relation": relation.value,
                    **sealed("phone", rng.choice(prefixes) + f"{rng.randint(0, 99_999_999):08d}"),
                    "created_at": registered,  # given when the person was registered
                }
            )
    insert_with_history(EmergencyContact, rows, at=lambda row: row["created_at"])
    generator.counts["emergency_contacts"] += len(rows)
