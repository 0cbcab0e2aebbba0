"""What the benefit rules say outside any one write: where a programme runs, its rule in force, which of a
batch's lines are paid and which cannot be (no payee account). Read by services, selectors and views."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from laoxiao.benefits.models import PayeeAccount, Payment, PaymentBatch, Programme, RuleVersion
from laoxiao.core import areacode


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
