"""Forms carry raw input to the services; the services decide what is valid."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext_lazy as _

from laoxiao.core.scope import AuthedRequest
from laoxiao.homecare.models import Device, Meal, ServiceKind, Visit
from laoxiao.web.forms import AreaFilterField, AreaFilterForm, add_service_errors


class NamedErrorsForm(forms.Form):
    """Every message about a field starts with the field's name ("留样量（克）：…"), whether Django's own
    ("确保该值大于或等于0") or a service's: the order page lists its messages on their own, away from the
    fields, and even beside a field a bare "此项必填" says nothing read aloud or in a list."""

    def add_error(self, field: str | None, error: Any) -> None:
        if field in self.fields:
            label = str(self.fields[field].label)  # type: ignore[index]
            error = ValidationError([_named(label, m) for m in ValidationError(error).messages])
        super().add_error(field, error)


def _named(label: str, message: str) -> str:
    if message.startswith(label):
        return message
    if isinstance(message, SafeData):  # a message that links to a record keeps its link
        return mark_safe(_("%(field)s: %(message)s") % {"field": escape(label), "message": message})
    return _("%(field)s: %(message)s") % {"field": label, "message": message}


def _kinds() -> forms.ModelChoiceField:  # type: ignore[type-arg]
    return forms.ModelChoiceField(label=_("service"), queryset=ServiceKind.objects.filter(active=True))


class QuantityField(forms.Field):
    """A number, or None for what is none: the service judges the quantity against the service booked and
    gives one message for every bad value (Django's own would say "确保该值大于或等于0" for one and
    "确认小数点前不超过 5 位" for another)."""

    widget = forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"})

    def validate(self, value: Any) -> None:
        """Even an empty quantity is the service's to judge (the field is required: its label says so)."""

    def to_python(self, value: Any) -> Decimal | None:
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None


class OrderForm(NamedErrorsForm):
    kind = _kinds()
    quantity = QuantityField(label=_("quantity"), initial=1)
    scheduled_start = forms.DateTimeField(
        label=_("when"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class DeclineForm(NamedErrorsForm):
    reason = forms.CharField(label=_("reason for declining"), max_length=200)


class CancelForm(NamedErrorsForm):
    reason = forms.CharField(label=_("reason for cancelling"), max_length=200)


class AssignForm(NamedErrorsForm):
    caregiver: forms.ModelChoiceField = forms.ModelChoiceField(label=_("caregiver"), queryset=None)  # type: ignore[type-arg,arg-type]

    def __init__(self, *args: Any, caregivers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["caregiver"].queryset = caregivers  # type: ignore[attr-defined]


class RateForm(NamedErrorsForm):
    rating = forms.TypedChoiceField(
        label=_("rating"), coerce=int, choices=[(n, "★" * n) for n in range(5, 0, -1)], widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("comment"), max_length=300, required=False)


class ReviewForm(NamedErrorsForm):
    genuine = forms.TypedChoiceField(
        label=_("review"),
        coerce=lambda v: v == "1",
        choices=[("1", _("genuine: pay it")), ("0", _("not payable"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class ComplaintForm(NamedErrorsForm):
    text = forms.CharField(label=_("complaint"), widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(NamedErrorsForm):
    upheld = forms.TypedChoiceField(
        label=_("decision"), coerce=lambda v: v == "1", choices=[("1", _("upheld")), ("0", _("dismissed"))]
    )
    resolution = forms.CharField(label=_("resolution"), widget=forms.Textarea(attrs={"rows": 3}))


class MonthForm(NamedErrorsForm):
    month = forms.CharField(label=_("month"), max_length=7, help_text=_("YYYY-MM, e.g. 2026-11"))


class ProviderForm(NamedErrorsForm):
    facility: forms.ModelChoiceField = forms.ModelChoiceField(label=_("organisation"), queryset=None)  # type: ignore[type-arg,arg-type]
    kinds = forms.ModelMultipleChoiceField(
        label=_("services offered"),
        queryset=ServiceKind.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    area_codes = forms.CharField(
        label=_("areas served (codes, one per line)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    daily_capacity = forms.IntegerField(label=_("orders per day"), min_value=1, initial=40)

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]


class CaregiverForm(NamedErrorsForm):
    staff: forms.ModelChoiceField = forms.ModelChoiceField(label=_("staff member"), queryset=None)  # type: ignore[type-arg,arg-type]
    skills: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(  # type: ignore[type-arg]
        label=_("skills"),
        queryset=None,  # type: ignore[arg-type]
        widget=forms.CheckboxSelectMultiple,
    )
    username = forms.CharField(label=_("sign-in account (user name)"), max_length=150, required=False)

    def __init__(self, *args: Any, staff: Any, kinds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff  # type: ignore[attr-defined]
        self.fields["skills"].queryset = kinds  # type: ignore[attr-defined]


class UserChoiceField(forms.ModelChoiceField):
    """People are chosen by name and where they work (their department, or their area), never by their
    sign-in name, which means nothing to the desk; an account without a name shows its role instead."""

    widget = forms.Select(attrs={"translate": "no"})

    def label_from_instance(self, obj: Any) -> str:
        where = obj.department or (obj.area.name if obj.area else "") or str(obj.get_role_display())
        return f"{obj.first_name or obj.get_role_display()}（{where}）"


class VisitPlanForm(NamedErrorsForm):
    visitor: forms.ModelChoiceField = UserChoiceField(label=_("visitor"), queryset=None)  # type: ignore[type-arg,arg-type]
    starts_on = forms.DateField(label=_("starts on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, visitors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visitor"].queryset = visitors  # type: ignore[attr-defined]


class VisitPlanFilterForm(AreaFilterForm):
    q = forms.CharField(label=_("name"), required=False)
    area = AreaFilterField(label=_("area"), required=False)
    due = forms.ChoiceField(
        label=_("visit completion"),
        required=False,
        choices=[
            ("", "—"),
            ("this_month", _("still due this month")),
            ("last_month", _("missed last month")),
        ],
    )


class VisitForm(NamedErrorsForm):
    visited_at = forms.DateTimeField(
        label=_("visited at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    outcome = forms.ChoiceField(label=_("outcome"), choices=Visit.Outcome.choices, widget=forms.RadioSelect)
    needed = forms.ModelChoiceField(
        label=_("service needed"), queryset=ServiceKind.objects.filter(active=True), required=False
    )
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    latitude = forms.FloatField(widget=forms.HiddenInput, required=False)
    longitude = forms.FloatField(widget=forms.HiddenInput, required=False)


class MealPointForm(NamedErrorsForm):
    meal_price = forms.DecimalField(label=_("price of a meal (yuan)"), max_digits=6, decimal_places=2)
    delivery_fee = forms.DecimalField(label=_("delivery fee (yuan)"), max_digits=6, decimal_places=2, initial=0)


class IdNumberForm(NamedErrorsForm):
    id_number = forms.CharField(label=_("ID number"), max_length=18)


class MealForm(NamedErrorsForm):
    diner: forms.ModelChoiceField = forms.ModelChoiceField(label=_("diner"), queryset=None)  # type: ignore[type-arg,arg-type]
    sitting = forms.ChoiceField(label=_("meal"), choices=Meal.Sitting.choices, initial=Meal.Sitting.LUNCH)
    mode = forms.ChoiceField(label=_("eat in or delivered"), choices=Meal.Mode.choices)
    served_on = forms.DateField(label=_("served on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, diners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["diner"].queryset = diners  # type: ignore[attr-defined]


class IngredientForm(NamedErrorsForm):
    received_on = forms.DateField(label=_("received on"), widget=forms.DateInput(attrs={"type": "date"}))
    item = forms.CharField(label=_("ingredient"), max_length=50)
    supplier = forms.CharField(label=_("supplier"), max_length=100)
    quantity = forms.CharField(label=_("quantity"), max_length=30)
    certificate = forms.CharField(label=_("inspection certificate or batch"), max_length=60, required=False)


class SampleForm(NamedErrorsForm):
    sampled_on = forms.DateField(label=_("sampled on"), widget=forms.DateInput(attrs={"type": "date"}))
    sitting = forms.ChoiceField(label=_("meal"), choices=Meal.Sitting.choices, initial=Meal.Sitting.LUNCH)
    dish = forms.CharField(label=_("dish"), max_length=50)
    grams = forms.IntegerField(label=_("weight (g)"), min_value=0)
    kept_by = forms.CharField(label=_("kept by"), max_length=50)


class BedForm(NamedErrorsForm):
    provider: forms.ModelChoiceField = forms.ModelChoiceField(label=_("contracted provider"), queryset=None)  # type: ignore[type-arg,arg-type]
    contracted_on = forms.DateField(label=_("contracted on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, providers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]


class AdaptationForm(NamedErrorsForm):
    item = forms.CharField(label=_("adaptation"), max_length=60)
    cost = forms.DecimalField(label=_("cost (yuan)"), max_digits=10, decimal_places=2)
    completed_on = forms.DateField(label=_("completed on"), widget=forms.DateInput(attrs={"type": "date"}))


class PlanLineForm(NamedErrorsForm):
    kind = _kinds()
    times_per_month = forms.IntegerField(label=_("times a month"), min_value=1, max_value=31)
    quantity = forms.DecimalField(label=_("quantity each time"), max_digits=6, decimal_places=1, initial=1)


class DeviceForm(NamedErrorsForm):
    kind = forms.ChoiceField(label=_("device"), choices=Device.Kind.choices)
    serial = forms.CharField(label=_("serial number"), max_length=60)
    installed_on = forms.DateField(label=_("installed on"), widget=forms.DateInput(attrs={"type": "date"}))


def post_form(request: AuthedRequest, form: Any, save: Any) -> bool:
    """Validate a POSTed form and save it; True when saved (service errors go beside their fields)."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


def several_forms(
    request: AuthedRequest, builders: dict[str, Any], saves: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """A page of several small forms; a hidden "form" field names the one POSTed. Returns the forms (the
    POSTed one bound) and whether it was saved."""
    which = request.POST.get("form", "") if request.method == "POST" else ""
    forms = {name: build(request.POST if name == which else None) for name, build in builders.items()}
    return forms, which in forms and post_form(request, forms[which], saves[which])
