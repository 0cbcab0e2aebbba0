from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laoxiao.core import import_views
from laoxiao.core.audit import history_entries
from laoxiao.core.scope import AuthedRequest, scoped_view
from laoxiao.core.versions import carry_new_version
from laoxiao.facilities import selectors, services
from laoxiao.facilities.forms import (
    AgreementForm,
    CertificateForm,
    FacilityFilterForm,
    FacilityForm,
    StaffFilterForm,
    StaffMemberForm,
    TrainingForm,
)
from laoxiao.facilities.importing import FACILITIES_IMPORTER
from laoxiao.facilities.models import Facility
from laoxiao.web.forms import add_service_errors, filter_summary, filter_values, simple_form
from laoxiao.web.paging import list_export, paginate, query_without_page


def _filters(request: AuthedRequest) -> tuple[FacilityFilterForm, selectors.FacilityFilter | None]:
    form = FacilityFilterForm(request.GET or None, user=request.user)
    values = filter_values(form)
    if values is None:
        for name, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[name].label}：{error}")
        return form, None
    return form, selectors.FacilityFilter(**values)


def _list_page(
    request: AuthedRequest, form: FacilityFilterForm, filters: selectors.FacilityFilter | None
) -> HttpResponse:
    rows: QuerySet[Facility] | list[Facility] = (
        selectors.facility_list(user=request.user, filters=filters) if filters else []
    )
    return render(
        request,
        "facilities/list.html",
        {"form": form, "page": paginate(request, rows), "query": query_without_page(request)},
        status=200 if filters else 400,
    )


@scoped_view(permission="facility.view")
def facility_list(request: AuthedRequest) -> HttpResponse:
    return _list_page(request, *_filters(request))


FOLLOW_UP_TEXTS = {  # selectors.FOLLOW_UPS: title, and what puts a facility on the list
    "unfiled": (
        gettext_lazy("Childcare institutions operating without filing"),
        gettext_lazy("Operating childcare institutions whose filing with the health commission is not recorded."),
    ),
    "certificates_expired": (
        gettext_lazy("Childcare institutions with a staff certificate expired"),
        gettext_lazy("Operating childcare institutions with a member of staff whose certificate has expired."),
    ),
    "no_medical_care": (
        gettext_lazy("Care homes without medical care"),
        gettext_lazy("Operating care homes with neither an on-site clinic nor a medical-care agreement in force."),
    ),
}


@scoped_view(permission="facility.view")
def facility_follow_up(request: AuthedRequest, what: str) -> HttpResponse:
    """One list of facilities to follow up (selectors.FOLLOW_UPS), the one its start-page count is of."""
    if what not in selectors.FOLLOW_UPS:
        raise Http404
    rows = selectors.facilities_to_follow_up(user=request.user, what=what)
    title, explanation = FOLLOW_UP_TEXTS[what]
    context = {"title": title, "explanation": explanation, "what": what, "page": paginate(request, rows)}
    return render(request, "facilities/follow_up.html", context)


@scoped_view(permission="facility.view")
def facility_export(request: AuthedRequest) -> HttpResponseBase:
    form, filters = _filters(request)
    if filters is None:
        return _list_page(request, form, filters)
    headers = [
        _("facility name"),
        _("kind"),
        _("unified social credit code"),
        _("ownership"),
        _("profit status"),
        _("inclusive (puhui)"),
        _("status"),
        _("area"),
        _("address"),
        _("beds"),
        _("nursing beds"),
        _("inclusive beds"),
        _("occupied beds"),
        _("childcare places"),
        _("inclusive childcare places"),
        _("children enrolled"),
        _("filing status"),
    ]

    def row(f: Facility) -> list[object]:
        return [
            f.name,
            f.get_kind_display(),
            f.uscc or "",
            f.get_ownership_display(),
            f.get_profit_status_display(),
            _("yes") if f.is_inclusive else _("no"),
            f.get_status_display(),
            f.area.name,
            f.address,
            f.beds_total,
            f.beds_nursing,
            f.beds_inclusive,
            f.beds_occupied,
            f.places_total,
            f.places_inclusive,
            f.enrolled,
            f.get_filing_status_display(),
        ]

    queryset = selectors.facility_list(user=request.user, filters=filters)
    rows = (row(f) for f in queryset.iterator(chunk_size=2000))
    return list_export(
        request=request,
        kind=_("facilities"),
        filters=filter_summary(form),
        headers=headers,
        rows=rows,
        count=queryset.count(),
    )


@scoped_view(permission="facility.register")
def facility_create(request: AuthedRequest) -> HttpResponse:
    form = FacilityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            facility = services.facility_create(by=request.user, values=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("facilities:detail", pk=facility.pk)
    return render(request, "facilities/form.html", {"form": form, "title": _("Register a facility")})


@scoped_view(permission="facility.edit")
def facility_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = selectors.facility_get(user=request.user, pk=pk)
    form = FacilityForm(
        request.POST or None,
        initial=FacilityForm.initial_for(facility),
        user=request.user,
        regulator=not request.user.role_scopes_by_organisation,
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        version = values.pop("version")
        try:
            services.facility_update(by=request.user, facility=facility, values=values, version=version)
        except ValidationError as exc:
            add_service_errors(form, exc)
            carry_new_version(form, exc)
        else:
            return redirect("facilities:detail", pk=facility.pk)
    return render(
        request,
        "facilities/form.html",
        {
            "form": form,
            "facility": facility,
            "title": _("Edit %(name)s") % {"name": facility.name},
            "regulator_only": request.user.role_scopes_by_organisation,
        },
    )


@scoped_view(permission="facility.view")
def facility_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = selectors.facility_get(user=request.user, pk=pk)
    staff_filter = StaffFilterForm(request.GET or None)
    filters = staff_filter.cleaned_data if staff_filter.is_valid() else {}
    staff = paginate(request, selectors.facility_staff(user=request.user, facility=facility, **filters))
    return render(
        request,
        "facilities/detail.html",
        {
            "facility": facility,
            "staff": selectors.with_certificate_states(staff),
            "page": staff,
            "query": query_without_page(request),
            "staff_filter": staff_filter,
            "agreements": selectors.facility_agreements(user=request.user, facility=facility),
            "can_edit": request.user.has_role_permission("facility.edit"),
        },
    )


@scoped_view(permission="facility.view")
def facility_history(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = selectors.facility_get(user=request.user, pk=pk)
    return render(
        request,
        "web/history.html",
        {"object": facility, "entries": history_entries(facility), "back": ("facilities:detail", facility.pk)},
    )


@scoped_view(permission="facility.edit")
def staff_member_create(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = selectors.facility_get(user=request.user, pk=pk)
    return simple_form(
        request,
        StaffMemberForm(request.POST or None),
        lambda data: services.staff_member_create(by=request.user, facility=facility, **data),
        title=_("Add staff member") + " · " + facility.name,
        back=("facilities:detail", facility.pk),
    )


@scoped_view(permission="facility.edit")
def certificate_create(request: AuthedRequest, pk: int) -> HttpResponse:
    staff = selectors.staff_member_get(user=request.user, pk=pk)
    return simple_form(
        request,
        CertificateForm(request.POST or None),
        lambda data: services.certificate_create(by=request.user, staff=staff, **data),
        title=_("Add a certificate") + " · " + staff.name,
        back=("facilities:detail", staff.facility_id),
    )


@scoped_view(permission="facility.edit")
def training_record_create(request: AuthedRequest, pk: int) -> HttpResponse:
    staff = selectors.staff_member_get(user=request.user, pk=pk)
    return simple_form(
        request,
        TrainingForm(request.POST or None),
        lambda data: services.training_record_create(by=request.user, staff=staff, **data),
        title=_("Add a training record") + " · " + staff.name,
        back=("facilities:detail", staff.facility_id),
    )


@scoped_view(permission="facility.edit")
def medical_agreement_create(request: AuthedRequest, pk: int) -> HttpResponse:
    facility = selectors.facility_get(user=request.user, pk=pk)
    return simple_form(
        request,
        AgreementForm(request.POST or None),
        lambda data: services.medical_agreement_create(by=request.user, facility=facility, **data),
        title=_("Add a medical-care agreement") + " · " + facility.name,
        back=("facilities:detail", facility.pk),
    )


@scoped_view(permission="facility.import")
def facility_import(request: AuthedRequest) -> HttpResponse:
    return import_views.upload(
        request, importer=FACILITIES_IMPORTER, title=_("Import facilities"), batch_url="facilities:import_batch"
    )


@scoped_view(permission="facility.import")
def facility_import_batch(request: AuthedRequest, batch_id: int) -> HttpResponse:
    return import_views.batch(
        request,
        importer=FACILITIES_IMPORTER,
        batch_id=batch_id,
        title=_("Import facilities"),
        list_url="facilities:list",
    )


@scoped_view(permission="facility.import")
def facility_import_template(request: AuthedRequest) -> HttpResponse:
    return import_views.template(FACILITIES_IMPORTER, _("facilities import template"))
