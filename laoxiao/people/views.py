from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laoxiao.assessments.selectors import ability_current, person_assessments
from laoxiao.core import import_views
from laoxiao.core.audit import history_entries
from laoxiao.core.identifiers import age_on
from laoxiao.core.scope import AuthedRequest, scoped_view
from laoxiao.core.selectors import export_log_visible
from laoxiao.people import selectors, services
from laoxiao.people.forms import GuardianForm, PersonEditForm, PersonFilterForm, PersonForm
from laoxiao.people.importing import PEOPLE_IMPORTER
from laoxiao.people.models import ElderlyProfile, Person
from laoxiao.people.record import person_record
from laoxiao.people.rules import is_infant
from laoxiao.web.forms import add_service_errors, filter_values
from laoxiao.web.paging import list_export, paginate, query_without_page

PERSON_EXPORT_HEADERS = [
    gettext_lazy("name"),
    gettext_lazy("ID number"),
    gettext_lazy("sex"),
    gettext_lazy("age"),
    gettext_lazy("phone"),
    gettext_lazy("county of residence"),
    gettext_lazy("area"),
    gettext_lazy("address"),
    gettext_lazy("special categories"),
    gettext_lazy("status"),
]


def _filters(request: AuthedRequest) -> tuple[PersonFilterForm, selectors.PersonFilter | None]:
    """The list's filters, or None with the form carrying a message per field when the input is bad."""
    form = PersonFilterForm(request.GET or None, user=request.user)
    values = filter_values(form)
    if values is None:
        return form, None
    return form, selectors.PersonFilter(**{"status": Person.Status.ACTIVE, **values})


def _list_page(request: AuthedRequest, form: PersonFilterForm, filters: selectors.PersonFilter | None) -> HttpResponse:
    rows = selectors.person_list(user=request.user, filters=filters) if filters else Person.objects.none()
    return render(
        request,
        "people/list.html",
        {
            "form": form,
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "today": dt.date.today(),
            "export_log": export_log_visible(request.user),
        },
        status=200 if filters is not None else 400,
    )


@scoped_view(permission="person.list")
def person_list(request: AuthedRequest) -> HttpResponse:
    form, filters = _filters(request)
    return _list_page(request, form, filters)


@scoped_view(permission="person.list")
def person_export(request: AuthedRequest) -> HttpResponseBase:
    form, filters = _filters(request)
    if filters is None:
        return _list_page(request, form, filters)
    count, rows = selectors.person_export(user=request.user, filters=filters)
    return list_export(request=request, kind=_("people"), headers=PERSON_EXPORT_HEADERS, rows=rows, count=count)


@scoped_view(permission="person.edit")
def person_create(request: AuthedRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "title": _("Register a person")})


@scoped_view(permission="person.edit")
def person_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    profile = ElderlyProfile.objects.filter(person=person).first()
    initial = {
        "name": person.name,
        "phone": "",
        "address": person.address,
        "area_code": person.area_id,
        "latitude": person.latitude or "",
        "longitude": person.longitude or "",
        "status": person.status,
        "categories": [c.value for c in profile.categories()] if profile else [],
        "ability_level": profile.ability_level if profile and profile.ability_level is not None else "",
    }
    form = PersonEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        if not values["phone"] and not request.POST.get("clear_phone"):
            values["phone"] = None  # an empty box keeps the stored number
        try:
            services.person_update(by=request.user, person=person, **values)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/form.html",
        {"form": form, "person": person, "title": _("Edit %(name)s") % {"name": person.name}},
    )


@scoped_view(permission="person.view")
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "age": age_on(person.birth_date, dt.date.today()),
            "is_infant": is_infant(person.birth_date, dt.date.today()),
            "ability": ability_current(person=person),
            "assessments": person_assessments(user=request.user, person=person)[:10],
            "can_request_assessment": request.user.has_role_permission("assessment.request"),
            "profile": ElderlyProfile.objects.filter(person=person).first(),
            "guardianships": selectors.person_guardianships(user=request.user, person=person),
            "members": selectors.household_members(user=request.user, person=person),
            "can_reveal": request.user.has_role_permission("person.reveal"),
            "can_edit": request.user.has_role_permission("person.edit"),
            "record": person_record(user=request.user, person=person),
        },
    )


@scoped_view(permission="person.view")
def person_history(request: AuthedRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    entries = history_entries(person)
    profile = ElderlyProfile.objects.filter(person=person).first()
    if profile:
        entries = sorted(entries + history_entries(profile), key=lambda e: e.at, reverse=True)
    reveals = selectors.person_reveals(user=request.user, person=person)
    return render(
        request,
        "web/history.html",
        {"object": person, "entries": entries, "back": ("people:detail", person.pk), "reveals": reveals},
    )


@scoped_view(permission="person.reveal")
def person_reveal(request: AuthedRequest, pk: int, field: str) -> HttpResponse:
    if request.method != "POST":
        raise PermissionDenied
    if field not in ("id_number", "phone"):
        raise Http404
    person = selectors.person_get(user=request.user, pk=pk)
    value = services.person_reveal(by=request.user, person=person, field=field)
    return render(request, "people/_revealed.html", {"value": value})


@scoped_view(permission="person.edit")
def guardianship_create(request: AuthedRequest, pk: int) -> HttpResponse:
    infant = selectors.person_get(user=request.user, pk=pk)
    form = GuardianForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        guardian = selectors.person_find_by_id_number(
            user=request.user, id_number=form.cleaned_data["guardian_id_number"]
        )
        if guardian is None:
            form.add_error(
                "guardian_id_number", _("No registered person with this ID number is within your responsibility.")
            )
        else:
            try:
                services.guardianship_create(
                    by=request.user,
                    infant=infant,
                    guardian=guardian,
                    relation=form.cleaned_data["relation"],
                    is_primary=form.cleaned_data["is_primary"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("people:detail", pk=infant.pk)
    return render(
        request,
        "web/simple_form.html",
        {
            "form": form,
            "title": _("Add a guardian for %(name)s") % {"name": infant.name},
            "back": ("people:detail", infant.pk),
        },
    )


@scoped_view(permission="person.import")
def person_import(request: AuthedRequest) -> HttpResponse:
    return import_views.upload(
        request, importer=PEOPLE_IMPORTER, title=_("Import people"), batch_url="people:import_batch"
    )


@scoped_view(permission="person.import")
def person_import_batch(request: AuthedRequest, batch_id: int) -> HttpResponse:
    return import_views.batch(
        request, importer=PEOPLE_IMPORTER, batch_id=batch_id, title=_("Import people"), list_url="people:list"
    )


@scoped_view(permission="person.import")
def person_import_template(request: AuthedRequest) -> HttpResponse:
    return import_views.template(PEOPLE_IMPORTER, _("people import template"))
