from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laoxiao.accounts.roles import REFUSALS, Role
from laoxiao.core.scope import AuthedRequest, public_view, scoped_view
from laoxiao.web.selectors import home_counts
from laoxiao.web.work import my_people, work_items

login = public_view(auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True))
logout = public_view(auth_views.LogoutView.as_view())


@scoped_view()
def home(request: AuthedRequest) -> HttpResponse:
    """Each role starts on its own work: residents and families on their record, staff and volunteers on what
    waits for them (a volunteer's family one click away, on My page)."""
    user = request.user
    if user.role == Role.RESIDENT:
        return _my_page(request)
    family = user.role == Role.VOLUNTEER and bool(user.represented_person_ids)
    return render(request, "web/start.html", {"items": work_items(user=user), "family": family})


def _my_page(request: AuthedRequest) -> HttpResponse:
    return render(request, "web/my.html", {"people": my_people(user=request.user)})


@scoped_view(permission="person.view")
def my_page(request: AuthedRequest) -> HttpResponse:
    """The records the user acts for (themselves, their household, their wards)."""
    return _my_page(request)


@scoped_view(permission="overview.view")
def overview(request: AuthedRequest) -> HttpResponse:
    """The statistics of the user's area (or home): one click from the start page."""
    return render(request, "web/overview.html", {"counts": home_counts(user=request.user)})


@public_view
@require_POST
def elder_mode(request: AuthedRequest) -> HttpResponse:
    """Large text and high contrast, kept for the session."""
    request.session["elder_mode"] = request.POST.get("on") == "1"
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)


def _error(request: HttpRequest, status: int, title: str, explanation: str) -> HttpResponse:
    return render(request, "error.html", {"title": title, "explanation": explanation}, status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    refused = exception.args[0] if exception is not None and exception.args else ""
    general = _("Your role may not open this page. If you need it, ask your administrator.")
    return _error(request, 403, _("Not allowed"), str(REFUSALS.get(refused, general)))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        _("Page not found"),
        _("This page does not exist, or the record is outside the area and organisations you may see."),
    )
