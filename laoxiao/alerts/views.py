from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from laoxiao.alerts import selectors, services
from laoxiao.alerts.forms import AlertCloseForm
from laoxiao.core.scope import AuthedRequest, scoped_view
from laoxiao.web.forms import add_service_errors
from laoxiao.web.paging import paginate


@scoped_view(permission="alert.view")
def alert_list(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    return render(
        request,
        "alerts/list.html",
        {"page": paginate(request, selectors.alert_list(user=request.user, status=status)), "status": status},
    )


@scoped_view(permission="alert.view")
def alert_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One alert with its history; an open one is closed here with what was done (处置情况)."""
    alert = selectors.alert_get(user=request.user, pk=pk)
    form = AlertCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_handle(by=request.user, alert=alert, note=form.cleaned_data["note"])
            return redirect("alerts:detail", pk=pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "alerts/detail.html",
        {"alert": alert, "events": selectors.alert_events(user=request.user, alert=alert), "form": form},
    )
