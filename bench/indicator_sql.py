"""Every indicator of planning/formulas.py written again by hand in SQL: the baseline of bench/indicators.py,
and the second opinion tests/city/test_indicators_city.py holds every formula to, area by area.

Each statement gives rows of (code prefix, numerator, denominator) for one level: a denominator of NULL
for a count. It runs on SQLite and PostgreSQL alike; its parameters come from `parameters()`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

LIVE = "f.status NOT IN ('closed', 'planned') AND f.area_id BETWEEN %(low)s AND %(high)s"
CHILDCARE = "f.kind IN ('childcare_center', 'nursery_class', 'home_childcare_point')"
STAFF_ON = (
    "s.hired_on <= %(on)s AND (s.left_on IS NULL OR s.left_on > %(on)s) AND f.area_id BETWEEN %(low)s AND %(high)s"
)


def _share(where: str, part: str, whole: str) -> str:
    return f"""SELECT SUBSTR(f.area_id, 1, %(length)s) p, SUM(f.{part}), SUM(f.{whole})
        FROM facilities_facility f WHERE {LIVE} AND {where} GROUP BY p"""


def _count(where: str) -> str:
    return f"""SELECT SUBSTR(f.area_id, 1, %(length)s) p, COUNT(*), NULL
        FROM facilities_facility f WHERE {LIVE} AND {where} GROUP BY p"""


def _population(column: str) -> str:
    """The statistic of the level's area of each prefix, its latest year up to the date."""
    return f"""SELECT SUBSTR(ps.area_id, 1, %(length)s) p, NULL n, ps.{column} d
        FROM core_populationstat ps JOIN core_area a ON a.code = ps.area_id
        WHERE a.level = %(level)s AND ps.area_id BETWEEN %(low)s AND %(high)s
        AND ps.year = (SELECT MAX(y.year) FROM core_populationstat y
            WHERE y.area_id = ps.area_id AND y.year <= %(year)s)"""


def _per_population(figures: str, column: str) -> str:
    return f"SELECT p, SUM(n), SUM(d) FROM ({figures} UNION ALL {_population(column)}) t GROUP BY p"


def _covered(facilities: str, unit_length: int, units: str) -> str:
    """Units under each prefix holding such a facility ÷ units under it."""
    return f"""SELECT u.p, COALESCE(c.n, 0), u.n FROM
        (SELECT SUBSTR(code, 1, %(length)s) p, COUNT(*) n FROM core_area
         WHERE code BETWEEN %(low)s AND %(high)s AND {units} GROUP BY p) u
        LEFT JOIN (SELECT SUBSTR(f.area_id, 1, %(length)s) p, COUNT(DISTINCT SUBSTR(f.area_id, 1, {unit_length})) n
         FROM facilities_facility f WHERE {LIVE} AND {facilities} GROUP BY p) c ON c.p = u.p"""


TOWNSHIPS = "level = 'township'"
COMMUNITIES = "level = 'village' AND SUBSTR(code, 10, 1) IN ('0', '1')"  # 居委会: 001–199
RURAL_VILLAGES = "level = 'village' AND SUBSTR(code, 10, 1) NOT IN ('0', '1')"  # 村委会: 200 and up
IN_FORCE = "{t}.issued_on <= %(on)s AND ({t}.expires_on IS NULL OR {t}.expires_on >= %(on)s)"

HAND_SQL: dict[str, str] = {
    "nursing_bed_share": _share("f.kind = 'care_home'", "beds_nursing", "beds_total"),
    "inclusive_bed_share": _share("f.kind = 'care_home'", "beds_inclusive", "beds_total"),
    "care_home_occupancy": _share("f.kind = 'care_home' AND f.status = 'operating'", "beds_occupied", "beds_total"),
    "inclusive_place_share": _share(CHILDCARE, "places_inclusive", "places_total"),
    "childcare_places_per_1000": _per_population(
        f"SELECT SUBSTR(f.area_id, 1, %(length)s) p, f.places_total n, NULL d FROM facilities_facility f "
        f"WHERE {LIVE} AND {CHILDCARE}",
        "resident_total",
    ),
    "beds_per_1000_elderly": _per_population(
        f"SELECT SUBSTR(f.area_id, 1, %(length)s) p, f.beds_total n, NULL d FROM facilities_facility f "
        f"WHERE {LIVE} AND f.kind = 'care_home'",
        "aged_60_plus",
    ),
    "social_workers_per_1000_elderly": _per_population(
        "SELECT SUBSTR(f.area_id, 1, %(length)s) p, 1 n, NULL d FROM facilities_staffmember s "
        f"JOIN facilities_facility f ON f.id = s.facility_id WHERE {STAFF_ON} AND s.role = 'social_worker'",
        "aged_60_plus",
    ),
    "filed_childcare_centres": _count(f"{CHILDCARE} AND f.filing_status = 'filed'"),
    "township_centre_coverage": _covered("f.kind = 'community_center'", 9, TOWNSHIPS),
    "community_day_care_coverage": _covered("f.kind IN ('community_center', 'day_care_center')", 12, COMMUNITIES),
    "rural_happiness_house_coverage": _covered("f.kind = 'rural_happiness_house'", 12, RURAL_VILLAGES),
    "township_inclusive_childcare_coverage": _covered(f"{CHILDCARE} AND f.is_inclusive", 9, TOWNSHIPS),
    "community_childcare_coverage": _covered(CHILDCARE, 12, COMMUNITIES),
    "medical_care_integration_share": f"""SELECT SUBSTR(f.area_id, 1, %(length)s) p,
        SUM(CASE WHEN f.has_clinic OR EXISTS (SELECT 1 FROM facilities_medicalcareagreement m
            WHERE m.facility_id = f.id AND m.signed_on <= %(on)s AND (m.expires_on IS NULL OR m.expires_on >= %(on)s))
            THEN 1 ELSE 0 END), COUNT(*)
        FROM facilities_facility f WHERE {LIVE} AND f.kind = 'care_home' AND f.status = 'operating' GROUP BY p""",
    "tekun_disabled_centralised_rate": """SELECT SUBSTR(p.area_id, 1, %(length)s) pre,
        SUM(CASE WHEN p.facility_id IS NOT NULL THEN 1 ELSE 0 END), COUNT(*)
        FROM people_person p JOIN people_elderlyprofile e ON e.person_id = p.id
        WHERE p.status = 'active' AND e.extreme_poverty AND (e.disabled OR e.ability_level >= 2)
        AND p.area_id BETWEEN %(low)s AND %(high)s GROUP BY pre""",
    "caregiver_talent": f"""SELECT SUBSTR(f.area_id, 1, %(length)s) p, COUNT(*), NULL
        FROM facilities_staffmember s JOIN facilities_facility f ON f.id = s.facility_id
        WHERE {STAFF_ON} AND s.role = 'caregiver' GROUP BY p""",
    "childcare_talent": f"""SELECT SUBSTR(f.area_id, 1, %(length)s) p, COUNT(*), NULL
        FROM facilities_staffmember s JOIN facilities_facility f ON f.id = s.facility_id
        WHERE {STAFF_ON} AND s.role IN ('nursery_teacher', 'infant_carer', 'health_staff') AND {CHILDCARE}
        GROUP BY p""",
    "certified_rate": f"""SELECT SUBSTR(f.area_id, 1, %(length)s) p,
        SUM(CASE WHEN EXISTS (SELECT 1 FROM facilities_certificate c WHERE c.staff_id = s.id AND c.kind = s.role
            AND {IN_FORCE.format(t="c")}) THEN 1 ELSE 0 END), COUNT(*)
        FROM facilities_staffmember s JOIN facilities_facility f ON f.id = s.facility_id
        WHERE {STAFF_ON} AND s.role IN ('caregiver', 'nursery_teacher', 'infant_carer') GROUP BY p""",
    "special_elderly_monthly_visit_rate": """SELECT SUBSTR(vp.area_id, 1, %(length)s) p,
        SUM(CASE WHEN COALESCE(v.n, 0) < vp.visits_per_month THEN COALESCE(v.n, 0) ELSE vp.visits_per_month END),
        SUM(vp.visits_per_month)
        FROM homecare_visitplan vp LEFT JOIN (SELECT plan_id, COUNT(*) n FROM homecare_visit
            WHERE visited_at >= %(month_start)s AND visited_at < %(month_end)s GROUP BY plan_id) v ON v.plan_id = vp.id
        WHERE vp.area_id BETWEEN %(low)s AND %(high)s AND vp.starts_on < %(month_end_day)s
        AND (vp.ends_on IS NULL OR vp.ends_on >= %(month_start_day)s) GROUP BY p""",
    "home_adaptations": """SELECT SUBSTR(b.area_id, 1, %(length)s) p, COUNT(DISTINCT b.id), NULL
        FROM homecare_homecarebed b JOIN homecare_adaptation a ON a.bed_id = b.id
        WHERE a.completed_on <= %(on)s AND b.area_id BETWEEN %(low)s AND %(high)s GROUP BY p""",
    "meals_served": """SELECT SUBSTR(f.area_id, 1, %(length)s) p, COUNT(*), NULL
        FROM homecare_meal m JOIN facilities_facility f ON f.id = m.point_id
        WHERE m.served_on >= %(month_start_day)s AND m.served_on < %(month_end_day)s
        AND f.area_id BETWEEN %(low)s AND %(high)s GROUP BY p""",
}


def parameters(connection: Any, *, root: str, level: str, on: dt.date) -> dict[str, Any]:
    """The statements' parameters for the areas of `level` under the prefix `root` on the date `on`."""
    from laoxiao.core import areacode
    from laoxiao.core.months import month_bounds
    from laoxiao.homecare.visits.selectors import latest_whole_month

    start, end = month_bounds(latest_whole_month(on))
    return {
        "length": areacode.LENGTH[level],
        "level": level,
        "low": root.ljust(12, "0"),
        "high": root.ljust(12, "9"),
        "on": on,
        "year": on.year,
        "month_start": connection.ops.adapt_datetimefield_value(start),
        "month_end": connection.ops.adapt_datetimefield_value(end),
        "month_start_day": start.date(),
        "month_end_day": end.date(),
    }
