from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

NOTE_REQUIRED = _("Write what was done (处置情况) before closing the alert.")


class AlertCloseForm(forms.Form):
    note = forms.CharField(
        label=_("what was done"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. called the family, ambulance sent, the elder taken to hospital"),
        error_messages={"required": NOTE_REQUIRED},
    )
