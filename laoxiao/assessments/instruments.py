"""The instrument definitions shipped with the platform (instruments/*.json), one file per version."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DIRECTORY = Path(__file__).resolve().parent / "instruments"
GBT_42195 = "GB/T 42195-2022"
MZT_039 = "MZ/T 039-2013"
LTC_2021 = "医保办发〔2021〕37号"


@cache
def shipped() -> dict[tuple[str, int], dict[str, Any]]:
    """Every shipped definition by (code, version)."""
    definitions = {}
    for path in sorted(DIRECTORY.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        definitions[(data["code"], data["version"])] = data
    return definitions


def shipped_latest(code: str) -> dict[str, Any]:
    return max((d for (c, _v), d in shipped().items() if c == code), key=lambda d: d["version"])
