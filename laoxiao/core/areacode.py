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
    return prefix_in_db(path, "county")


LEVEL_OF_LENGTH = {length: level for level, length in LENGTH.items()}


def township(code: str) -> str:
    """The prefix of the township (街道/乡镇) a code lies in."""
    return code[: LENGTH["township"]]


def own_prefix(code: str) -> str:
    """An area's prefix read from its code alone, the shortest level's cut that pads back to the code:
    150200000000 → 1502, 500114000000 → 500114."""
    return next(code[:n] for n in sorted(LENGTH.values()) if code_of(code[:n]) == code)


def division_code(code: str, level: str) -> str:
    """The six-digit GB/T 2260 code of the province, city or county a code lies in (as map files name them)."""
    return code[: LENGTH[level]].ljust(6, "0")


def prefix_in_db(path: str, level: str) -> Func:
    """The prefix at `level` of the code at `path`, in the database (for grouping by area)."""
    return cut_in_db(path, LENGTH[level])


def cut_in_db(path: str, length: int) -> Func:
    """The first `length` digits of the code at `path`, in the database (a level's prefix, by its length)."""
    return Substr(path, 1, length)
