"""Forms only render and carry raw input; accounts.services judges it."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from laoxiao.accounts.roles import SELF_ROLES, Role
from laoxiao.core import areacode
from laoxiao.core.selectors import area_root
from laoxiao.facilities.models import Facility
from laoxiao.web.forms import AreaFilterField, AreaFilterForm

STAFF_ROLES = [(value, label) for value, label in Role.choices if value not in SELF_ROLES]


def organisation_choices(organisations: Iterable[Facility]) -> list[tuple[Any, Any]]:
    """Drop-down groups by kind (the queryset comes ordered by kind)."""
    groups = groupby(organisations, key=lambda f: f.get_kind_display())
    return [("", "—"), *((kind, [(f.pk, f.name) for f in items]) for kind, items in groups)]


class ResponsibilityAreaField(AreaFilterField):
    """An area of any level in the administrator's scope; cleans to its 12-digit code. Left at "all",
    it is the top of the administrator's scope."""

    def clean(self, value: Any) -> str:
        prefix = super().clean(value)
        if prefix:
            return areacode.code_of(prefix)
        root = area_root(user=self.user) if self.user else None
        return root.code if root else ""


class AccountFilterForm(AreaFilterForm):
    q = forms.CharField(label=_("name or login"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("role"), required=False, choices=[("", "—"), *Role.choices])
    organisation = forms.ChoiceField(label=_("organisation"), required=False)
    area = AreaFilterField(label=_("area"), required=False)
    active = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", "—"), ("1", _("active")), ("0", pgettext_lazy("account", "disabled"))],
    )

    def __init__(self, *args: Any, organisations: Iterable[Facility], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisation_choices(organisations)  # type: ignore[attr-defined]


class AccountForm(AreaFilterForm):
    """Name, role and responsibility; the login only when the account is made. The service decides which
    of area and organisation the role needs."""

    username = forms.CharField(
        label=_("login"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _; cannot be changed later."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )
    full_name = forms.CharField(label=_("name"), max_length=150)
    role = forms.ChoiceField(label=_("role"), choices=[("", "—"), *STAFF_ROLES])
    area_code = ResponsibilityAreaField(
        label=_("area of responsibility"),
        required=False,
        help_text=_("For officers, street workers, inspectors, the hotline and administrators."),
    )
    organisation_id = forms.TypedChoiceField(
        label=_("organisation"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("For institution operators, service providers and assessors."),
    )
    phone = forms.CharField(
        label=_("phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    department = forms.CharField(label=_("department"), max_length=100, required=False)

    def __init__(self, *args: Any, organisations: Iterable[Facility], creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation_id"].choices = organisation_choices(organisations)  # type: ignore[attr-defined]
        if not creating:
            del self.fields["username"]
            self.fields["phone"].help_text = _("Leave empty to keep the stored number.")
