"""The indicator catalogue and the plans shipped with the platform (indicators.json, plans/*.json)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DIRECTORY = Path(__file__).resolve().parent


@cache
def catalogue() -> list[dict[str, Any]]:
    return json.loads((DIRECTORY / "indicators.json").read_text(encoding="utf-8"))


@cache
def shipped_plans() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((DIRECTORY / "plans").glob("*.json"))]
