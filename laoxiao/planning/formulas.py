"""Every computed indicator, defined once: a function that measures all areas of one level under a root
in a few grouped queries. tests/planning/test_formulas.py pins each formula on a small fixture.

An area is named by its code prefix (4 digits a city, 6 a county, 9 a township). A formula measures
several levels at once from the same queries: every figure is a sum or a count of rows that each lie in
one area, grouped by the longest prefix and added up to the shorter ones. Facility counts
leave out closed and planned facilities; a facility belongs to the areas whose prefix its code starts
with. Denominators of population come from PopulationStat (the latest year not after the date).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr

from laoxiao.core import areacode
from laoxiao.core.models import Area, PopulationStat
from laoxiao.core.months import month_bounds
from laoxiao.core.scope import AreaScope, area_range_q
from laoxiao.facilities.models import CHILDCARE_KINDS, Certificate, Facility, FacilityKind, StaffMember, StaffRole
from laoxiao.homecare.beds import selectors as beds_selectors
from laoxiao.homecare.meals import selectors as meals_selectors
from laoxiao.homecare.visits import selectors as visits_selectors
from laoxiao.people.models import Person


@dataclass(frozen=True)
class Measure:
    value: Decimal | None
    numerator: Decimal
    denominator: Decimal | None  # None for counts


Result = dict[str, Measure]  # area prefix -> measure
Formula = Callable[[AreaScope, tuple[int, ...], dt.date], Result]  # the area, prefix lengths, date
FORMULAS: dict[str, Formula] = {}


def formula(name: str) -> Callable[[Formula], Formula]:
    def register(fn: Formula) -> Formula:
        FORMULAS[name] = fn
        return fn

    return register


Figures = dict[str, dict[str, Any]]  # area prefix -> figure name -> sum or count (None: a sum of nothing)


def _roll_up(rows: Figures, lengths: tuple[int, ...]) -> Figures:
    """Figures by the longest prefix, added up to each of `lengths`, as SQL's SUM would add them."""
    totals: Figures = {}
    for prefix, figures in rows.items():
        for length in lengths:
            into = totals.setdefault(prefix[:length], {})
            for key, value in figures.items():
                into[key] = value if into.get(key) is None else into[key] + (value or 0)
    return totals


def _grouped(queryset: QuerySet, path: str, lengths: tuple[int, ...], **aggregates: object) -> Figures:
    rows = queryset.annotate(prefix=Substr(path, 1, max(lengths))).values("prefix").annotate(**aggregates)  # type: ignore[arg-type]
    return _roll_up({row["prefix"]: {key: row[key] for key in aggregates} for row in rows}, lengths)


def _ratio(numerator: object, denominator: object, scale: int) -> Measure:
    num = Decimal(str(numerator or 0))
    den = Decimal(str(denominator)) if denominator else None
    value = (num / den * scale).quantize(Decimal("0.0001")) if den else None
    return Measure(value=value, numerator=num, denominator=den)


def _count(n: object) -> Measure:
    value = Decimal(str(n or 0))
    return Measure(value=value, numerator=value, denominator=None)


def _facilities(root: str) -> QuerySet[Facility]:
    return Facility.objects.filter(area_range_q("area_id", root)).exclude(
        status__in=(Facility.Status.CLOSED, Facility.Status.PLANNED)
    )


def _population(root: str, lengths: tuple[int, ...], on: dt.date, field: str) -> dict[str, int]:
    """Population by prefix from the statistics of the areas at each level (latest year up to `on`)."""
    length_of = {areacode.LEVEL_OF_LENGTH[length]: length for length in lengths}
    stats = PopulationStat.objects.filter(
        area_range_q("area_id", root), year__lte=on.year, area__level__in=list(length_of)
    )
    best: dict[str, tuple[int, int]] = {}
    for code, year, value, level in stats.values_list("area_id", "year", field, "area__level"):
        prefix = code[: length_of[level]]
        if prefix not in best or year > best[prefix][0]:
            best[prefix] = (year, value)
    return {prefix: value for prefix, (_year, value) in best.items()}


def _share(root: str, lengths: tuple[int, ...], queryset: QuerySet, part: str, whole: str, scale: int = 100) -> Result:
    rows = _grouped(queryset, "area_id", lengths, part=Sum(part), whole=Sum(whole))
    return {p: _ratio(r["part"], r["whole"], scale) for p, r in rows.items()}


@formula("nursing_bed_share")
def nursing_bed_share(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """养老机构护理型床位占比 = nursing beds ÷ beds of care homes × 100."""
    root = scope.prefix
    return _share(root, lengths, _facilities(root).filter(kind=FacilityKind.CARE_HOME), "beds_nursing", "beds_total")


@formula("inclusive_bed_share")
def inclusive_bed_share(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """普惠性养老机构床位占比 = inclusive beds ÷ beds of care homes × 100."""
    root = scope.prefix
    return _share(root, lengths, _facilities(root).filter(kind=FacilityKind.CARE_HOME), "beds_inclusive", "beds_total")


@formula("care_home_occupancy")
def care_home_occupancy(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """养老机构入住率 = occupied beds ÷ beds of operating care homes × 100."""
    root = scope.prefix
    homes = _facilities(root).filter(kind=FacilityKind.CARE_HOME, status=Facility.Status.OPERATING)
    return _share(root, lengths, homes, "beds_occupied", "beds_total")


@formula("inclusive_place_share")
def inclusive_place_share(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """普惠性托位占比 = inclusive places ÷ childcare places × 100."""
    root = scope.prefix
    return _share(root, lengths, _facilities(root).filter(kind__in=CHILDCARE_KINDS), "places_inclusive", "places_total")


def _per_population(
    root: str,
    lengths: tuple[int, ...],
    on: dt.date,
    queryset: QuerySet,
    field: str,
    population: str,
    path: str = "area_id",
) -> Result:
    sums = _grouped(queryset, path, lengths, n=Sum(field) if field != "id" else Count("id"))
    people = _population(root, lengths, on, population)
    return {p: _ratio(sums.get(p, {}).get("n", 0), people.get(p), 1000) for p in set(sums) | set(people)}


@formula("childcare_places_per_1000")
def childcare_places_per_1000(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """每千人口拥有3岁以下婴幼儿托位数 = childcare places ÷ resident population (all ages) × 1000."""
    root = scope.prefix
    places = _facilities(root).filter(kind__in=CHILDCARE_KINDS)
    return _per_population(root, lengths, on, places, "places_total", "resident_total")


@formula("beds_per_1000_elderly")
def beds_per_1000_elderly(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """每千名老年人养老床位数 = care-home beds ÷ residents aged 60+ × 1000."""
    root = scope.prefix
    homes = _facilities(root).filter(kind=FacilityKind.CARE_HOME)
    return _per_population(root, lengths, on, homes, "beds_total", "aged_60_plus")


@formula("social_workers_per_1000_elderly")
def social_workers_per_1000_elderly(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """每千名老年人配套社会工作者人数 = social workers on staff ÷ residents aged 60+ × 1000."""
    root = scope.prefix
    workers = _staff(root, on).filter(role=StaffRole.SOCIAL_WORKER)
    return _per_population(root, lengths, on, workers, "id", "aged_60_plus", path="facility__area_id")


@formula("filed_childcare_centres")
def filed_childcare_centres(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """登记备案的托育机构数 = childcare providers with a filing."""
    root = scope.prefix
    filed = _facilities(root).filter(kind__in=CHILDCARE_KINDS, filing_status=Facility.FilingStatus.FILED)
    return {p: _count(r["n"]) for p, r in _grouped(filed, "area_id", lengths, n=Count("id")).items()}


def _covered(root: str, lengths: tuple[int, ...], facilities: QuerySet, unit_length: int, unit_filter: Q) -> Result:
    """Share of units (townships or villages) under each area that hold at least one such facility."""
    units = Area.objects.filter(area_range_q("code", root)).filter(unit_filter)
    totals: dict[str, int] = defaultdict(int)
    for code in units.values_list("code", flat=True):
        for length in lengths:
            totals[code[:length]] += 1
    covered: dict[str, set[str]] = defaultdict(set)
    for code in facilities.values_list("area_id", flat=True):
        for length in lengths:
            covered[code[:length]].add(code[:unit_length])
    return {p: _ratio(len(covered.get(p, ())), total, 100) for p, total in totals.items()}


TOWNSHIPS = Q(level=Area.Level.TOWNSHIP)
COMMUNITIES = Q(level=Area.Level.VILLAGE, code__regex=r"^[0-9]{9}[01][0-9]{2}$")  # 居委会: 001–199
RURAL_VILLAGES = Q(level=Area.Level.VILLAGE, code__regex=r"^[0-9]{9}[2-9][0-9]{2}$")  # 村委会: 200 and up


@formula("township_centre_coverage")
def township_centre_coverage(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """乡镇(街道)综合养老服务中心覆盖率 = townships with a community elderly-service centre ÷ townships."""
    root = scope.prefix
    centres = _facilities(root).filter(kind=FacilityKind.COMMUNITY_CENTER)
    return _covered(root, lengths, centres, 9, TOWNSHIPS)


@formula("community_day_care_coverage")
def community_day_care_coverage(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """社区日间照料机构覆盖率 = communities (居委会) with a community centre or day-care centre ÷ communities."""
    root = scope.prefix
    places = _facilities(root).filter(kind__in=(FacilityKind.COMMUNITY_CENTER, FacilityKind.DAY_CARE_CENTER))
    return _covered(root, lengths, places, 12, COMMUNITIES)


@formula("rural_happiness_house_coverage")
def rural_happiness_house_coverage(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """农村幸福院村覆盖率 = villages (村委会) with a rural happiness house ÷ villages."""
    root = scope.prefix
    houses = _facilities(root).filter(kind=FacilityKind.RURAL_HAPPINESS_HOUSE)
    return _covered(root, lengths, houses, 12, RURAL_VILLAGES)


@formula("township_inclusive_childcare_coverage")
def township_inclusive_childcare_coverage(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """乡镇(街道)普惠性托育点覆盖率 = townships with an inclusive childcare provider ÷ townships."""
    root = scope.prefix
    points = _facilities(root).filter(kind__in=CHILDCARE_KINDS, is_inclusive=True)
    return _covered(root, lengths, points, 9, TOWNSHIPS)


@formula("community_childcare_coverage")
def community_childcare_coverage(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """社区托育服务覆盖面 = communities (居委会) with a childcare provider ÷ communities."""
    root = scope.prefix
    return _covered(root, lengths, _facilities(root).filter(kind__in=CHILDCARE_KINDS), 12, COMMUNITIES)


@formula("medical_care_integration_share")
def medical_care_integration_share(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """具备医养结合能力的养老机构占比 = operating care homes with a clinic or an agreement in force
    ÷ operating care homes."""
    root = scope.prefix
    homes = _facilities(root).filter(kind=FacilityKind.CARE_HOME, status=Facility.Status.OPERATING)
    in_force = Q(medical_agreements__signed_on__lte=on) & (
        Q(medical_agreements__expires_on__isnull=True) | Q(medical_agreements__expires_on__gte=on)
    )
    able = homes.filter(Q(has_clinic=True) | in_force).distinct()
    whole = _grouped(homes, "area_id", lengths, n=Count("id"))
    part = _grouped(able, "area_id", lengths, n=Count("id", distinct=True))
    return {p: _ratio(part.get(p, {}).get("n", 0), r["n"], 100) for p, r in whole.items()}


@formula("tekun_disabled_centralised_rate")
def tekun_disabled_centralised_rate(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """生活不能自理特困人员集中供养率 = tekun elderly unable to care for themselves (失能 or level 2+)
    living in an institution ÷ all such."""
    root = scope.prefix
    dependent = Person.objects.filter(
        area_range_q("area_id", root), status=Person.Status.ACTIVE, elderly_profile__extreme_poverty=True
    ).filter(Q(elderly_profile__disabled=True) | Q(elderly_profile__ability_level__gte=2))
    whole = _grouped(dependent, "area_id", lengths, n=Count("id"), housed=Count("id", filter=Q(facility__isnull=False)))
    return {p: _ratio(r["housed"], r["n"], 100) for p, r in whole.items()}


def _staff(root: str, on: dt.date) -> QuerySet[StaffMember]:
    return StaffMember.objects.filter(area_range_q("facility__area_id", root), hired_on__lte=on).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=on)
    )


def _staff_count(lengths: tuple[int, ...], staff: QuerySet) -> Result:
    return {p: _count(r["n"]) for p, r in _grouped(staff, "facility__area_id", lengths, n=Count("id")).items()}


@formula("caregiver_talent")
def caregiver_talent(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """养老护理专业人才数 = caregivers on the staff of elderly-care facilities."""
    root = scope.prefix
    return _staff_count(lengths, _staff(root, on).filter(role=StaffRole.CAREGIVER))


@formula("childcare_talent")
def childcare_talent(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """托育服务专业人才数 = nursery teachers, infant carers and health staff of childcare providers."""
    root = scope.prefix
    roles = (StaffRole.NURSERY_TEACHER, StaffRole.INFANT_CARER, StaffRole.HEALTH_STAFF)
    return _staff_count(lengths, _staff(root, on).filter(role__in=roles, facility__kind__in=CHILDCARE_KINDS))


CERTIFIED_ROLES = {
    StaffRole.CAREGIVER: Certificate.Kind.CAREGIVER,
    StaffRole.NURSERY_TEACHER: Certificate.Kind.NURSERY_TEACHER,
    StaffRole.INFANT_CARER: Certificate.Kind.INFANT_CARER,
}


@formula("certified_rate")
def certified_rate(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """从业人员持证上岗率 = caregivers, nursery teachers and infant carers holding their role's certificate
    in force ÷ those staff × 100."""
    root = scope.prefix
    staff = _staff(root, on).filter(role__in=list(CERTIFIED_ROLES))
    holding = Q()
    for role, kind in CERTIFIED_ROLES.items():
        holding |= Q(role=role, certificates__kind=kind, certificates__issued_on__lte=on) & (
            Q(certificates__expires_on__isnull=True) | Q(certificates__expires_on__gte=on)
        )
    whole = _grouped(staff, "facility__area_id", lengths, n=Count("id"))
    part = _grouped(staff.filter(holding).distinct(), "facility__area_id", lengths, n=Count("id", distinct=True))
    return {p: _ratio(part.get(p, {}).get("n", 0), r["n"], 100) for p, r in whole.items()}


def measures(formula_name: str, *, scope: AreaScope, levels: Sequence[str], on: dt.date) -> Result:
    """The measure for every area of each of `levels` under (or equal to) the scope's area, keyed by code
    prefix (the prefixes of two levels differ in length), from one set of queries for all the levels."""
    lengths = tuple(areacode.LENGTH[level] for level in levels)
    return FORMULAS[formula_name](scope, lengths, on)


def measure(formula_name: str, *, scope: AreaScope, level: str, on: dt.date) -> Result:
    """The measure for every area of `level` under (or equal to) the scope's area, keyed by code prefix."""
    return measures(formula_name, scope=scope, levels=[level], on=on)


@formula("special_elderly_monthly_visit_rate")
def special_elderly_monthly_visit_rate(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """特殊困难老年人月探访率 = visits done ÷ visits due under the visit plans, in the latest whole month up
    to `on`; a person's visits beyond their due do not count for another's missed ones."""
    counts = visits_selectors.visit_counts_by_prefix(scope, max(lengths), visits_selectors.latest_whole_month(on))
    rows = _roll_up({p: {"done": done, "due": due} for p, (done, due) in counts.items()}, lengths)
    return {p: _ratio(r["done"], r["due"], 100) for p, r in rows.items()}


@formula("home_adaptations")
def home_adaptations(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """居家适老化改造户数 = homes (home care beds) with an adaptation completed by `on`."""
    homes = beds_selectors.adapted_homes_by_prefix(scope, max(lengths), on)  # a home lies in one area: counts add up
    return {p: _count(r["n"]) for p, r in _roll_up({p: {"n": n} for p, n in homes.items()}, lengths).items()}


@formula("meals_served")
def meals_served(scope: AreaScope, lengths: tuple[int, ...], on: dt.date) -> Result:
    """老年助餐服务人次 = meals served by meal points in the latest whole month up to `on`."""
    start, end = month_bounds(visits_selectors.latest_whole_month(on))
    meals = meals_selectors.meals_by_prefix(scope, max(lengths), start.date(), end.date())
    return {p: _count(r["n"]) for p, r in _roll_up({p: {"n": n} for p, n in meals.items()}, lengths).items()}
