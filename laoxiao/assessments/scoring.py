"""Scoring of the three assessment instruments, as pure functions over versioned instrument data.

The items, options, points, bands and settings live in instruments/*.json (and, once loaded, in the
Instrument table, one row per version). This module holds only the rules the standards state in prose:
GB/T 42195-2022 §C.4 adjustments, MZ/T 039-2013's grade and combination rules, and the LTC 2021
combination method. tests/assessments/test_scoring.py pins every case of standards.md's test table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

RAISE_SINGLE = "single"
RAISE_CUMULATIVE = "cumulative"


@dataclass(frozen=True)
class Adjustments:
    """Facts beside the items that change the level (GB/T 42195 C.4, MZ/T 039 C.3)."""

    dementia_or_psychiatric: bool = False  # ICD-10 F00–F03 diagnosed, or F04–F99 by a psychiatrist
    risk_events_30_days: int = 0  # falls, wandering, choking, self-harm… summed over types, "3 or more" as 3


@dataclass
class Result:
    total: int
    dimension_scores: dict[str, int]
    preliminary_level: int | None
    level: int | None  # None: the combination needs a human decision (manual review)
    reasons: list[str] = field(default_factory=list)
    dimension_grades: dict[str, int] = field(default_factory=dict)

    @property
    def needs_review(self) -> bool:
        return self.level is None


def items(definition: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [item for dimension in definition["dimensions"] for item in dimension["items"]]


def check_answers(definition: Mapping[str, Any], answers: Mapping[str, str], *, complete: bool) -> dict[str, str]:
    """A message per item whose answer is not one of its options (and per missing item if `complete`)."""
    errors = {}
    for item in items(definition):
        value = answers.get(item["code"])
        if value in (None, ""):
            if complete:
                errors[item["code"]] = _("%(item)s %(name)s is not answered.") % {
                    "item": item["code"],
                    "name": item["name"],
                }
            continue
        allowed = [option["code"] for option in item["options"]]
        if str(value) not in allowed:
            errors[item["code"]] = _("%(item)s %(name)s takes only %(allowed)s; “%(value)s” is out of range.") % {
                "item": item["code"],
                "name": item["name"],
                "allowed": "、".join(allowed),
                "value": value,
            }
    return errors


def _option(item: Mapping[str, Any], code: str) -> dict[str, Any]:
    return next(option for option in item["options"] if option["code"] == str(code))


def _sums(definition: Mapping[str, Any], answers: Mapping[str, str]) -> tuple[dict[str, int], bool]:
    scores, coma = {}, False
    for dimension in definition["dimensions"]:
        total = 0
        for item in dimension["items"]:
            option = _option(item, answers[item["code"]])
            total += option["points"]
            coma = coma or bool(option.get("coma"))
        scores[dimension["code"]] = total
    return scores, coma


def _band(bands: list[dict[str, int]], value: int, key: str) -> int:
    return next(band[key] for band in bands if band["min"] <= value <= band["max"])


def _raises(adjustments: Adjustments, settings: Mapping[str, Any]) -> list[str]:
    reasons = []
    if adjustments.dementia_or_psychiatric:
        reasons.append(_("diagnosed dementia or other psychiatric illness: one level up"))
    if adjustments.risk_events_30_days >= settings["risk_events_to_raise"]:
        reasons.append(
            _("%(n)d care-risk events in the last 30 days: one level up") % {"n": adjustments.risk_events_30_days}
        )
    return reasons


def _raised(level: int, reasons: list[str], settings: Mapping[str, Any], ceiling: int) -> int:
    steps = len(reasons) if settings["raise_mode"] == RAISE_CUMULATIVE else min(1, len(reasons))
    return min(ceiling, level + steps)


def score_gbt42195(definition: Mapping[str, Any], answers: Mapping[str, str], adjustments: Adjustments) -> Result:
    """GB/T 42195-2022: total 0–90 → five levels; 昏迷 → 完全失能; diagnosis or ≥2 risk events → one level up."""
    scores, coma = _sums(definition, answers)
    total = sum(scores.values())
    preliminary = _band(definition["levels"], total, "level")
    ceiling = max(level["level"] for level in definition["levels"])
    result = Result(total=total, dimension_scores=scores, preliminary_level=preliminary, level=preliminary)
    if coma:
        result.level = ceiling
        result.reasons.append(_("coma: directly the most severe level"))
        return result
    reasons = _raises(adjustments, definition["settings"])
    result.level = _raised(preliminary, reasons, definition["settings"], ceiling)
    result.reasons.extend(reasons)
    return result


def _mzt_sensory_grade(answers: Mapping[str, str]) -> int:
    """MZ/T 039 B.3 感知觉与沟通 grade from consciousness, vision, hearing and communication."""
    conscious, vision, hearing, talk = (int(answers[f"B.3.{n}"]) for n in (1, 2, 3, 4))
    senses = max(vision, hearing)
    if conscious >= 2 or (conscious <= 1 and (senses == 4 or talk == 3)):
        return 3
    if (conscious == 0 and (senses == 3 or talk == 2)) or (conscious == 1 and senses <= 3 and talk <= 2):
        return 2
    if conscious == 0 and (senses == 2 or talk == 1):
        return 1
    return 0


def _mzt_combined(adl: int, ms: int, sc: int, sp: int) -> int | None:
    """MZ/T 039 C.2, evaluated from the most severe level down; None where the text leaves a gap."""
    others = (ms, sc, sp)
    if adl == 3 or (adl == 2 and all(g == 2 for g in others)) or (adl == 2 and 3 in others):
        return 3
    if (adl == 1 and (all(g == 2 for g in others) or 3 in others)) or (
        adl == 2 and 1 <= sum(1 for g in others if g in (1, 2)) <= 2
    ):
        return 2
    if (adl == 0 and (ms >= 1 or sc >= 1 or sp == 2)) or (adl == 1 and any(g in (0, 1) for g in others)):
        return 1
    if adl == 0 and ms == 0 and sc == 0 and sp in (0, 1):
        return 0
    return None


def score_mzt039(definition: Mapping[str, Any], answers: Mapping[str, str], adjustments: Adjustments) -> Result:
    """MZ/T 039-2013: four dimension grades → combined level; unmatched combinations go to manual review."""
    scores, coma = _sums(definition, answers)
    grades = definition["grades"]
    dimension_grades = {
        "B.1": _band(grades["B.1"], scores["B.1"], "grade"),
        "B.2": _band(grades["B.2"], scores["B.2"], "grade"),
        "B.3": _mzt_sensory_grade(answers),
        "B.4": _band(grades["B.4"], scores["B.4"], "grade"),
    }
    preliminary = _mzt_combined(*dimension_grades.values())
    ceiling = max(level["level"] for level in definition["levels"])
    result = Result(
        total=sum(scores.values()),
        dimension_scores=scores,
        preliminary_level=preliminary,
        level=preliminary,
        dimension_grades=dimension_grades,
    )
    if coma:
        result.level = ceiling
        result.reasons.append(_("coma: directly the most severe level"))
    elif preliminary is None:
        result.reasons.append(_("the standard's combination rules do not cover these grades: manual review"))
    elif preliminary < ceiling:  # C.3.4: a preliminary 重度失能 is not changed
        reasons = _raises(adjustments, definition["settings"])
        result.level = _raised(preliminary, reasons, definition["settings"], ceiling)
        result.reasons.extend(reasons)
    return result


def score_ltc2021(definition: Mapping[str, Any], answers: Mapping[str, str], adjustments: Adjustments) -> Result:
    """LTC 2021 组合法: ADL grade × the worse of cognition and perception grades, through the matrix."""
    scores, _coma = _sums(definition, answers)
    bands = definition["settings"]["grade_bands"]
    grades = {code: _band(bands[code], value, "grade") for code, value in scores.items()}
    level = definition["settings"]["matrix"][grades["C1"]][max(grades["C2"], grades["C3"])]
    return Result(
        total=sum(scores.values()),
        dimension_scores=scores,
        preliminary_level=level,
        level=level,
        dimension_grades=grades,
    )


SCORERS = {"gbt42195": score_gbt42195, "mzt039": score_mzt039, "ltc2021": score_ltc2021}


def score(definition: Mapping[str, Any], answers: Mapping[str, str], adjustments: Adjustments) -> Result:
    """Score complete, valid answers (check_answers first) under the instrument's own rules."""
    return SCORERS[definition["scoring"]](definition, answers, adjustments)
