from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from laoxiao.planning.models import MajorProject, PlanIndicator, Task
from laoxiao.web.forms import AreaChoiceField, AreaFilterForm


class ProjectUpdateForm(forms.Form):
    percent_done = forms.IntegerField(label=_("progress (%)"), min_value=0, max_value=100)
    investment_done_wan = forms.DecimalField(label=_("investment completed (10k yuan)"), min_value=0, decimal_places=2)
    milestone = forms.CharField(label=_("latest milestone"), max_length=200, required=False)
    status = forms.ChoiceField(label=_("status"), choices=MajorProject.Status.choices)
    reason = forms.CharField(label=_("reason for a lower figure"), max_length=100, required=False)


class TaskReportForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=Task.Status.choices)
    report = forms.CharField(label=_("latest report"), widget=forms.Textarea(attrs={"rows": 3}))
    due = forms.DateField(label=_("due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ReportedValueForm(AreaFilterForm):
    item = forms.ModelChoiceField(label=_("indicator"), queryset=PlanIndicator.objects.none())
    area = AreaChoiceField(label=_("area"), required=False)
    on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(label=_("value"), max_digits=16, decimal_places=4)
    evidence = forms.CharField(label=_("evidence"), max_length=200)

    def __init__(self, *args: Any, items: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items  # type: ignore[attr-defined]


class PlanImportForm(AreaFilterForm):
    file = forms.FileField(label=_("annex 1 table (.xlsx)"))
    code = forms.SlugField(label=_("code"), max_length=40)
    name = forms.CharField(label=_("name"), max_length=200)
    area = AreaChoiceField(label=_("area"), required=False)
    baseline_year = forms.IntegerField(label=_("baseline year"), required=False, min_value=1990, max_value=2100)
    target_year = forms.IntegerField(label=_("target year"), min_value=1990, max_value=2100)


class AreaTargetForm(forms.Form):
    item = forms.ModelChoiceField(label=_("indicator"), queryset=PlanIndicator.objects.none())
    year = forms.IntegerField(label=_("year"), min_value=1990, max_value=2100)
    value = forms.DecimalField(label=_("target"), max_digits=14, decimal_places=4)

    def __init__(self, *args: Any, items: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items  # type: ignore[attr-defined]
