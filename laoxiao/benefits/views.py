from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laoxiao.benefits import applications, selectors, services
from laoxiao.benefits.forms import ApplicationForm, ReconcileForm, ReviewForm, RunForm
from laoxiao.benefits.models import Programme
from laoxiao.core.models import Area
from laoxiao.core.scope import AuthedRequest, area_in_scope, scoped_view
from laoxiao.facilities.selectors import FacilityFilter, facility_list
from laoxiao.web.forms import add_service_errors
from laoxiao.web.paging import paginate, query_without_page


def _programme(code: str) -> Programme:
    try:
        return selectors.programme_get(code=code)
    except Programme.DoesNotExist:
        raise Http404 from None


@scoped_view(permission="benefit.view")
def programme_list(request: AuthedRequest) -> HttpResponse:
    services.programmes_sync()
    return render(request, "benefits/list.html", {"programmes": selectors.programme_list()})


@scoped_view(permission="benefit.view")
def programme_detail(request: AuthedRequest, code: str) -> HttpResponse:
    programme = _programme(code)
    form = RunForm(request.POST or None, initial={"area": request.user.area_id})
    if request.method == "POST":
        if not request.user.has_role_permission("benefit.run"):
            raise Http404
        if form.is_valid():
            area = Area.objects.filter(code=form.cleaned_data["area"]).first()
            if area is None or not area_in_scope(request.user, area.code):
                form.add_error("area", _("No area with this code is within your responsibility."))
            else:
                try:
                    batch = services.proactive_run(
                        by=request.user, programme=programme, area=area, period=form.cleaned_data["period"]
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    return redirect("benefits:batch", pk=batch.pk)
    version = services.rule_in_force(programme)
    return render(
        request,
        "benefits/programme.html",
        {
            "programme": programme,
            "version": version,
            "rule": json.dumps(version.rule, ensure_ascii=False, indent=1),
            "batches": selectors.batch_list(user=request.user, programme=programme),
            "form": form,
            "can_run": request.user.has_role_permission("benefit.run")
            and programme.mode == Programme.Mode.PROACTIVE
            and programme.beneficiary == Programme.Beneficiary.PERSON,
            "applications": selectors.application_list(user=request.user, programme=programme)[:50],
            "can_apply": request.user.has_role_permission("benefit.apply")
            and programme.mode == Programme.Mode.APPLICATION,
            "can_batch": request.user.has_role_permission("benefit.run")
            and programme.mode == Programme.Mode.APPLICATION,
        },
    )


@scoped_view(permission="benefit.view")
def batch_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk)
    page = paginate(request, selectors.batch_payments(user=request.user, batch=batch))
    return render(
        request,
        "benefits/batch.html",
        {
            "batch": batch,
            "page": page,
            "query": query_without_page(request),
            "reconcile_form": ReconcileForm(),
            "dropped": list(batch.changes.get("dropped", {}).values())[:200],
            "can_approve": request.user.has_role_permission("benefit.approve"),
        },
    )


@scoped_view(permission="benefit.approve")
@require_POST
def batch_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk)
    try:
        services.batch_approve(by=request.user, batch=batch)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("benefits:batch", pk=pk)


@scoped_view(permission="benefit.approve")
def batch_file(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk)
    try:
        content = services.payment_file(by=request.user, batch=batch)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("benefits:batch", pk=pk)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="payments-{batch.pk}-{batch.period}.csv"'
    return response


@scoped_view(permission="benefit.approve")
@require_POST
def batch_reconcile(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk)
    form = ReconcileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            result = services.batch_reconcile(by=request.user, batch=batch, content=form.cleaned_data["file"].read())
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(paid)d paid, %(failed)d failed.") % result)
    return redirect("benefits:batch", pk=pk)


def _rule_facts(rule: dict[str, object]) -> list[str]:
    """The application facts a rule reads, in the order it reads them."""
    names = [c["fact"] for c in rule.get("eligibility", [])]  # type: ignore[attr-defined,index]
    amount = rule.get("amount", {})
    names += [amount.get("unit", "")] if isinstance(amount, dict) else []
    return [n for n in dict.fromkeys(names) if n.startswith("application.")]


@scoped_view(permission="benefit.apply")
def application_create(request: AuthedRequest, code: str) -> HttpResponse:
    programme = _programme(code)
    version = services.rule_in_force(programme)
    form = ApplicationForm(
        request.POST or None,
        facilities=facility_list(user=request.user, filters=FacilityFilter()),
        facts=_rule_facts(version.rule),
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = applications.application_submit(
                by=request.user, programme=programme, facility=form.cleaned_data["facility"], stated=form.stated()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("benefits:application", pk=application.pk)
    return render(
        request,
        "web/simple_form.html",
        {
            "form": form,
            "back": ("benefits:programme", programme.code),
            "title": _("Apply: %(name)s") % {"name": programme.name},
        },
    )


@scoped_view(permission="benefit.view")
def application_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_role_permission("benefit.review"):
            raise Http404
        if form.is_valid():
            try:
                applications.application_review(by=request.user, application=application, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied:
                form.add_error(None, _("The county review is made by county staff other than the first reviewer."))
            else:
                return redirect("benefits:application", pk=pk)
    return render(
        request,
        "benefits/application.html",
        {
            "application": application,
            "form": form,
            "overdue": applications.application_overdue(application),
            "can_review": request.user.has_role_permission("benefit.review"),
        },
    )


@scoped_view(permission="benefit.run")
@require_POST
def applications_batch(request: AuthedRequest, code: str) -> HttpResponse:
    programme = _programme(code)
    area = request.user.area
    if area is None:
        raise Http404
    try:
        batch = applications.batch_from_applications(
            by=request.user, programme=programme, area=area, year=timezone.localdate().year
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("benefits:programme", code=code)
    return redirect("benefits:batch", pk=batch.pk)
