from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from laoxiao.core.scope import AuthedRequest, public_view, scoped_view
from laoxiao.web.selectors import home_counts

login = public_view(auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True))
logout = public_view(auth_views.LogoutView.as_view())


@scoped_view()
def home(request: AuthedRequest) -> HttpResponse:
    return render(request, "web/home.html", {"counts": home_counts(user=request.user)})


@public_view
@require_POST
def elder_mode(request: AuthedRequest) -> HttpResponse:
    """Large text and high contrast, kept for the session."""
    request.session["elder_mode"] = request.POST.get("on") == "1"
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
