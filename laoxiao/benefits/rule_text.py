"""A programme's rule in words, for those who read it on the programme's page; the JSON stays for those
who change it (the simulator). Facts are named by their field's label and values by their choices, so
the words follow the registries' own and the active language."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laoxiao.benefits.forms import STATED_FIELDS, stated_wording
from laoxiao.facilities.models import Certificate, Facility, StaffMember
from laoxiao.people.models import AbilityLevel, ElderlyCategory

# Facts that are a registry field: named by it, their values by its choices.
FIELD_FACTS: dict[str, tuple[type[Model], str]] = {
    "facility.kind": (Facility, "kind"),
    "facility.ownership": (Facility, "ownership"),
    "facility.status": (Facility, "status"),
    "facility.beds_occupied": (Facility, "beds_occupied"),
    "facility.is_inclusive": (Facility, "is_inclusive"),
    "floor_area_m2": (Facility, "floor_area_m2"),
    "staff.role": (StaffMember, "role"),
}
# Facts that are worked out (facts.py): their names.
DERIVED_FACTS = {
    "person.age": gettext_lazy("age"),
    "person.active": gettext_lazy("on the register (alive, not moved out)"),
    "person.economically_poor": gettext_lazy("economically poor (低保, 特困 or 低保边缘)"),
    "person.ability_level": gettext_lazy("ability level"),
    "facility.registered": gettext_lazy("registered with civil affairs"),
    "staff.on_staff": gettext_lazy("on the staff"),
    "staff.certificate_level": gettext_lazy("certificate level"),
    "staff.years_of_care_work": gettext_lazy("years of care work"),
}
DERIVED_CHOICES: dict[str, Any] = {"person.ability_level": AbilityLevel, "staff.certificate_level": Certificate.Level}
SYMBOLS = {"gte": "≥", "lte": "≤", "gt": ">", "lt": "<"}


@dataclass
class RuleText:
    conditions: list[str]
    amounts: list[str]


def _fact(name: str) -> tuple[str, dict[str, str]]:
    """A fact's name and its values' labels, by value as the rule writes it."""
    if name in FIELD_FACTS:
        model, field_name = FIELD_FACTS[name]
        field = model._meta.get_field(field_name)
        return str(getattr(field, "verbose_name", name)), {
            str(k): str(v) for k, v in getattr(field, "choices", None) or []
        }
    if name in STATED_FIELDS:
        return stated_wording(name)
    if name.startswith("person.") and name[7:] in ElderlyCategory.values:
        return str(ElderlyCategory(name[7:]).label), {}
    choices = DERIVED_CHOICES.get(name)
    return str(DERIVED_FACTS.get(name, name)), {str(k): str(v) for k, v in choices.choices} if choices else {}


def _value(labels: dict[str, str], value: Any) -> str:
    return labels.get(str(value), str(value))


def condition_text(condition: dict[str, Any]) -> str:
    name, labels = _fact(condition["fact"])
    label, op, value = condition.get("label") or name, condition["op"], condition.get("value")
    if op == "true":
        return label
    if op == "in":
        return f"{label}：{'、'.join(_value(labels, v) for v in value or [])}"
    if op == "eq":  # a label that already names the value (新建, 运营中) is enough
        shown = _value(labels, value)
        return label if shown == label else f"{label}：{shown}"
    return f"{label} {SYMBOLS[op]} {_value(labels, value)}"


def _yuan(amount: Any) -> str:
    return _("%(amount)s yuan") % {"amount": intcomma(Decimal(str(amount)).normalize())}


def amount_text(spec: dict[str, Any]) -> list[str]:
    kind = spec["kind"]
    if kind == "fixed":
        return [_yuan(spec["amount"])]
    if kind == "per_unit":
        line = _("%(unit)s × %(amount)s") % {"amount": _yuan(spec["rate"]), "unit": _fact(spec["unit"])[0]}
        if "area_per_unit" in spec:
            line += _("; at most one for each %(area)s m² of floor area") % {"area": spec["area_per_unit"]}
        return [line]
    if kind == "by_value":
        name, labels = _fact(spec["fact"])
        return [f"{name}：{_value(labels, value)} — {_yuan(amount)}" for value, amount in spec["amounts"].items()]
    if kind == "by_band":
        name = _fact(spec["fact"])[0]
        return [f"{name} {low}–{high} — {_yuan(amount)}" for low, high, amount in spec["bands"]]
    if kind == "first_match":  # the first case that holds
        return [_("The first of these that applies:")] + [
            "；".join(condition_text(c) for c in case["when"]) + f" — {_yuan(case['amount'])}" for case in spec["cases"]
        ]
    raise ValueError(f"unknown amount rule {kind}")  # as rules.decide would


def rule_text(rule: dict[str, Any]) -> RuleText:
    amounts = amount_text(rule["amount"])
    if shares := rule.get("instalments"):
        amounts.append(
            _("paid over %(n)s years in shares of %(shares)s")
            % {"n": len(shares), "shares": ":".join(map(str, shares))}
        )
    if split := rule.get("cost_split"):
        levels = {"region": _("region"), "city": _("city"), "county": _("county")}
        paid = "、".join(f"{levels.get(k, k)} {v}" for k, v in split.items())
        amounts.append(_("paid by %(levels)s, in these shares") % {"levels": paid})
    return RuleText([condition_text(c) for c in rule.get("eligibility", [])], amounts)
