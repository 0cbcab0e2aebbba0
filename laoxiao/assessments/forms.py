"""Forms only carry raw input; the services judge it."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from laoxiao.assessments.models import Assessment, Assessor, Instrument
from laoxiao.assessments.services import CONDITION_CHANGES


class RequestForm(forms.Form):
    instrument = forms.ModelChoiceField(
        label=_("instrument"), queryset=Instrument.objects.filter(is_current=True), empty_label=None
    )
    reason = forms.ChoiceField(label=_("reason"), choices=Assessment.Reason.choices, initial=Assessment.Reason.FIRST)
    requester_kind = forms.ChoiceField(
        label=_("requested by"),
        choices=[
            c
            for c in Assessment.Requester.choices
            if c[0] not in (Assessment.Requester.SYSTEM, Assessment.Requester.IMPORT)
        ],
    )


class AssessorChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Assessor) -> str:  # type: ignore[override]
        return f"{obj} · {obj.organisation} · {obj.get_qualification_display()}"


class AssignForm(forms.Form):
    assessor_1 = AssessorChoiceField(label=_("first assessor"), queryset=Assessor.objects.none())
    assessor_2 = AssessorChoiceField(label=_("second assessor"), queryset=Assessor.objects.none())

    def __init__(self, *args: Any, assessors: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("assessor_1", "assessor_2"):
            self.fields[name].queryset = assessors  # type: ignore[attr-defined]


class ReassignForm(AssignForm):
    reason = forms.CharField(label=_("reason for the change"), max_length=200)


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label=_("appointment"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    place = forms.CharField(label=_("place"), max_length=200)


class ReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("decision"), coerce=lambda v: v == "1", choices=[("1", _("approve")), ("0", _("return for correction"))]
    )
    level = forms.TypedChoiceField(
        label=_("level (only where the rules leave it open)"), required=False, coerce=int, empty_value=None
    )
    note = forms.CharField(label=_("note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the levels by their names in the instrument the form was scored with (能力完好 … 完全失能)
        self.fields["level"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *[(str(level["level"]), level["name"]) for level in instrument.definition["levels"]],
        ]


class ObjectionForm(forms.Form):
    reason = forms.CharField(label=_("objection"), max_length=100)


class ConditionForm(forms.Form):
    change = forms.ChoiceField(label=_("what changed"), choices=list(CONDITION_CHANGES.items()))
    detail = forms.CharField(label=_("detail"), max_length=80, required=False)
