from decimal import Decimal
from typing import Any

from django import forms
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


STATED_FIELDS = {
    "application.construction": lambda: forms.ChoiceField(
        label=_("construction"), choices=[("new", _("new building")), ("renovated", _("renovation or extension"))]
    ),
    "application.beds": lambda: forms.IntegerField(label=_("beds"), min_value=1),
    "application.households": lambda: forms.IntegerField(label=_("households served"), min_value=1),
    "application.premium": lambda: forms.DecimalField(label=_("insurance premium (yuan)"), min_value=0),
    "application.new_inclusive_places": lambda: forms.IntegerField(label=_("new inclusive places"), min_value=1),
}


def stated_facts(facts: dict[str, object]) -> list[tuple[str, object]]:
    """The facts of an application as its form asked for them: (label, value as chosen)."""
    shown = []
    for name, value in facts.items():
        if name not in STATED_FIELDS:
            shown.append((name, value))
            continue
        field = STATED_FIELDS[name]()
        choices = dict(getattr(field, "choices", []))
        shown.append((str(field.label), choices.get(value, value)))
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
