from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from laoxiao.core.audit import field_label
from laoxiao.core.models import PopulationStat

COUNTS = ("resident_total", "aged_60_plus", "aged_65_plus", "aged_80_plus", "under_3", "births")


class PopulationForm(forms.Form):
    year = forms.IntegerField(label=_("year"))
    source = forms.CharField(label=_("source"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in COUNTS:
            self.fields[name] = forms.IntegerField(label=field_label(PopulationStat, name), min_value=0)
