from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laoxiao.accounts import selectors, services
from laoxiao.core.scope import AuthedRequest, scoped_view
from laoxiao.web.paging import paginate


class PasswordChange(auth_views.PasswordChangeView):
    """Django's form (old password, the validators of AUTH_PASSWORD_VALIDATORS); the user stays signed in."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed. Your API tokens no longer work."))
        return response


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
