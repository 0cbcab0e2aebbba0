"""Programme rules as data, evaluated by pure functions: who is eligible (conditions over facts from the
registries and the application) and how much (an amount rule, a schedule of shares over years, and a
split between levels of government). tests/benefits/test_benefit_rules.py pins every seed rule with the worked
cases of issue 5; the rules themselves live in programmes/*.json with their sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

Facts = dict[str, Any]
CENT = Decimal("0.01")

OPERATORS = {
    "eq": lambda a, b: a == b,
    "in": lambda a, b: a in b,
    "gte": lambda a, b: a >= b,
    "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "lt": lambda a, b: a < b,
    "true": lambda a, b: bool(a),
}


@dataclass
class Decision:
    eligible: bool
    amount: Decimal = Decimal(0)  # for one period (or the whole one-off grant before its schedule)
    reasons: list[str] = field(default_factory=list)  # why not eligible
    instalments: list[Decimal] = field(default_factory=list)  # one-off grants paid in shares over years
    shares_by_level: dict[str, Decimal] = field(default_factory=dict)  # who pays what


def _condition_holds(condition: dict[str, Any], facts: Facts) -> tuple[bool, str]:
    name, op, expected = condition["fact"], condition["op"], condition.get("value")
    if name not in facts or facts[name] is None:
        return False, _("%(fact)s is not known") % {"fact": condition.get("label", name)}
    if OPERATORS[op](facts[name], expected):
        return True, ""
    return False, condition.get("label", name) + ": " + str(facts[name])


def eligible(rule: dict[str, Any], facts: Facts) -> list[str]:
    """The reasons the facts fail the rule's conditions; empty when eligible."""
    reasons = []
    for condition in rule.get("eligibility", []):
        holds, why = _condition_holds(condition, facts)
        if not holds:
            reasons.append(why)
    return reasons


def facility_kinds(rule: dict[str, Any]) -> frozenset[str] | None:
    """The facility kinds the rule's conditions admit; None when any kind may apply."""
    kinds: frozenset[str] | None = None
    for condition in rule.get("eligibility", []):
        if condition["fact"] == "facility.kind" and condition["op"] in ("eq", "in"):
            value = condition["value"]
            allowed = frozenset([value] if condition["op"] == "eq" else value)
            kinds = allowed if kinds is None else kinds & allowed
    return kinds


def _amount(spec: dict[str, Any], facts: Facts) -> Decimal:
    kind = spec["kind"]
    if kind == "fixed":
        return Decimal(str(spec["amount"]))
    if kind == "per_unit":
        units = Decimal(str(facts.get(spec["unit"]) or 0))
        if "area_per_unit" in spec:  # e.g. 30 m² per bed including shared space
            area = Decimal(str(facts.get("floor_area_m2") or 0))
            units = min(units, (area / Decimal(str(spec["area_per_unit"]))).to_integral_value(rounding="ROUND_FLOOR"))
        return units * Decimal(str(spec["rate"]))
    if kind == "by_value":
        return Decimal(str(spec["amounts"].get(str(facts.get(spec["fact"])), 0)))
    if kind == "first_match":  # the first case whose conditions all hold
        for case in spec["cases"]:
            if not eligible({"eligibility": case["when"]}, facts):
                return Decimal(str(case["amount"]))
        return Decimal(0)
    if kind == "by_band":
        value = facts.get(spec["fact"])
        for low, high, amount in spec["bands"]:
            if value is not None and low <= value <= high:
                return Decimal(str(amount))
        return Decimal(0)
    raise ValueError(f"unknown amount rule {kind}")


def _split(total: Decimal, weights: list[int | float]) -> list[Decimal]:
    """Shares in proportion to `weights`, to the fen, the last share taking the rounding remainder."""
    whole = sum(Decimal(str(w)) for w in weights)
    parts = [(total * Decimal(str(w)) / whole).quantize(CENT, ROUND_HALF_UP) for w in weights[:-1]]
    return [*parts, total - sum(parts, Decimal(0))]


def decide(rule: dict[str, Any], facts: Facts) -> Decision:
    reasons = eligible(rule, facts)
    if reasons:
        return Decision(eligible=False, reasons=reasons)
    amount = _amount(rule["amount"], facts).quantize(CENT, ROUND_HALF_UP)
    if amount <= 0:
        return Decision(eligible=False, reasons=[_("the amount rule gives nothing for these facts")])
    decision = Decision(eligible=True, amount=amount)
    if "instalments" in rule:
        decision.instalments = _split(amount, rule["instalments"])
    if "cost_split" in rule:
        levels = list(rule["cost_split"])
        decision.shares_by_level = dict(zip(levels, _split(amount, list(rule["cost_split"].values())), strict=True))
    return decision
