from django import forms
from django.utils.translation import gettext_lazy as _


class RunForm(forms.Form):
    area = forms.CharField(label=_("area code"), max_length=12)
    period = forms.CharField(label=_("period"), max_length=10, help_text=_("2026-11, 2026-Q4 or 2026"))


class ReconcileForm(forms.Form):
    file = forms.FileField(label=_("bank result file (CSV: 序号, 结果, 原因)"))
