from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from laoxiao.alerts import selectors, services
from laoxiao.core.scope import AuthedRequest, scoped_view
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
@require_POST
def alert_handle(request: AuthedRequest, pk: int) -> HttpResponse:
    services.alert_handle(by=request.user, alert=selectors.alert_get(user=request.user, pk=pk))
    return redirect("alerts:list")
