"""Where an indicator stands against its plan: progress % and a status against the straight line from
the baseline (at the end of the baseline year) to the target (at the end of the target year).

* progress % = (actual − baseline) ÷ (target − baseline) × 100, reversed for lower-is-better; where
  baseline and target are equal (a level to hold) or there is no baseline: actual ÷ target × 100.
* expected now = baseline + (target − baseline) × the share of the period elapsed.
* **achieved**: the target is reached; **on track**: at or beyond the expected value; **at risk**: short
  of it by no more than AT_RISK_TOLERANCE of the whole way; **off track**: further behind. With no
  baseline the line starts at zero. No actual value: **no data**; a value but no target: **no target**.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

AT_RISK_TOLERANCE = Decimal("0.10")  # a tenth of the distance from baseline to target

ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "achieved", "on_track", "at_risk", "off_track", "no_data"
NO_TARGET = "no_target"


@dataclass(frozen=True)
class Standing:
    status: str
    progress: Decimal | None  # percent of the way from baseline to target
    expected: Decimal | None  # where the straight line says the value should be on the date


def period_end(target_year: int) -> dt.date:
    return dt.date(target_year, 12, 31)


def period_ended(*, target_year: int, on: dt.date) -> bool:
    """After the target year an evaluation is the plan's final (summary) one, no longer a mid-term one."""
    return on > period_end(target_year)


def elapsed_share(*, baseline_year: int | None, target_year: int, on: dt.date) -> Decimal:
    start = dt.date(baseline_year, 12, 31) if baseline_year else dt.date(target_year - 5, 12, 31)
    end = period_end(target_year)
    share = Decimal((on - start).days) / Decimal((end - start).days)
    return min(Decimal(1), max(Decimal(0), share))


def standing(
    *,
    actual: Decimal | None,
    baseline: Decimal | None,
    target: Decimal | None,
    higher_is_better: bool,
    baseline_year: int | None,
    target_year: int,
    on: dt.date,
) -> Standing:
    if actual is None:
        return Standing(NO_DATA, None, None)
    if target is None:
        return Standing(NO_TARGET, None, None)
    sign = Decimal(1) if higher_is_better else Decimal(-1)
    start = baseline if baseline is not None else Decimal(0)
    gap = target - start
    if gap == 0 or baseline is None:
        progress = (actual / target * 100) if target else None
    else:
        progress = (actual - start) / gap * 100
    expected = start + gap * elapsed_share(baseline_year=baseline_year, target_year=target_year, on=on)
    if sign * (actual - target) >= 0:
        status = ACHIEVED
    elif sign * (actual - expected) >= 0:
        status = ON_TRACK
    elif sign * (expected - actual) <= abs(gap) * AT_RISK_TOLERANCE:
        status = AT_RISK
    else:
        status = OFF_TRACK
    quant = Decimal("0.1")
    return Standing(
        status, progress.quantize(quant) if progress is not None else None, expected.quantize(Decimal("0.0001"))
    )
