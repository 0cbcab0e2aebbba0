"""All arithmetic on area codes, in one place.

An area code is the 12-digit 统计用区划代码: 2 digits of province, 2 of city, 2 of county (区县), 3 of
township (街道/乡镇) and 3 of village (社区/村). An area's prefix is its code cut at its level; every code
that starts with it lies within it. A prefix padded with zeros is the area's own code.
"""

from __future__ import annotations

from django.db.models import Func
from django.db.models.functions import Substr

LENGTH = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}
CODE_LENGTH = 12


def prefix(code: str, level: str) -> str:
    """The code cut at its level: what every code within the area starts with."""
    return code[: LENGTH[level]]


def code_of(prefix: str) -> str:
    """The code of the area a prefix names."""
    return prefix.ljust(CODE_LENGTH, "0")


def last_code(prefix: str) -> str:
    """The highest code within a prefix, the upper end of its range."""
    return prefix.ljust(CODE_LENGTH, "9")


def county(code: str) -> str:
    """The prefix of the county a code lies in (the code's own prefix where it is above a county)."""
    return code[: LENGTH["county"]]


def at_level(code: str, level: str) -> str:
    """The code of the area at `level` that `code` lies in (its county, its city…)."""
    return code_of(code[: LENGTH[level]])


def ancestors(code: str) -> list[str]:
    """The codes of the areas above `code`, from the province down (only those that differ from it)."""
    above = [code_of(code[:n]) for n in (2, 4, 6, 9)]
    return [c for c in dict.fromkeys(above) if c != code]


def county_of(path: str) -> Func:
    """The county prefix of the code at `path`, in the database (for grouping people by county)."""
    return Substr(path, 1, LENGTH["county"])
