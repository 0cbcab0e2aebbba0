"""The city's calendar months, as the platform names them ("2026-11"): a moment's month and a month's
bounds, both in local time (Asia/Shanghai), so a statement, a visit rate and a formula agree on a month;
and the periods a payment or a report covers ("2026-11", "2026-Q4", "2026")."""

from __future__ import annotations

import datetime as dt
from calendar import monthrange

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def month_of(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m}"


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    """The month's first instant and the next month's, in local time."""
    start = dt.datetime.fromisoformat(f"{month}-01")
    end = (start + dt.timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return start.replace(tzinfo=zone), end.replace(tzinfo=zone)


def period_months(period: str) -> tuple[int, int, int]:
    """The year and first and last month of a period written 2026-11 (month), 2026-Q4 (quarter) or 2026 (year)."""
    try:
        if "-Q" in period:
            year_text, quarter = period.split("-Q")
            year, last = int(year_text), int(quarter) * 3
            first = last - 2
        elif "-" in period:
            year, first = (int(part) for part in period.split("-"))
            last = first
        else:
            year, first, last = int(period), 1, 12
        if not (year >= dt.MINYEAR and 1 <= first <= last <= 12):  # a month or quarter that does not exist
            raise ValueError
    except ValueError:
        raise ValidationError({"period": _("Payment period: write it as 2026-11, 2026-Q4 or 2026.")}) from None
    return year, first, last


def period_end(period: str) -> dt.date:
    """The last day of a period written 2026-11 (month), 2026-Q4 (quarter) or 2026 (year)."""
    year, _first, last = period_months(period)
    return dt.date(year, last, monthrange(year, last)[1])
