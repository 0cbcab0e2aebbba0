"""Forms only render and carry raw input; facilities.validation (through the services) judges it."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from laoxiao.core.audit import field_label
from laoxiao.core.versions import VersionField, version_of
from laoxiao.facilities.models import Certificate, Facility, FacilityKind, MedicalCareAgreement, StaffRole
from laoxiao.facilities.services import REGULATOR_FIELDS
from laoxiao.facilities.validation import COUNT_FIELDS
from laoxiao.web.forms import AreaFilterField, AreaFilterForm, RecordAreaField


class FacilityForm(AreaFilterForm):
    version = VersionField()
    name = forms.CharField(label=_("facility name"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=FacilityKind.choices)
    uscc = forms.CharField(label=_("unified social credit code"), max_length=18, required=False)
    ownership = forms.ChoiceField(label=_("ownership"), choices=Facility.Ownership.choices)
    operator_name = forms.CharField(label=_("operator"), max_length=100, required=False)
    profit_status = forms.ChoiceField(label=_("profit status"), choices=Facility.ProfitStatus.choices)
    is_inclusive = forms.BooleanField(label=_("inclusive (puhui)"), required=False)
    status = forms.ChoiceField(label=_("status"), choices=Facility.Status.choices, initial=Facility.Status.OPERATING)
    address = forms.CharField(label=_("address"), max_length=200)
    area_code = RecordAreaField(label=_("street / community"))
    latitude = forms.CharField(label=_("latitude"), required=False)
    longitude = forms.CharField(label=_("longitude"), required=False)
    phone = forms.CharField(label=_("contact phone"), max_length=20, required=False)
    floor_area_m2 = forms.CharField(label=_("floor area (m²)"), required=False)
    filing_status = forms.ChoiceField(label=_("filing status"), choices=Facility.FilingStatus.choices)
    has_clinic = forms.BooleanField(label=_("has an on-site clinic"), required=False)

    def __init__(self, *args: Any, regulator: bool = True, **kwargs: Any) -> None:
        """`regulator=False` (an operator) leaves out what only the civil affairs bureau records."""
        super().__init__(*args, **kwargs)
        for name in COUNT_FIELDS:  # labels come from the model, the one place they are named
            self.fields[name] = forms.CharField(label=field_label(Facility, name), required=False, initial="0")
        if not regulator:  # nor may an operator move its home: the area is the regulator's record too
            for name in (*REGULATOR_FIELDS, "area_code"):
                del self.fields[name]

    @staticmethod
    def initial_for(facility: Facility) -> dict[str, object]:
        values = {
            name: getattr(facility, name)
            for name in (
                "name",
                "kind",
                "uscc",
                "ownership",
                "operator_name",
                "profit_status",
                "is_inclusive",
                "status",
                "address",
                "latitude",
                "longitude",
                "phone",
                "floor_area_m2",
                "filing_status",
                "has_clinic",
                *COUNT_FIELDS,
            )
        }
        blank = {k: ("" if v is None else v) for k, v in values.items()}
        return {**blank, "area_code": facility.area_id, "version": version_of(facility)}


class FacilityFilterForm(AreaFilterForm):
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=[("", "—"), *FacilityKind.choices])
    q = forms.CharField(label=_("search"), required=False)
    area = AreaFilterField(label=_("area"), required=False)
    ownership = forms.ChoiceField(
        label=_("ownership"), required=False, choices=[("", "—"), *Facility.Ownership.choices]
    )
    status = forms.ChoiceField(label=_("status"), required=False, choices=[("", "—"), *Facility.Status.choices])
    inclusive = forms.ChoiceField(
        label=_("inclusive (puhui)"), required=False, choices=[("", "—"), ("1", _("yes")), ("0", _("no"))]
    )
    sort = forms.ChoiceField(
        label=_("sort"),
        required=False,
        choices=[
            ("-created", _("newest first")),
            ("name", _("name")),
            ("-beds", _("most beds")),
            ("-places", _("most places")),
            ("area", _("area")),
        ],
    )


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("name or last 4 ID digits"), required=False, max_length=50)
    certificates = forms.ChoiceField(
        label=_("certificates"),
        required=False,
        choices=[("", "—"), ("expired", _("expired")), ("expiring", _("expiring soon"))],
    )
    sort = forms.ChoiceField(
        label=_("sort"),
        required=False,
        choices=[("role", _("role")), ("expiry", _("certificate expiring first"))],
    )


class StaffMemberForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=18)
    role = forms.ChoiceField(label=_("role"), choices=StaffRole.choices)
    hired_on = forms.DateField(label=_("hired on"), widget=forms.DateInput(attrs={"type": "date"}))


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label=_("certificate"), choices=Certificate.Kind.choices)
    level = forms.ChoiceField(label=_("level"), choices=Certificate.Level.choices, required=False)
    number = forms.CharField(label=_("certificate number"), max_length=50, required=False)
    issued_on = forms.DateField(label=_("issued on"), widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(label=_("expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class TrainingForm(forms.Form):
    course = forms.CharField(label=_("course"), max_length=100)
    hours = forms.DecimalField(label=_("hours"), min_value=0, max_digits=6, decimal_places=1)
    completed_on = forms.DateField(label=_("completed on"), widget=forms.DateInput(attrs={"type": "date"}))
    organiser = forms.CharField(label=_("organiser"), max_length=100, required=False)


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=MedicalCareAgreement.Kind.choices)
    partner_name = forms.CharField(label=_("medical institution"), max_length=100)
    signed_on = forms.DateField(label=_("signed on"), widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(label=_("expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
