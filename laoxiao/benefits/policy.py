"""What the benefit rules say outside any one write: where a programme runs, its rule in force, which of a
batch's lines are paid and which cannot be (no payee account), the payment file's layouts, and a draft
rule simulated on the registry. Read by services, selectors and views."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from laoxiao.benefits.facts import person_facts
from laoxiao.benefits.models import Application, PayeeAccount, Payment, PaymentBatch, Programme, RuleVersion
from laoxiao.benefits.rules import decide
from laoxiao.core import areacode
from laoxiao.core.identifiers import birth_date_cutoff
from laoxiao.core.scope import AreaScope, area_range_q
from laoxiao.people.models import Person

PERIODS_PER_YEAR = {"monthly": 12, "quarterly": 4, "yearly": 1, "one_off": 1}  # to turn one period's cost into a year's
# Column layout of the payment file; a bank's own layout is a mapping of header → field of `_file_row`.
DEFAULT_LAYOUT = {
    "序号": "n",
    "姓名": "name",
    "证件号码": "id_number",
    "账户类型": "account_kind",
    "开户银行": "bank",
    "收款账号": "account",
    "金额（元）": "amount",
    "期间": "period",
    "项目": "programme",
}


def programme_covers(programme: Programme, code: str) -> bool:
    """Whether the programme runs in the area `code`: a city's programme only inside that city."""
    return not programme.city_code or code.startswith(areacode.own_prefix(programme.city_code))


def require_covered(programme: Programme, code: str, field: str) -> None:
    if not programme_covers(programme, code):
        raise ValidationError(
            {field: _("This programme belongs to %(city)s; it is not run here.") % {"city": programme.city_name}}
        )


def rule_in_force(programme: Programme) -> RuleVersion:
    version = programme.versions.filter(published_at__isnull=False).order_by("-version").first()
    if version is None:
        raise ValidationError({"programme": _("This programme has no published rule.")})
    return version


def payable(batch: PaymentBatch) -> QuerySet[Payment]:
    """The lines that are paid, in file order: every line but those held back."""
    return batch.payments.exclude(status=Payment.Status.HELD).order_by("id")


def without_account(lines: QuerySet[Payment], beneficiary_type: str) -> QuerySet[Payment]:
    """The lines among `lines` whose beneficiary has no payee account on record: the bank cannot pay them."""
    accounts = PayeeAccount.objects.filter(beneficiary_type=beneficiary_type)
    return lines.exclude(beneficiary_id__in=accounts.values("beneficiary_id"))


def no_account_reason() -> str:
    """The hold reason of a line approval held back for having no account, stored in the bureau's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("no payee account on record")


def payment_layouts() -> dict[str, dict[str, str]]:
    """The layouts a payment file can take: the built-in one and each bank's from the settings."""
    return {"default": DEFAULT_LAYOUT, **settings.LAOXIAO_PAYMENT_FILE_LAYOUTS}


def minimum_age(rule: dict[str, Any]) -> int:
    return max(
        [int(c["value"]) for c in rule.get("eligibility", []) if c["fact"] == "person.age" and c["op"] == "gte"] or [0]
    )


def simulate(*, programme: Programme, scope: AreaScope, rule: dict[str, Any], on: dt.date) -> dict[str, Any]:
    """Run a draft rule against the registry as it stands: beneficiaries and yearly cost by county, beside
    the rule in force. Nothing is written. Person programmes only: others depend on applications."""
    if programme.beneficiary != Programme.Beneficiary.PERSON:
        raise ValidationError({"programme": _("The simulator runs person programmes.")})
    months = PERIODS_PER_YEAR[programme.period]
    in_force = rule_in_force(programme).rule
    candidates = Person.objects.filter(area_range_q("area_id", scope.prefix), status=Person.Status.ACTIVE)
    if youngest := min(minimum_age(rule), minimum_age(in_force)):
        candidates = candidates.filter(birth_date__lte=birth_date_cutoff(youngest, on))
    people = list(candidates.only("id", "birth_date", "status", "area_id"))
    facts = person_facts(people, on)
    by_county: dict[str, dict[str, Decimal | int]] = {}
    for person in people:
        row = by_county.setdefault(
            areacode.county(person.area_id),
            {"draft_n": 0, "draft_cost": Decimal(0), "now_n": 0, "now_cost": Decimal(0)},
        )
        for key, version in (("draft", rule), ("now", in_force)):
            decision = decide(version, facts[person.pk])
            if decision.eligible:
                row[f"{key}_n"] += 1
                row[f"{key}_cost"] += decision.amount * months
    return by_county


REVIEW_DAYS = {Application.Status.SUBMITTED: 10, Application.Status.FIRST_APPROVED: 10}  # working days, as days


def application_overdue(application: Application, now: dt.datetime | None = None) -> bool:
    """Waiting for a review longer than its time limit (shown on the application's page)."""
    limit = REVIEW_DAYS.get(Application.Status(application.status))
    return bool(limit and (now or timezone.now()) - application.submitted_at > dt.timedelta(days=limit))
