"""The city's calendar months, as the platform names them ("2026-11"): a moment's month and a month's
bounds, both in local time (Asia/Shanghai), so a statement, a visit rate and a formula agree on a month."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def month_of(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m}"


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    """The month's first instant and the next month's, in local time."""
    start = dt.datetime.fromisoformat(f"{month}-01")
    end = (start + dt.timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return start.replace(tzinfo=zone), end.replace(tzinfo=zone)
