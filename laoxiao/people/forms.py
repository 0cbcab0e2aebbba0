"""Forms only render and carry raw input; people.validation (through the services) judges it."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from laoxiao.core.versions import VersionField
from laoxiao.people.models import AbilityLevel, ElderlyCategory, EmergencyContact, Guardianship, Person
from laoxiao.web.forms import AreaFilterField, AreaFilterForm, RecordAreaField


class PersonForm(AreaFilterForm):
    name = forms.CharField(label=_("name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    area_code = RecordAreaField(label=_("street / community"))
    latitude = forms.CharField(label=_("latitude"), required=False)
    longitude = forms.CharField(label=_("longitude"), required=False)
    categories = forms.MultipleChoiceField(
        label=_("special categories"),
        choices=ElderlyCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ability_level = forms.ChoiceField(
        label=_("ability level"), choices=[("", "—"), *AbilityLevel.choices], required=False
    )


class PersonEditForm(PersonForm):
    status = forms.ChoiceField(label=_("status"), choices=Person.Status.choices)
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["id_number"].help_text = _("Leave empty to keep the registered ID number.")
        self.fields["phone"].help_text = _("Leave empty to keep the registered phone.")


class PersonFilterForm(AreaFilterForm):
    kind = forms.ChoiceField(
        label=_("who"),
        required=False,
        choices=[("all", _("everyone")), ("elderly", _("elderly (60+)")), ("infant", _("infants (under 3)"))],
    )
    q = forms.CharField(label=_("name or full ID number / phone"), required=False)
    id_last4 = forms.RegexField(
        label=_("last four of the ID number"),
        regex=r"^[0-9]{3}[0-9Xx]$",
        required=False,
        error_messages={"invalid": _("Enter the last four characters of the ID number: four digits, or three and X.")},
        widget=forms.TextInput(attrs={"inputmode": "text", "size": 5, "maxlength": 4}),
    )
    area = AreaFilterField(label=_("area"), required=False)
    category = forms.ChoiceField(label=_("category"), required=False, choices=[("", "—"), *ElderlyCategory.choices])
    advanced_age = forms.BooleanField(label=_("aged 80+"), required=False)
    sex = forms.ChoiceField(label=_("sex"), required=False, choices=[("", "—"), ("1", _("male")), ("2", _("female"))])
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[*Person.Status.choices, ("all", _("everyone"))]
    )
    sort = forms.ChoiceField(
        label=_("sort"),
        required=False,
        choices=[
            ("area", _("area, then oldest first")),
            ("-created", _("newest first")),
            ("name", _("name")),
            ("birth_date", _("oldest first")),
            ("-birth_date", _("youngest first")),
        ],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The last four alone would list a ten-thousandth of the city; with a name they find one person.
        if data.get("id_last4") and not data.get("q"):
            self.add_error("id_last4", _("Enter the name as well: the last four digits are searched with a name."))
        return data


class GuardianForm(forms.Form):
    guardian_id_number = forms.CharField(label=_("guardian's ID number"), max_length=18)
    relation = forms.ChoiceField(label=_("relation"), choices=Guardianship.Relation.choices)
    is_primary = forms.BooleanField(label=_("primary guardian"), required=False)


class EmergencyContactForm(forms.Form):
    """Name and phone are judged by the service, so an empty name and a bad phone are told at once."""

    name = forms.CharField(label=_("name"), max_length=50, required=False)
    relation = forms.ChoiceField(label=_("relation"), choices=EmergencyContact.Relation.choices)
    phone = forms.CharField(
        label=_("phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
