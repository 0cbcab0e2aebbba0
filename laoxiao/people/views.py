from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from laoxiao.assessments.selectors import ability_current
from laoxiao.core import import_views
from laoxiao.core.audit import history_entries
from laoxiao.core.identifiers import age_on
from laoxiao.core.scope import AuthedRequest, scoped_view
from laoxiao.core.selectors import export_log_visible
from laoxiao.core.versions import carry_new_version, version_of
from laoxiao.people import selectors, services
from laoxiao.people.forms import EmergencyContactForm, GuardianForm, PersonEditForm, PersonFilterForm, PersonForm
from laoxiao.people.importing import PEOPLE_IMPORTER
from laoxiao.people.models import Person
from laoxiao.people.record import SECTIONS, person_record, section_rows
from laoxiao.people.rules import is_infant
from laoxiao.web.forms import add_service_errors, filter_summary, filter_values
from laoxiao.web.paging import MAX_PAGE_SIZE, list_export, paginate, query_without_page
from laoxiao.web.searches import search_data, search_redirect_query

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
    data = search_data(request)
    if data is None:  # a search token from another session, or one that has lapsed
        form = PersonFilterForm(QueryDict(), user=request.user)
        form.add_error("q", _("This search has lapsed: enter it again."))
    else:
        form = PersonFilterForm(data or None, user=request.user)
    values = filter_values(form)
    if values is None:
        return form, None
    return form, selectors.PersonFilter(**{"status": Person.Status.ACTIVE, **values})


def _list_page(request: AuthedRequest, form: PersonFilterForm, filters: selectors.PersonFilter | None) -> HttpResponse:
    rows: QuerySet[Person] | list[Person] = selectors.person_list(user=request.user, filters=filters) if filters else []
    return render(
        request,
        "people/list.html",
        {
            "form": form,
            "page": paginate(request, rows),
            "query": query_without_page(request),
            "today": timezone.localdate(),
            "export_log": export_log_visible(request.user),
        },
        status=200 if filters is not None else 400,
    )


@scoped_view(permission="person.list")
def person_list(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":  # the filters are posted, so that an ID number or phone is not in a URL
        form = PersonFilterForm(request.POST, user=request.user)
        if not form.is_valid():
            return _list_page(request, form, None)
        return redirect(f"{reverse('people:list')}?{search_redirect_query(request)}")
    form, filters = _filters(request)
    return _list_page(request, form, filters)


@scoped_view(permission="person.list")
def person_export(request: AuthedRequest) -> HttpResponseBase:
    form, filters = _filters(request)
    if filters is None:
        return _list_page(request, form, filters)
    count, rows = selectors.person_export(user=request.user, filters=filters)
    return list_export(
        request=request,
        kind=_("people"),
        filters=filter_summary(form),
        headers=PERSON_EXPORT_HEADERS,
        rows=rows,
        count=count,
    )


@scoped_view(permission="person.edit")
def person_create(request: AuthedRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, user=request.user)
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
    profile = selectors.profile_of(person=person)
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
        "version": version_of(person),
    }
    form = PersonEditForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        if not values["phone"] and not request.POST.get("clear_phone"):
            values["phone"] = None  # an empty box keeps the stored number
        try:
            services.person_update(by=request.user, person=person, **values)
        except ValidationError as exc:
            add_service_errors(form, exc)
            carry_new_version(form, exc)
        else:
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/form.html",
        {"form": form, "person": person, "title": _("Edit %(name)s") % {"name": person.name}},
        status=400 if form.errors else 200,
    )


def _detail(request: AuthedRequest, person: Person, contact_form: EmergencyContactForm | None = None) -> HttpResponse:
    can_edit = request.user.has_role_permission("person.edit")
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "age": age_on(person.birth_date, timezone.localdate()),
            "is_infant": is_infant(person.birth_date, timezone.localdate()),
            "ability": ability_current(person=person),
            "can_request_assessment": request.user.has_role_permission("assessment.request"),
            "profile": selectors.profile_of(person=person),
            "guardianships": selectors.person_guardianships(user=request.user, person=person),
            "members": selectors.household_members(user=request.user, person=person),
            "contacts": selectors.person_emergency_contacts(user=request.user, person=person),
            "contact_form": contact_form or (EmergencyContactForm() if can_edit else None),
            "can_reveal": request.user.has_role_permission("person.reveal"),
            "can_edit": can_edit,
            "record": person_record(user=request.user, person=person),
        },
        status=400 if contact_form is not None else 200,
    )


@scoped_view(permission="person.view")
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.person_get(user=request.user, pk=pk))


@scoped_view(permission="person.view")
def person_section(request: AuthedRequest, pk: int, section: str) -> HttpResponse:
    """All of one section of the record, 100 rows a page; a section the role may not read does not exist."""
    person = selectors.person_get(user=request.user, pk=pk)
    rows = section_rows(user=request.user, person=person, name=section)
    if rows is None:
        raise Http404
    return render(
        request,
        "people/section.html",
        {
            "person": person,
            "name": section,
            "title": SECTIONS[section].title,
            "page": paginate(request, rows, per_page=MAX_PAGE_SIZE),
        },
    )


@scoped_view(permission="person.edit")
def emergency_contact_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """The form on the person page; bad input shows the page again with a message beside each field (a 400,
    which core/once.py takes for nothing done, so a reload shows the messages again). Opened by GET (the
    address bar, Back, the return from signing in again) it is the person's page."""
    person = selectors.person_get(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect(reverse("people:detail", args=[person.pk]) + "#contacts")
    form = EmergencyContactForm(request.POST)
    if form.is_valid():
        try:
            services.emergency_contact_add(by=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(reverse("people:detail", args=[person.pk]) + "#contacts")
    return _detail(request, person, contact_form=form)


@scoped_view(permission="person.edit")
@require_POST
def emergency_contact_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    contact = selectors.emergency_contact_get(user=request.user, pk=pk)
    services.emergency_contact_remove(by=request.user, contact=contact)
    return redirect(reverse("people:detail", args=[contact.person_id]) + "#contacts")


@scoped_view(permission="person.reveal")
@require_POST
def emergency_contact_reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    contact = selectors.emergency_contact_get(user=request.user, pk=pk)
    value = services.person_reveal(by=request.user, person=contact.person, field="phone", contact=contact)
    return render(request, "people/_revealed.html", {"value": value})


@scoped_view(permission="person.view")
def person_history(request: AuthedRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    entries = history_entries(person)
    profile = selectors.profile_of(person=person)
    if profile:
        entries = sorted(entries + history_entries(profile), key=lambda e: e.at, reverse=True)
    reveals = selectors.person_reveals(user=request.user, person=person)
    # Paged at the default size: one change of many fields is many table rows.
    return render(
        request,
        "web/history.html",
        {
            "object": person,
            "entries": paginate(request, entries),
            "back": ("people:detail", person.pk),
            "reveals": paginate(request, reveals, param="reveals_page"),
        },
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
