from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from laoxiao.benefits.models import Payment
from laoxiao.facilities.models import Facility
from laoxiao.web.forms import AreaChoiceField, AreaFilterForm


class RunForm(AreaFilterForm):
    area = AreaChoiceField(label=_("area"), required=False)
    period = forms.CharField(label=_("payment period"), max_length=10, help_text=_("2026-11, 2026-Q4 or 2026"))


class BatchSearchForm(forms.Form):
    q = forms.CharField(
        label=_("name or last 4 ID digits"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(label=_("status"), required=False, choices=[("", "—"), *Payment.Status.choices])


class ReconcileForm(forms.Form):
    file = forms.FileField(label=_("bank result file (CSV: 序号, 结果, 原因)"))


def _at_least(field: type[forms.IntegerField], label: Any, limit: int) -> forms.Field:
    """A stated figure with its lower limit, whose message names it (Django's says only 确保该值大于或等于1)."""
    message = gettext("%(label)s: at least %(limit_value)s.") % {"label": label, "limit_value": limit}
    return field(label=label, min_value=limit, error_messages={"min_value": message})


STATED_FIELDS = {
    "application.construction": lambda: forms.ChoiceField(
        label=_("construction"), choices=[("new", _("new building")), ("renovated", _("renovation or extension"))]
    ),
    "application.beds": lambda: _at_least(forms.IntegerField, _("beds"), 1),
    "application.households": lambda: _at_least(forms.IntegerField, _("households served"), 1),
    "application.premium": lambda: _at_least(forms.DecimalField, _("insurance premium (yuan)"), 0),
    "application.new_inclusive_places": lambda: _at_least(forms.IntegerField, _("new inclusive places"), 1),
}


def stated_wording(name: str) -> tuple[str, dict[str, str]]:
    """A stated fact's label and its values' labels, as its form asks for it."""
    field = STATED_FIELDS[name]()
    return str(field.label), {str(k): str(v) for k, v in getattr(field, "choices", [])}


def stated_facts(facts: dict[str, object]) -> list[tuple[str, object]]:
    """The facts of an application as its form asked for them: (label, value as chosen)."""
    shown: list[tuple[str, object]] = []
    for name, value in facts.items():
        if name not in STATED_FIELDS:
            shown.append((name, value))
            continue
        label, choices = stated_wording(name)
        shown.append((label, choices.get(str(value), value)))
    return shown


class ApplicationForm(forms.Form):
    """The facility and the facts the programme's rule asks the applicant for."""

    facility: forms.ModelChoiceField = forms.ModelChoiceField(label=_("facility"), queryset=Facility.objects.none())  # type: ignore[type-arg]

    def __init__(
        self,
        *args: Any,
        facilities: Any = None,
        facts: list[str] | None = None,
        documents: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]
        for fact in facts or []:
            if fact in STATED_FIELDS:
                self.fields[fact.replace(".", "__")] = STATED_FIELDS[fact]()
        self.document_titles = {f"document_{n}": title for n, title in enumerate(documents or [])}
        for name, title in self.document_titles.items():
            self.fields[name] = forms.FileField(label=title)

    def stated(self) -> dict[str, object]:
        """The stated facts, JSON-ready (decimals as text; the rules read numbers from text)."""
        return {
            name.replace("__", "."): str(value) if isinstance(value, Decimal) else value
            for name, value in self.cleaned_data.items()
            if name != "facility" and not name.startswith("document_")
        }

    def documents(self) -> dict[str, Any]:
        return {title: self.cleaned_data[name] for name, title in self.document_titles.items()}


class ReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("decision"), coerce=lambda v: v == "1", choices=[("1", _("approve")), ("0", _("reject"))]
    )
    reason = forms.CharField(label=_("reason for rejection"), max_length=300, required=False)
