"""The NBS 统计用区划代码 tables shipped in core/data/divisions (version 2023-06-30)."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path

from laoxiao.core import areacode

DATA_DIR = Path(__file__).resolve().parent / "data" / "divisions"
NATIONAL_TABLE = DATA_DIR / "china-divisions-2023.csv.gz"
DATA_VERSION = "2023-06-30"


def read_table(path: Path = NATIONAL_TABLE) -> Iterator[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as raw:
        yield from csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8"))


def rows_for(prefix: str, path: Path = NATIONAL_TABLE) -> list[dict[str, str]]:
    """Every row under `prefix` (e.g. "6401" for 银川市) and the ancestors above it, parents first."""
    wanted = []
    ancestors = {areacode.at_level(prefix, level) for level in ("province", "city", "county")}
    for row in read_table(path):
        if row["code"].startswith(prefix) or row["code"] in ancestors:
            wanted.append(row)
    order = {"province": 0, "city": 1, "county": 2, "township": 3, "village": 4}
    wanted.sort(key=lambda r: (order[r["level"]], r["code"]))
    return wanted
