from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laoxiao.assessments import policy, selectors, services
from laoxiao.assessments.forms import (
    AssignForm,
    ConditionForm,
    ObjectionForm,
    ReassignForm,
    RequestForm,
    ReviewForm,
    ScheduleForm,
)
from laoxiao.assessments.importing import ASSESSMENTS_IMPORTER
from laoxiao.assessments.instruments import GBT_42195
from laoxiao.assessments.models import Assessment, Assessor
from laoxiao.assessments.scoring import items
from laoxiao.core import areacode, import_views
from laoxiao.core.exporting import download, xlsx_chunks
from laoxiao.core.scope import AuthedRequest, scoped_view
from laoxiao.facilities.selectors import facility_get
from laoxiao.people.selectors import person_get
from laoxiao.web.forms import AreaForm, add_service_errors
from laoxiao.web.paging import paginate


def _flash_errors(request: AuthedRequest, exc: ValidationError) -> None:
    for field_messages in exc.message_dict.values():
        for message in field_messages:
            messages.error(request, message)


@scoped_view(permission="assessment.view")
def assessment_list(request: AuthedRequest) -> HttpResponse:
    area_form = AreaForm(request.GET, user=request.user)
    valid = area_form.is_valid()
    filters = selectors.AssessmentFilter(
        status=request.GET.get("status", "open"),
        area=area_form.cleaned_data.get("area", "") if valid else "",
        q=request.GET.get("q", ""),
        mine=request.user.role == "assessor",
    )
    rows: QuerySet[Assessment] | list[Assessment] = (
        selectors.assessment_list(user=request.user, filters=filters) if valid else []
    )
    return render(
        request,
        "assessments/list.html",
        {
            "page": paginate(request, rows),
            "area_form": area_form,
            "filters": filters,
            "statuses": Assessment.Status.choices,
            "can_configure": request.user.has_role_permission("assessment.configure"),
        },
        status=200 if valid else 400,
    )


@scoped_view(permission="assessment.request")
def assessment_request(request: AuthedRequest, person_pk: int) -> HttpResponse:
    person = person_get(user=request.user, pk=person_pk)
    under_way = selectors.open_assessment(user=request.user, person=person)
    if under_way is not None:  # one assessment at a time: say so now, not after the form is filled in
        return render(request, "assessments/request_open.html", {"person": person, "assessment": under_way})
    form = RequestForm(request.POST or None, initial={"instrument": policy.current_instrument()})
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_request(by=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("assessments:detail", pk=assessment.pk)
    return render(
        request,
        "web/simple_form.html",
        {
            "form": form,
            "title": _("Request an assessment for %(name)s") % {"name": person.name},
            "back": ("people:detail", person.pk),
        },
    )


@scoped_view(permission="person.edit")
def condition_change(request: AuthedRequest, person_pk: int) -> HttpResponse:
    person = person_get(user=request.user, pk=person_pk)
    form = ConditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opened = services.condition_change_record(by=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if opened:
                messages.success(request, _("An immediate reassessment has been requested."))
            else:
                messages.info(request, _("An assessment is already in progress; the change is noted there."))
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "web/simple_form.html",
        {
            "form": form,
            "title": _("Record a change of condition for %(name)s") % {"name": person.name},
            "back": ("people:detail", person.pk),
        },
    )


def _assessor_of(request: AuthedRequest, assessment: Assessment) -> Assessor | None:
    return selectors.assessor_of(user=request.user, assessment=assessment)


@scoped_view(permission="assessment.view")
def assessment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.assessment_get(user=request.user, pk=pk))


def _detail_page(request: AuthedRequest, assessment: Assessment, refused: forms.Form | None = None) -> HttpResponse:
    """The assessment's page; `refused` is an action's form sent back with its messages and what was
    entered in it, in place of an empty one."""
    user = request.user
    me = _assessor_of(request, assessment)
    # Only what the status allows and the user may do: (action, permission or "an assessor of this one").
    allowed = {
        action
        for action, may in (
            ("assign", user.has_role_permission("assessment.assign")),
            (
                "reassign",
                user.has_role_permission("assessment.assign")
                and not (assessment.signed_1_at or assessment.signed_2_at)
                and policy.may_reassign(user, assessment),
            ),
            ("schedule", me is not None),
            ("assess", me is not None),
            ("review", user.has_role_permission("assessment.review")),
            ("object", user.has_role_permission("assessment.request")),
        )
        if may and assessment.status in services.ACTIONS[action]
    }
    context: dict[str, Any] = {
        "timeline": selectors.assessment_timeline(user=user, assessment=assessment),
        "disagreements": selectors.disagreements(assessment=assessment),
        "assign_form": AssignForm(assessors=selectors.assessors_available(user=user)) if "assign" in allowed else None,
        "reassign_form": ReassignForm(assessors=selectors.assessors_available(user=user))
        if "reassign" in allowed
        else None,
        "schedule_form": ScheduleForm() if "schedule" in allowed else None,
        "can_assess": "assess" in allowed,
        "review_form": ReviewForm(instrument=assessment.instrument) if "review" in allowed else None,
        "objection_form": ObjectionForm() if "object" in allowed else None,
    }
    if refused is not None:
        slot = next((name for name, form in context.items() if type(form) is type(refused)), None)
        if slot is None:  # the action is no longer offered (someone moved the assessment on): say why
            for field, errors in refused.errors.items():
                for error in errors:
                    label = refused.fields[field].label if field in refused.fields else ""
                    messages.error(request, f"{label} {error}".strip())
            return redirect("assessments:detail", pk=assessment.pk)
        context[slot] = refused
    return render(request, "assessments/detail.html", {"a": assessment, **context}, status=422 if refused else 200)


def _action(request: AuthedRequest, pk: int, form_class: type, act) -> HttpResponse:  # type: ignore[no-untyped-def]
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    extra: dict[str, object] = {}
    if issubclass(form_class, AssignForm):  # and ReassignForm
        extra["assessors"] = selectors.assessors_available(user=request.user)
    elif form_class is ReviewForm:
        extra["instrument"] = assessment.instrument
    form = form_class(request.POST, **extra)
    if not form.is_valid():
        return _detail_page(request, assessment, refused=form)
    try:
        act(assessment, form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _detail_page(request, selectors.assessment_get(user=request.user, pk=pk), refused=form)
    messages.success(request, _("Saved."))
    return redirect("assessments:detail", pk=pk)


@scoped_view(permission="assessment.assign")
@require_POST
def assessment_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, AssignForm, lambda a, data: services.assessment_assign(by=request.user, assessment=a, **data)
    )


@scoped_view(permission="assessment.assign")
@require_POST
def assessment_reassign(request: AuthedRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, ReassignForm, lambda a, data: services.assessment_reassign(by=request.user, assessment=a, **data)
    )


@scoped_view(permission="assessment.assess")
@require_POST
def assessment_schedule(request: AuthedRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, ScheduleForm, lambda a, data: services.assessment_schedule(by=request.user, assessment=a, **data)
    )


@scoped_view(permission="assessment.review")
@require_POST
def assessment_review(request: AuthedRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, ReviewForm, lambda a, data: services.assessment_review(by=request.user, assessment=a, **data)
    )


@scoped_view(permission="assessment.request")
@require_POST
def assessment_object(request: AuthedRequest, pk: int) -> HttpResponse:
    def act(assessment: Assessment, data: dict[str, str]) -> None:
        review = services.assessment_object(by=request.user, assessment=assessment, reason=data["reason"])
        messages.success(request, _("A reassessment has been requested (no. %(n)d).") % {"n": review.pk})

    return _action(request, pk, ObjectionForm, act)


@scoped_view(permission="assessment.assess")
def assessment_form(request: AuthedRequest, pk: int) -> HttpResponse:
    """The on-site form: one dimension at a time, large tap targets, saved item by item."""
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    me = _assessor_of(request, assessment)
    if me is None:
        raise PermissionDenied
    if assessment.status not in services.ACTIONS["assess"]:  # signed, approved or cancelled: nothing to fill in
        messages.info(request, _("This assessment can no longer be changed."))
        return redirect("assessments:detail", pk=pk)
    definition = assessment.instrument.definition
    return render(
        request,
        "assessments/form.html",
        {
            "a": assessment,
            "definition": definition,
            "is_first": me.pk == assessment.assessor_1_id,
            "item_count": len(items(definition)),
            "risk_types": definition.get("risk_event_types", []),
            # a dict: the template's json_script encodes it (encoding it here too made the page read a string)
            "state": {
                "answers": assessment.answers,
                "opinions": assessment.second_opinions,
                "risk_events": assessment.risk_events,
                "basic": assessment.basic_info,
            },
        },
    )


@scoped_view(permission="assessment.assess")
@require_POST
def assessment_answer(request: AuthedRequest, pk: int) -> JsonResponse:
    """Saves what the tablet sends: {"answers": {...}, "dementia": bool, "risk_events": {...}} from the
    first assessor, or {"opinion": {"item", "agree", "value", "note"}} from the second. Replays of a
    queued save are harmless: the same values are written again."""
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    try:
        payload = json.loads(request.body or b"{}")
        if "opinion" in payload:
            opinion = payload["opinion"]
            services.assessment_second_opinion(
                by=request.user,
                assessment=assessment,
                item=str(opinion["item"]),
                agree=bool(opinion.get("agree")),
                value=str(opinion.get("value", "")),
                note=str(opinion.get("note", "")),
            )
        else:
            services.assessment_save_answers(
                by=request.user,
                assessment=assessment,
                answers=dict(payload.get("answers", {})),
                dementia_or_psychiatric=payload.get("dementia"),
                risk_events=payload.get("risk_events"),
                basic_info=payload.get("basic"),
            )
    except ValidationError as exc:
        return JsonResponse({"ok": False, "errors": exc.message_dict}, status=422)
    except (ValueError, KeyError, TypeError, AttributeError):
        return JsonResponse({"ok": False, "errors": {"form": [_("The form sent unreadable data.")]}}, status=400)
    assessment.refresh_from_db()
    return JsonResponse({"ok": True, "answered": len(assessment.answers)})


@scoped_view(permission="assessment.assess")
@require_POST
def assessment_sign(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    try:
        services.assessment_sign(by=request.user, assessment=assessment)
    except ValidationError as exc:
        _flash_errors(request, exc)
        return redirect("assessments:form", pk=pk)
    messages.success(request, _("Signed."))
    return redirect("assessments:detail", pk=pk)


@scoped_view(permission="assessment.view")
def assessment_report(request: AuthedRequest, pk: int) -> HttpResponse:
    """The report in the layout of GB/T 42195 appendix C, for printing."""
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    definition = assessment.instrument.definition
    dimensions = [
        {
            "code": d["code"],
            "name": d["name"],
            "score": assessment.dimension_scores.get(d["code"]),
            "max": sum(max(o["points"] for o in item["options"]) for item in d["items"]),
        }
        for d in definition["dimensions"]
    ]
    levels = {level["level"]: level["name"] for level in definition["levels"]}
    basic = [
        {"name": element["name"], "value": "、".join([] + (value if isinstance(value, list) else [value]))}
        for element in definition.get("basic_information", [])
        if (value := assessment.basic_info.get(element["code"]))
    ]
    return render(
        request,
        "assessments/report.html",
        {
            "a": assessment,
            "dimensions": dimensions,
            "levels": levels,
            "preliminary_name": levels.get(assessment.preliminary_level or -1, ""),
            "basic": basic,
        },
    )


def _level_label(code: str, level: int | None) -> str:
    """A level by its name (重度失能), with the instrument's code where it is not GB/T 42195."""
    if level is None:
        return "—"
    name = next(
        (item["name"] for item in policy.current_instrument(code).definition["levels"] if item["level"] == level),
        str(level),
    )
    return name if code == GBT_42195 else f"{name}（{code}）"


@scoped_view(permission="assessment.view")
def assessment_statistics(request: AuthedRequest) -> HttpResponseBase:
    since = timezone.localdate().replace(day=1) - dt.timedelta(days=365)
    stats = selectors.assessment_statistics(user=request.user, since=since)
    if request.GET.get("format") == "xlsx":
        rows = [[str(r["month"])[:7], r["county"], r["n"]] for r in stats["by_month"]]
        content = xlsx_chunks([_("month"), _("county code"), _("assessments")], rows, title="assessments")
        return download(content, _("assessment statistics") + ".xlsx")
    chart = {
        "months": sorted({str(r["month"])[:7] for r in stats["by_month"]}),
        "levels": [(_level_label(row["instrument__code"], row["level"]), row["n"]) for row in stats["levels"]],
    }
    return render(request, "assessments/statistics.html", {"stats": stats, "chart": chart, "since": since})


@scoped_view(permission="assessment.import")
def assessment_import(request: AuthedRequest) -> HttpResponse:
    return import_views.upload(
        request, importer=ASSESSMENTS_IMPORTER, title=_("Import assessments"), batch_url="assessments:import_batch"
    )


@scoped_view(permission="assessment.import")
def assessment_import_batch(request: AuthedRequest, batch_id: int) -> HttpResponse:
    return import_views.batch(
        request,
        importer=ASSESSMENTS_IMPORTER,
        batch_id=batch_id,
        title=_("Import assessments"),
        list_url="assessments:list",
    )


@scoped_view(permission="assessment.import")
def assessment_import_template(request: AuthedRequest) -> HttpResponse:
    return import_views.template(ASSESSMENTS_IMPORTER, _("assessment import template"))


@scoped_view(permission="assessment.configure")
def instrument_list(request: AuthedRequest) -> HttpResponse:
    """Instrument versions; an administrator edits the settings of the current one (a new version)."""
    if request.method == "POST":
        instrument = policy.current_instrument(request.POST.get("code", ""))
        try:
            settings = json.loads(request.POST.get("settings", ""))
            if not isinstance(settings, dict):
                raise ValueError
        except ValueError:
            messages.error(request, _("The settings are not a JSON object."))
        else:
            try:
                created = services.instrument_settings_update(by=request.user, instrument=instrument, settings=settings)
            except ValidationError as exc:
                _flash_errors(request, exc)
            else:
                messages.success(request, _("Version %(v)d is now in force.") % {"v": created.version})
        return redirect("assessments:instruments")
    return render(request, "assessments/instruments.html", {"instruments": selectors.instrument_versions()})


@scoped_view(permission="facility.view")
def agency_areas(request: AuthedRequest, pk: int) -> HttpResponse:
    """The areas an assessment organisation is commissioned for; an officer who edits facilities adds
    one with the area picker (left at "all", their whole area) or ends one."""
    organisation = facility_get(user=request.user, pk=pk)
    form = AreaForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not request.user.has_role_permission("facility.edit"):
            raise PermissionDenied
        if form.is_valid():
            chosen = form.cleaned_data["area"] or (request.user.area.code if request.user.area else "")
            change = services.agency_area_remove if "remove" in request.POST else services.agency_area_add
            try:
                change(by=request.user, organisation=organisation, area_code=areacode.code_of(chosen))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("assessments:agency_areas", pk=organisation.pk)
    return render(
        request,
        "assessments/agency_areas.html",
        {
            "organisation": organisation,
            "areas": selectors.agency_areas(user=request.user, organisation=organisation),
            "county": selectors.agency_home_county(organisation=organisation),
            "form": form,
            "can_edit": request.user.has_role_permission("facility.edit"),
        },
        status=400 if form.errors else 200,
    )


@scoped_view(permission="assessment.assign")
def agency_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "assessments/agencies.html", {"agencies": selectors.agencies_serving(user=request.user)})
