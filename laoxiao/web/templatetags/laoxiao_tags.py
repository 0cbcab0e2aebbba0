from typing import Any

from django import template
from django.utils import dateformat, timezone

from laoxiao.core.identifiers import age_on

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """mapping[key] in a template (counts and labels keyed by status)."""
    try:
        return mapping.get(key) if hasattr(mapping, "get") else mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.filter(name="age_on")
def age_on_filter(birth_date: Any, today: Any) -> int | str:
    """Age in whole years on `today` (the list's date, so every row counts from the same day)."""
    return age_on(birth_date, today) if birth_date and today else ""


@register.filter
def short_day(day: Any) -> str:
    """ "12-01" in the city's current year, "2025-12-01" in any other: a ledger spans the turn of a year."""
    if not day:
        return ""
    return dateformat.format(day, "m-d" if day.year == timezone.localdate().year else "Y-m-d")
