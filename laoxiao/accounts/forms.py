"""Forms only render and carry raw input; accounts.services judges it."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from laoxiao.accounts.models import User
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
    """An area of any level in the administrator's scope; cleans to its 12-digit code. Left at "all" it
    is no choice: a whole city is given only by ticking `whole_area`, never by forgetting the area."""

    def clean(self, value: Any) -> str:
        prefix = super().clean(value)
        return areacode.code_of(prefix) if prefix else ""


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
    whole_area = forms.BooleanField(label=_("responsible for all of your area"), required=False)
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

    def __init__(
        self, *args: Any, user: User, organisations: Iterable[Facility], creating: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["organisation_id"].choices = organisation_choices(organisations)  # type: ignore[attr-defined]
        self.root = area_root(user=user)
        if self.root is None:
            del self.fields["whole_area"]
        else:
            self.fields["whole_area"].label = _("responsible for all of %(area)s") % {"area": self.root.name}
            if self.initial.get("area_code") == self.root.code:  # shown as ticked, not as a forgotten area
                self.initial = {**self.initial, "area_code": "", "whole_area": True}
        if not creating:
            del self.fields["username"]
            self.fields["phone"].help_text = _("Leave empty to keep the stored number.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.pop("whole_area", False) and not data.get("area_code") and self.root is not None:
            data["area_code"] = self.root.code
        return data
