from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laoxiao.benefits import selectors, services
from laoxiao.benefits.forms import ReconcileForm, RunForm
from laoxiao.benefits.models import Programme
from laoxiao.core.models import Area
from laoxiao.core.scope import AuthedRequest, area_in_scope, scoped_view
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
