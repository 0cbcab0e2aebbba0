"""A deterministic demo city: real areas, population statistics, the document's facility totals, and
one record for every resident aged 60+ and every infant under 3 (with their parents) at scale 1.0.

Figures come from cities/<city>.json, which names the source of each; `scale` shrinks the number of
individual people only; statistics and facilities keep their real totals at every scale.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils import timezone

from laoxiao.core import areacode
from laoxiao.core.bulk import insert_with_history
from laoxiao.core.identifiers import id_check_char
from laoxiao.core.models import Area
from laoxiao.core.personal import sealed
from laoxiao.core.scope import area_range_q
from laoxiao.core.services import areas_load, population_stat_set
from laoxiao.core.writes import writing
from laoxiao.demo.benefits import build_benefits
from laoxiao.demo.homecare import build_homecare
from laoxiao.demo.names import person_name
from laoxiao.demo.people import build_emergency_contacts
from laoxiao.demo.planning import build_planning
from laoxiao.demo.residents import house_care_home_residents
from laoxiao.demo.story import bulk_create_at, moment
from laoxiao.demo.uscc import make_uscc
from laoxiao.facilities.models import (
    Certificate,
    Facility,
    FacilityKind,
    MedicalCareAgreement,
    StaffMember,
    StaffRole,
    TrainingRecord,
)
from laoxiao.people.models import ElderlyProfile, Guardianship, Household, Person
from laoxiao.planning.services import plans_sync

CITIES_DIR = Path(__file__).resolve().parent / "cities"
CHUNK = 20000
PHONE_PREFIXES = ("133", "135", "138", "139", "150", "151", "158", "177", "180", "186", "189", "195")
HOME_WORDS = [
    "颐康",
    "福寿",
    "康乐",
    "夕阳红",
    "松鹤",
    "椿萱",
    "安康",
    "晚晴",
    "乐龄",
    "颐和",
    "康宁",
    "福瑞",
    "仁爱",
    "慈惠",
    "长乐",
    "寿康",
    "怡园",
    "馨园",
    "泰和",
    "永康",
]
CHILDCARE_WORDS = [
    "小太阳",
    "贝贝",
    "童乐",
    "爱心",
    "启航",
    "星星",
    "阳光",
    "彩虹",
    "小树苗",
    "萌芽",
    "七色花",
    "乐童",
    "蓓蕾",
    "雏鹰",
    "向日葵",
]


class DemoError(RuntimeError):
    pass


def load_city(city: str) -> dict[str, Any]:
    path = CITIES_DIR / f"{city}.json"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in CITIES_DIR.glob("*.json")))
        raise DemoError(f"no demo city {city!r}; known: {known}")
    return json.loads(path.read_text(encoding="utf-8"))


def allocate(total: int, weights: Sequence[float], caps: Sequence[int] | None = None) -> list[int]:
    """Split `total` into integers in proportion to `weights` (largest remainder), never above `caps`."""
    if total == 0 or not weights:
        return [0] * len(weights)
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    parts = [int(r) for r in raw]
    if caps:
        parts = [min(p, c) for p, c in zip(parts, caps, strict=True)]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    short = total - sum(parts)
    while short > 0:
        moved = False
        for i in order:
            if short == 0:
                break
            if caps is None or parts[i] < caps[i]:
                parts[i] += 1
                short -= 1
                moved = True
        if not moved:
            raise DemoError(f"cannot place {total} within the caps")
    return parts


def short_name(name: str) -> str:
    for suffix in ("居民委员会", "村民委员会", "社区居委会", "居委会", "村委会"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


@dataclass
class Places:
    """The city's areas, grouped the way the generator picks from them."""

    city: Area
    counties: list[Area]
    townships: dict[str, list[Area]]  # county code -> townships
    villages: dict[str, list[Area]]  # county code -> villages
    names: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def load(prefix: str) -> Places:
        areas = list(Area.objects.filter(code__startswith=prefix))
        townships: dict[str, list[Area]] = defaultdict(list)
        villages: dict[str, list[Area]] = defaultdict(list)
        for area in areas:
            if area.level == Area.Level.TOWNSHIP:
                townships[areacode.county(area.code)].append(area)
            elif area.level == Area.Level.VILLAGE:
                villages[areacode.county(area.code)].append(area)
        return Places(
            city=next(a for a in areas if a.code == areacode.code_of(prefix)),  # the generated city or county
            counties=sorted((a for a in areas if a.level == Area.Level.COUNTY), key=lambda a: a.code),
            townships=dict(townships),
            villages=dict(villages),
            names={a.code: a.name for a in areas},
        )

    def is_rural(self, village: Area) -> bool:
        return int(village.code[9:12]) >= 200  # 村委会 codes start at 200 (standards.md §10.3)


class IdNumbers:
    """Unique, valid citizen IDs: county code + birth date + a sequence whose parity gives the sex."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.next: dict[tuple[str, dt.date, bool], int] = {}

    def make(self, county: str, birth: dt.date, *, female: bool) -> str:
        key = (county, birth, female)
        n = self.next.get(key)
        if n is None:
            n = self.rng.randrange(0, 300)
        if n > 499:
            raise DemoError("too many people born on one day in one county")
        self.next[key] = n + 1
        first17 = f"{county}{birth:%Y%m%d}{n * 2 + (0 if female else 1):03d}"
        return first17 + id_check_char(first17)


def _analyse() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# Past 1 the city has more people than it does (5 is about 2M elderly, a province's registry): a load test
# of one machine (docs/scaling.md); the facilities and statistics stay the real city's.
MAX_SCALE = 10


class Generator:
    def __init__(
        self, *, city: str, scale: float, seed: int, today: dt.date | None, log: Callable[[str], None]
    ) -> None:
        """`today` is the date the registry describes; by default the city's reference date, else today."""
        if not 0 < scale <= MAX_SCALE:
            raise DemoError(f"scale is above 0 and at most {MAX_SCALE}: 1 is the city's real population")
        self.plan = load_city(city)
        reference = self.plan.get("reference_date")
        today = today or (dt.date.fromisoformat(reference) if reference else timezone.localdate())
        self.scale, self.today, self.log = scale, today, log
        self.rng = random.Random(seed)
        self.clock_rng = random.Random(f"story:{seed}")  # when things were registered; leaves `rng`'s draws alone
        self.ids = IdNumbers(self.rng)
        self.counts: dict[str, int] = defaultdict(int)

    # --- whole run ---------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        prefix = self.plan["code_prefix"]
        if Person.objects.filter(area_range_q("area_id", prefix)).exists():
            raise DemoError(f"{self.plan['name']} already has people; use a fresh database")
        self.counts["areas"] = areas_load(prefix=prefix)
        self.places = Places.load(prefix)
        with writing():
            self.population()
            self.facilities()
        self.log(f"areas and facilities ready: {dict(self.counts)}")
        self.people()
        if self.plan["facilities"].get("builder") == "annex_2020":
            from laoxiao.demo.annex import house_dependent_tekun

            _analyse()  # it reads the people just written: without statistics, a join of minutes on PostgreSQL
            house_dependent_tekun(self, self.plan["facilities"]["tekun_centralised_share"])
        build_emergency_contacts(self)
        # Fresh statistics after the bulk writes: without them PostgreSQL plans the indicator and
        # dispatch queries of the steps below as if the tables were empty (a minute a query).
        _analyse()
        build_homecare(self)
        house_care_home_residents(self)
        build_benefits(self)
        plans_sync()  # the plan shipped for this city, now that its areas exist
        build_planning(self)
        _analyse()  # and once more, so the planner uses the list index on the finished city
        return dict(self.counts)

    # --- statistics ----------------------------------------------------------------------------

    def population(self) -> None:
        pop = self.plan["population"]
        total = pop["resident_total"]
        year = self.plan["statistics_year"]
        counties = self.plan["counties"]
        county_totals = allocate(total, [counties[areacode.county(a.code)]["share"] for a in self.places.counties])
        self.county_totals = dict(
            zip((areacode.county(a.code) for a in self.places.counties), county_totals, strict=True)
        )
        source = self.plan["sources"]["census"] + "; " + self.plan["sources"]["assumed"]
        self._stat(self.places.city, year, total, source)
        for county, county_total in zip(self.places.counties, county_totals, strict=True):
            self._stat(county, year, county_total, source)
            townships = self.places.townships.get(areacode.county(county.code), [])
            weights = [self.rng.uniform(0.5, 1.5) for _ in townships]
            for township, part in zip(townships, allocate(county_total, weights), strict=True):
                self._stat(township, year, part, source)

    def _stat(self, area: Area, year: int, total: int, source: str) -> None:
        pop = self.plan["population"]
        aged_60 = round(total * pop["share_60_plus"])
        births = round(total * pop["births_per_1000"] / 1000)
        population_stat_set(
            area=area,
            year=year,
            resident_total=total,
            aged_60_plus=aged_60,
            aged_65_plus=round(total * pop["share_65_plus"]),
            aged_80_plus=round(aged_60 * pop["share_80_plus_of_60_plus"]),
            under_3=births * 3,
            births=births,
            source=source,
        )
        self.counts["population_stats"] += 1

    # --- facilities ----------------------------------------------------------------------------

    def _pick_village(self, *, rural: bool | None = None) -> Area:
        county = self.rng.choices(
            self.places.counties, weights=[self.county_totals[areacode.county(c.code)] for c in self.places.counties]
        )[0]
        pool = self.places.villages[areacode.county(county.code)]
        if rural is not None:
            pool = [v for v in pool if self.places.is_rural(v) == rural] or pool
        return self.rng.choice(pool)

    def _point(self, county: str) -> tuple[Decimal, Decimal]:
        centre = self.plan["counties"][county]
        return (
            Decimal(f"{self.rng.gauss(centre['lat'], 0.03):.6f}"),
            Decimal(f"{self.rng.gauss(centre['lon'], 0.03):.6f}"),
        )

    def _address(self, village: Area) -> str:
        township = self.places.names.get(areacode.at_level(village.code, "township"), "")
        if self.places.is_rural(village):
            return f"{township}{short_name(village.name)}{self.rng.randint(1, 12)}组{self.rng.randint(1, 80)}号"
        return (
            f"{township}{short_name(village.name)}{self.rng.randint(1, 40)}号楼"
            f"{self.rng.randint(1, 6)}单元{self.rng.randint(1, 18)}{self.rng.randint(1, 4):02d}室"
        )

    def _facility(self, *, kind: str, name: str, village: Area, ownership: str, profit: str, **extra: Any) -> Facility:
        lat, lon = self._point(areacode.county(village.code))
        legal = "public" if ownership == Facility.Ownership.PUBLIC else profit
        return Facility(
            kind=kind,
            name=name,
            ownership=ownership,
            profit_status=profit,
            area=village,
            uscc=make_uscc(self.rng, legal_form=legal, county_code=areacode.county(village.code)),
            address=self._address(village),
            latitude=lat,
            longitude=lon,
            phone=f"0951-{self.rng.randint(5000000, 8999999)}",
            opened_on=dt.date(self.rng.randint(2005, 2021), self.rng.randint(1, 12), self.rng.randint(1, 28)),
            **extra,
        )

    def facilities(self) -> None:
        f = self.plan["facilities"]
        if f.get("builder") == "annex_2020":
            from laoxiao.demo.annex import build_facilities

            build_facilities(self, f)
            return
        homes = self._care_homes(f)
        centres = self._community_facilities(f)
        childcare = self._childcare(f)
        agency = self._facility(
            kind=FacilityKind.ASSESSMENT_AGENCY,
            name=f"{self.plan['name']}老年人能力评估中心",
            village=self._pick_village(rural=False),
            ownership=Facility.Ownership.PUBLIC,
            profit=Facility.ProfitStatus.NON_PROFIT,
        )
        created = bulk_create_at(homes + centres + childcare + [agency], Facility, self.facility_registered)
        for item in created:
            self.counts[f"facility:{item.kind}"] += 1
        self._staff(
            [
                h
                for h in created
                if h.kind in (FacilityKind.CARE_HOME, FacilityKind.CHILDCARE_CENTER)
                and h.status == Facility.Status.OPERATING
            ]
        )
        self._agreements(
            [h for h in created if h.kind == FacilityKind.CARE_HOME and h.status == Facility.Status.OPERATING]
        )

    def _care_homes(self, f: dict[str, Any]) -> list[Facility]:
        operating = [own for own, n in f["care_homes_operating"].items() for _ in range(n)]
        idle = f["care_homes"] - len(operating)
        ownerships = operating + [Facility.Ownership.PRIVATE] * idle
        statuses = [Facility.Status.OPERATING] * len(operating) + [
            self.rng.choice((Facility.Status.UNDER_CONSTRUCTION, Facility.Status.SUSPENDED)) for _ in range(idle)
        ]
        weights = [self.rng.uniform(400, 700) if own == "public" else self.rng.uniform(60, 450) for own in ownerships]
        beds = allocate(f["beds_total"], weights)
        nursing = allocate(f["beds_nursing"], beds, caps=beds)
        used: set[str] = set()
        used_words: set[tuple[str, str]] = set()  # (county, word): each county's homes get distinct names
        homes = []
        for own, status, b, n in zip(ownerships, statuses, beds, nursing, strict=True):
            village = self._pick_village()
            county = self.places.names[areacode.at_level(village.code, "county")]
            if own == Facility.Ownership.PUBLIC:
                name = f"{county}{'社会福利院' if f'{county}社会福利院' not in used else '中心敬老院'}"
            else:
                word = self.rng.choice([w for w in HOME_WORDS if (county, w) not in used_words] or HOME_WORDS)
                used_words.add((county, word))
                name = f"{county}{word}{self.rng.choice(('养老院', '老年公寓', '颐养中心', '护理院'))}"
            while name in used:
                name = name + "分院"
            used.add(name)
            inclusive = own != Facility.Ownership.PRIVATE or self.rng.random() < 0.4
            homes.append(
                self._facility(
                    kind=FacilityKind.CARE_HOME,
                    name=name,
                    village=village,
                    ownership=own,
                    profit=Facility.ProfitStatus.NON_PROFIT
                    if own != "private" or self.rng.random() < 0.6
                    else Facility.ProfitStatus.FOR_PROFIT,
                    status=status,
                    is_inclusive=inclusive,
                    beds_total=b,
                    beds_nursing=n,
                    beds_inclusive=round(b * self.rng.uniform(0.4, 1.0)) if inclusive else 0,
                    beds_occupied=round(b * self.rng.uniform(0.45, 0.75)) if status == Facility.Status.OPERATING else 0,
                    floor_area_m2=Decimal(b * self.rng.randint(30, 45)),
                    has_clinic=self.rng.random() < 0.35,
                )
            )
        return homes

    def _community_facilities(self, f: dict[str, Any]) -> list[Facility]:
        communities = [v for vs in self.places.villages.values() for v in vs if not self.places.is_rural(v)]
        villages = [v for vs in self.places.villages.values() for v in vs if self.places.is_rural(v)]
        if len(communities) < f["community_centers"] or len(villages) < f["rural_happiness_houses"]:
            raise DemoError("the city has fewer communities or villages than the document's facilities")
        made = []
        for area in self.rng.sample(communities, f["community_centers"]):
            made.append(
                self._facility(
                    kind=FacilityKind.COMMUNITY_CENTER,
                    name=f"{short_name(area.name)}社区养老服务中心",
                    village=area,
                    ownership=self.rng.choice(
                        (Facility.Ownership.PUBLIC_BUILT_PRIVATE_RUN,) * 3 + (Facility.Ownership.PUBLIC,)
                    ),
                    profit=Facility.ProfitStatus.NON_PROFIT,
                    is_inclusive=True,
                    floor_area_m2=Decimal(self.rng.randint(200, 1500)),
                )
            )
        for area in self.rng.sample(villages, f["rural_happiness_houses"]):
            made.append(
                self._facility(
                    kind=FacilityKind.RURAL_HAPPINESS_HOUSE,
                    name=f"{short_name(area.name)}农村幸福院",
                    village=area,
                    ownership=Facility.Ownership.PUBLIC,
                    profit=Facility.ProfitStatus.NON_PROFIT,
                    is_inclusive=True,
                    floor_area_m2=Decimal(self.rng.randint(100, 400)),
                )
            )
        return made

    def _childcare(self, f: dict[str, Any]) -> list[Facility]:
        count = f["childcare_centers_filed"]
        places = allocate(f["childcare_places"], [self.rng.uniform(20, 110) for _ in range(count)])
        # Mark centres inclusive, largest share first, until their places can hold the inclusive total.
        order = self.rng.sample(range(count), count)
        inclusive_ids: list[int] = []
        for i in order:
            if sum(places[j] for j in inclusive_ids) >= f["childcare_places_inclusive"] * 1.3:
                break
            inclusive_ids.append(i)
        caps = [places[i] if i in inclusive_ids else 0 for i in range(count)]
        inclusive = allocate(f["childcare_places_inclusive"], [c * self.rng.uniform(0.5, 1) for c in caps], caps=caps)
        made = []
        for i in range(count):
            village = self._pick_village(rural=False)
            public = i < 5
            county = self.places.names[areacode.at_level(village.code, "county")]
            name = f"{county}{self.rng.choice(CHILDCARE_WORDS)}托育中心（{short_name(village.name)}）"
            made.append(
                self._facility(
                    kind=FacilityKind.CHILDCARE_CENTER,
                    name=name,
                    village=village,
                    ownership=Facility.Ownership.PUBLIC if public else Facility.Ownership.PRIVATE,
                    profit=Facility.ProfitStatus.NON_PROFIT
                    if public or self.rng.random() < 0.3
                    else Facility.ProfitStatus.FOR_PROFIT,
                    is_inclusive=inclusive[i] > 0,
                    places_total=places[i],
                    places_inclusive=inclusive[i],
                    enrolled=round(places[i] * self.rng.uniform(0.5, 0.9)),
                    filing_status=Facility.FilingStatus.FILED,
                    filed_on=dt.date(self.rng.randint(2020, 2022), self.rng.randint(1, 12), self.rng.randint(1, 28)),
                    floor_area_m2=Decimal(places[i] * self.rng.randint(8, 14)),
                )
            )
        return made

    def _staff(self, facilities: list[Facility]) -> None:
        members: list[StaffMember] = []
        for facility in facilities:
            if facility.kind == FacilityKind.CARE_HOME:
                roles = (
                    [StaffRole.DIRECTOR]
                    + [StaffRole.CAREGIVER] * max(2, facility.beds_occupied // 5)
                    + [StaffRole.NURSE] * (facility.beds_nursing // 40 + 1)
                    + [StaffRole.SOCIAL_WORKER] * self.rng.randint(0, 2)
                    + ([StaffRole.DOCTOR] if facility.has_clinic else [])
                    + [StaffRole.COOK]
                )
            else:
                roles = (
                    [StaffRole.DIRECTOR]
                    + [StaffRole.NURSERY_TEACHER] * (facility.enrolled // 7 + 1)
                    + [StaffRole.INFANT_CARER] * (facility.enrolled // 15 + 1)
                    + [StaffRole.HEALTH_STAFF, StaffRole.COOK]
                )
            for role in roles:
                female = self.rng.random() < (0.85 if role != StaffRole.DIRECTOR else 0.6)
                birth = self._birth(self.rng.randint(22, 58))
                member = StaffMember(
                    facility=facility,
                    name=person_name(self.rng, female=female, birth_year=birth.year),
                    role=role,
                    hired_on=self.today - dt.timedelta(days=self.rng.randint(30, 3650)),
                    **sealed("id_number", self.ids.make(areacode.county(facility.area_id), birth, female=female)),
                )
                members.append(member)
        members = bulk_create_at(members, StaffMember, lambda m: self.on(m.hired_on), batch_size=2000)
        self.counts["staff"] = len(members)
        certificates, trainings = [], []
        licence: dict[str, tuple[str, float]] = {
            StaffRole.CAREGIVER: (Certificate.Kind.CAREGIVER, 0.75),
            StaffRole.NURSE: (Certificate.Kind.NURSE, 1.0),
            StaffRole.DOCTOR: (Certificate.Kind.DOCTOR, 1.0),
            StaffRole.SOCIAL_WORKER: (Certificate.Kind.SOCIAL_WORKER, 0.8),
            StaffRole.NURSERY_TEACHER: (Certificate.Kind.NURSERY_TEACHER, 0.85),
            StaffRole.INFANT_CARER: (Certificate.Kind.INFANT_CARER, 0.8),
        }
        levels = [Certificate.Level.JUNIOR] * 6 + [Certificate.Level.INTERMEDIATE] * 3 + [Certificate.Level.SENIOR]
        for member in members:
            kind, rate = licence.get(member.role, ("", 0))
            if kind and self.rng.random() < rate:
                issued = self.today - dt.timedelta(days=self.rng.randint(60, 2500))
                levelled = kind in (
                    Certificate.Kind.CAREGIVER,
                    Certificate.Kind.NURSERY_TEACHER,
                    Certificate.Kind.INFANT_CARER,
                )
                certificates.append(
                    Certificate(
                        staff=member,
                        kind=kind,
                        level=self.rng.choice(levels) if levelled else "",
                        number=f"{self.rng.randint(10**15, 10**16 - 1)}",
                        issued_on=issued,
                        expires_on=issued + dt.timedelta(days=365 * self.rng.choice((3, 4, 5))) if levelled else None,
                    )
                )
            for _ in range(self.rng.randint(0, 2)):
                trainings.append(
                    TrainingRecord(
                        staff=member,
                        course=self.rng.choice(
                            ("失能老人照护实务", "消防安全培训", "婴幼儿回应性照护", "急救技能培训", "食品安全培训")
                        ),
                        hours=Decimal(self.rng.choice((8, 16, 24, 40))),
                        organiser="银川市民政局",
                        completed_on=self.today - dt.timedelta(days=self.rng.randint(10, 900)),
                    )
                )
        self.counts["certificates"] = len(
            bulk_create_at(certificates, Certificate, lambda c: self.on(c.issued_on), batch_size=2000)
        )
        self.counts["trainings"] = len(
            bulk_create_at(trainings, TrainingRecord, lambda t: self.on(t.completed_on), batch_size=2000)
        )

    def _agreements(self, homes: list[Facility]) -> None:
        rows = []
        for home in homes:
            county = self.places.names[areacode.at_level(home.area_id, "county")]
            if home.has_clinic:
                rows.append(
                    MedicalCareAgreement(
                        facility=home,
                        kind=MedicalCareAgreement.Kind.ON_SITE,
                        partner_name=f"{home.name}医务室",
                        signed_on=home.opened_on or self.today,
                    )
                )
            elif self.rng.random() < 0.8:
                signed = self.today - dt.timedelta(days=self.rng.randint(30, 1400))
                rows.append(
                    MedicalCareAgreement(
                        facility=home,
                        kind=MedicalCareAgreement.Kind.SIGNED,
                        partner_name=self.rng.choice(
                            (f"{county}人民医院", f"{county}中医医院", f"{county}社区卫生服务中心")
                        ),
                        signed_on=signed,
                        expires_on=signed + dt.timedelta(days=365 * 3),
                    )
                )
        self.counts["medical_agreements"] = len(
            bulk_create_at(rows, MedicalCareAgreement, lambda a: self.on(a.signed_on))
        )

    # --- people --------------------------------------------------------------------------------

    def _birth(self, age: int) -> dt.date:
        """A birth date giving exactly `age` completed years today."""
        latest = (
            self.today.replace(year=self.today.year - age)
            if not (self.today.month == 2 and self.today.day == 29)
            else dt.date(self.today.year - age, 2, 28)
        )
        return latest - dt.timedelta(days=self.rng.randint(0, 364))

    def _elderly_age(self) -> int:
        bands = self.plan["elderly_age_bands"]
        low, high, _ = self.rng.choices(bands, weights=[b[2] for b in bands])[0]
        return self.rng.randint(low, high)

    def _phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randint(0, 99_999_999):08d}"

    def registered(self, first: dt.date, last: dt.date | None = None) -> dt.datetime:
        """When a record was entered: a working hour between `first` (at most ten years back) and `last`
        (default yesterday), never later than now."""
        last = last or self.today - dt.timedelta(days=1)
        first = min(last, max(first, self.today - dt.timedelta(days=3650)))
        day = first + dt.timedelta(days=self.clock_rng.randint(0, (last - first).days))
        return min(moment(day, self.clock_rng.randint(8, 17), self.clock_rng.randint(0, 59)), timezone.now())

    def on(self, day: dt.date) -> dt.datetime:
        """A working hour of `day` (a record dated that day was entered then), never later than now."""
        return self.registered(day, day)

    def facility_registered(self, facility: Facility) -> dt.datetime:
        """A facility entered the registry when it was filed or opened."""
        return self.on(facility.filed_on or facility.opened_on or self.today)

    def people(self) -> None:
        pop = self.plan["population"]
        total = pop["resident_total"]
        elderly_total = round(total * pop["share_60_plus"] * self.scale)
        infants_total = round(round(total * pop["births_per_1000"] / 1000) * 3 * self.scale)
        villages = [v for c in self.places.counties for v in self.places.villages[areacode.county(c.code)]]
        weights = [
            self.county_totals[areacode.county(v.code)]
            / len(self.places.villages[areacode.county(v.code)])
            * self.rng.uniform(0.6, 1.4)
            for v in villages
        ]
        elderly = allocate(elderly_total, weights)
        infants = allocate(infants_total, weights)
        batch = Batch(self)
        for village, n_elderly, n_infants in zip(villages, elderly, infants, strict=True):
            self._elderly_households(batch, village, n_elderly)
            for _ in range(n_infants):
                self._infant_family(batch, village)
            if batch.size() >= CHUNK:
                batch.flush()
        batch.flush()

    def _elderly_households(self, batch: Batch, village: Area, count: int) -> None:
        household_rates = self.plan["household"]
        while count > 0:
            couple = count >= 2 and self.rng.random() < household_rates["couple_share"]
            household: dict[str, Any] = {"area_id": village.code, "address": self._address(village)}
            if couple:
                husband_age = self._elderly_age()
                wife_age = max(60, husband_age - self.rng.randint(0, 5))
                flags = {"empty_nest": self.rng.random() < household_rates["couple_empty_nest"]}
                members = [
                    (husband_age, False, Person.HouseholdRelation.HEAD),
                    (wife_age, True, Person.HouseholdRelation.SPOUSE),
                ]
            else:
                age = self._elderly_age()
                female = self.rng.random() < min(0.75, 0.5 + 0.006 * (age - 60))
                flags = {"living_alone": self.rng.random() < household_rates["single_living_alone"]}
                members = [(age, female, Person.HouseholdRelation.HEAD)]
            # entered in the registry once the younger reached 60 (or when the registry began)
            youngest = min(age for age, _, _ in members)
            household["created_at"] = self.registered(self.today - dt.timedelta(days=365 * (youngest - 60) + 364))
            batch.households.append(household)
            for age, female, relation in members:
                person = self._person(village, age, female, household, relation, phone=self.rng.random() < 0.85)
                batch.add_person(person, household, self._profile(village, age, flags))
            count -= len(members)

    def _profile(self, village: Area, age: int, flags: dict[str, bool]) -> dict[str, Any]:
        rates = self.plan["category_rates"]
        frailty = 0.5 + max(0, age - 60) / 12  # prevalence of disability and dementia rises with age
        profile: dict[str, Any] = dict(flags)
        rural = self.places.is_rural(village)
        for category, rate in rates.items():
            if category == "left_behind" and not rural:
                continue
            factor = frailty if category in ("disabled", "dementia", "severe_disability") else 1
            if self.rng.random() < rate * factor * (2 if category == "left_behind" else 1):
                profile[category] = True
        if profile.get("subsistence_allowance"):
            profile.pop("near_subsistence", None)
        if profile.get("disabled"):
            profile["ability_level"] = self.rng.choice((2, 3, 3, 4))
        elif profile.get("dementia"):
            profile["ability_level"] = self.rng.choice((2, 3))
        elif self.rng.random() < 0.25:
            profile["ability_level"] = self.rng.choice((0, 0, 0, 1))
        return profile

    def _person(
        self,
        village: Area,
        age: int,
        female: bool,
        household: dict[str, Any],
        relation: str,
        *,
        phone: bool,
        birth: dt.date | None = None,
    ) -> dict[str, Any]:
        birth = birth or self._birth(age)
        lat, lon = self._point(areacode.county(village.code))
        return {
            "name": person_name(self.rng, female=female, birth_year=birth.year),
            "birth_date": birth,
            "sex": "2" if female else "1",
            "area_id": village.code,
            "address": household["address"],
            "latitude": lat,
            "longitude": lon,
            "household_relation": relation,
            **sealed("id_number", self.ids.make(areacode.county(village.code), birth, female=female)),
            **sealed("phone", self._phone() if phone else ""),
            "created_at": household["created_at"],
            "updated_at": household["created_at"],
        }

    def _infant_family(self, batch: Batch, village: Area) -> None:
        household: dict[str, Any] = {"area_id": village.code, "address": self._address(village)}
        birth = self.today - dt.timedelta(days=self.rng.randint(0, 3 * 365 - 1))
        household["created_at"] = self.registered(birth, min(birth + dt.timedelta(days=30), self.today))
        mother_age = self.rng.randint(22, 40)
        mother = self._person(village, mother_age, True, household, Person.HouseholdRelation.HEAD, phone=True)
        infant = self._person(
            village, 0, self.rng.random() < 0.48, household, Person.HouseholdRelation.CHILD, phone=False, birth=birth
        )
        batch.households.append(household)
        batch.add_person(mother, household, None)
        batch.add_person(infant, household, None)
        batch.guardians.append((infant, mother, Guardianship.Relation.MOTHER, True))
        if self.rng.random() < 0.85:
            father = self._person(
                village,
                mother_age + self.rng.randint(0, 5),
                False,
                household,
                Person.HouseholdRelation.SPOUSE,
                phone=True,
            )
            batch.add_person(father, household, None)
            batch.guardians.append((infant, father, Guardianship.Relation.FATHER, False))


Row = dict[str, Any]


class Batch:
    """People waiting to be written, with the rows that must follow once they have primary keys."""

    def __init__(self, generator: Generator) -> None:
        self.generator = generator
        self.households: list[Row] = []
        self.people: list[tuple[Row, Row, Row | None]] = []
        self.guardians: list[tuple[Row, Row, str, bool]] = []

    def size(self) -> int:
        return len(self.people)

    def add_person(self, person: Row, household: Row, profile: Row | None) -> None:
        self.people.append((person, household, profile))

    def flush(self) -> None:
        if not self.people:
            return

        def registered(row: Row) -> dt.datetime:
            return row["created_at"]

        with writing():
            insert_with_history(Household, self.households, at=registered)
            for person, household, _ in self.people:
                person["household_id"] = household["id"]
            insert_with_history(Person, [p for p, _, _ in self.people], at=registered)
            profiles, when = [], {}
            for person, _, profile in self.people:
                when[person["id"]] = person["created_at"]
                if profile is not None:
                    profile["person_id"], profile["area_id"] = person["id"], person["area_id"]
                    profiles.append(profile)
            insert_with_history(ElderlyProfile, profiles, at=lambda row: when[row["person_id"]])
            insert_with_history(
                Guardianship,
                [
                    {"infant_id": i["id"], "guardian_id": g["id"], "relation": r, "is_primary": p}
                    for i, g, r, p in self.guardians
                ],
                at=lambda row: when[row["infant_id"]],
            )
        counts = self.generator.counts
        counts["households"] += len(self.households)
        counts["people"] += len(self.people)
        counts["elderly_profiles"] += len(profiles)
        counts["guardianships"] += len(self.guardians)
        self.generator.log(f"people written: {counts['people']}")
        self.households, self.people, self.guardians = [], [], []
