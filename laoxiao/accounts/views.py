from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laoxiao.accounts import selectors, services
from laoxiao.accounts.forms import AccountFilterForm, AccountForm
from laoxiao.accounts.models import User
from laoxiao.core.scope import AuthedRequest, scoped_view
from laoxiao.facilities.models import Facility
from laoxiao.web.forms import add_service_errors, filter_values
from laoxiao.web.paging import paginate


class PasswordChange(auth_views.PasswordChangeView):
    """Django's form (old password, the validators of AUTH_PASSWORD_VALIDATORS); the user stays signed in."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs):  # type: ignore[no-untyped-def]
        return super().get_context_data(**kwargs) | {
            "must_change": getattr(self.request.user, "must_change_password", False)
        }

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        services.user_password_change(user=form.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Your password has been changed. Your API tokens no longer work."))
        return HttpResponseRedirect(self.get_success_url())


password_change = scoped_view()(PasswordChange.as_view())


@scoped_view(permission="account.own_tokens")
def token_list(request: AuthedRequest) -> HttpResponse:
    page = paginate(request, selectors.api_token_list(user=request.user))
    return render(request, "accounts/tokens.html", {"page": page, "max_days": settings.LAOXIAO_API_TOKEN_MAX_DAYS})


@scoped_view(permission="account.own_tokens")
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = selectors.api_token_get(user=request.user, pk=pk)
    services.api_token_revoke(by=request.user, token=token)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


def _organisations(request: AuthedRequest) -> QuerySet[Facility]:
    return selectors.account_organisations(user=request.user)


@scoped_view(permission="account.manage")
def account_list(request: AuthedRequest) -> HttpResponse:
    organisations = selectors.account_organisations(user=request.user, staffed=True)
    form = AccountFilterForm(request.GET or None, user=request.user, organisations=organisations)
    values = filter_values(form)
    rows: QuerySet[User] | list[User] = (
        selectors.account_list(user=request.user, filters=selectors.AccountFilter(**values))
        if values is not None
        else []
    )
    return render(
        request,
        "accounts/account_list.html",
        {"form": form, "page": paginate(request, rows)},
        status=200 if values is not None else 400,
    )


def _password_shown(request: AuthedRequest, account: User, password: str, *, created: bool) -> HttpResponse:
    """The generated password, in this answer only (never in a URL, the session or a log)."""
    return render(
        request, "accounts/password_shown.html", {"account": account, "password": password, "created": created}
    )


@scoped_view(permission="account.manage")
def account_create(request: AuthedRequest) -> HttpResponse:
    form = AccountForm(request.POST or None, user=request.user, organisations=_organisations(request), creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            account, password = services.account_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _password_shown(request, account, password, created=True)
    return render(request, "accounts/account_form.html", {"form": form}, status=400 if form.errors else 200)


@scoped_view(permission="account.manage")
def account_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The account's facts, its edit form and the actions (disable, reset, unlock)."""
    account = selectors.account_get(user=request.user, pk=pk)
    organisation = account.organisations.first()
    initial = {
        "full_name": account.first_name,
        "role": account.role,
        "area_code": account.area_id or "",
        "organisation_id": organisation.pk if organisation else None,
        "department": account.department,
    }
    form = AccountForm(
        request.POST or None, initial=initial, user=request.user, organisations=_organisations(request), creating=False
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        if not values["phone"]:
            values["phone"] = None  # an empty box keeps the stored number: the form never holds it in plain text
        try:
            services.account_update(by=request.user, account=account, **values)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The account has been saved."))
            return redirect("accounts:account", pk=account.pk)
    return render(
        request,
        "accounts/account_detail.html",
        {"account": account, "form": form, "locked": selectors.account_locked(account=account)},
        status=400 if form.errors else 200,
    )


def _act(request: AuthedRequest, pk: int, act: Callable[..., object], done: str) -> HttpResponse:
    """A POST action on the account page: done, or refused with the service's message; back to the page."""
    account = selectors.account_get(user=request.user, pk=pk)
    try:
        act(by=request.user, account=account)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("accounts:account", pk=pk)


@scoped_view(permission="account.manage")
@require_POST
def account_disable(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.account_disable, _("The account is disabled: it can no longer sign in."))


@scoped_view(permission="account.manage")
@require_POST
def account_enable(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.account_enable, _("The account is active again."))


@scoped_view(permission="account.manage")
@require_POST
def account_unlock(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.account_unlock, _("The sign-in lock is lifted."))


@scoped_view(permission="account.manage")
@require_POST
def account_password_reset(request: AuthedRequest, pk: int) -> HttpResponse:
    account = selectors.account_get(user=request.user, pk=pk)
    try:
        password = services.account_password_reset(by=request.user, account=account)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:account", pk=pk)
    return _password_shown(request, account, password, created=False)


@scoped_view(permission="account.manage")
def account_history(request: AuthedRequest, pk: int) -> HttpResponse:
    account = selectors.account_get(user=request.user, pk=pk)
    return render(
        request,
        "web/history.html",
        {
            "object": account.first_name or account.username,  # a login is no Chinese text: the name heads the page
            "entries": paginate(request, selectors.account_history(account=account)),
            "back": ("accounts:account", account.pk),
            "reveals": None,
        },
    )
