"""Sessions that end after inactivity, signed-in responses that no cache keeps, and a first password of one's own."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers

# The session's expiry is pushed forward at most this often, so a page's htmx requests do not each write it.
REFRESH_SECONDS = 60


class IdleSessionMiddleware:
    """A signed-in session lives SESSION_COOKIE_AGE after its last request (sliding), not a fixed 14 days."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id"):
            now = int(time.time())
            if now - session.get("active_at", 0) >= REFRESH_SECONDS:
                session["active_at"] = now  # modified: SessionMiddleware saves it with a fresh expiry and cookie
        return response


class NoStoreMiddleware:
    """Pages, exports and API answers for a signed-in user carry personal data: no browser or proxy stores them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


# What a user whose password an administrator chose may still open: the page to change it, and the way out.
PASSWORD_CHANGE_OPEN = frozenset({"accounts:password", "logout", "set_language"})


class PasswordChangeRequiredMiddleware:
    """A new account, or one whose password was reset, sees only the password page until the user has set
    their own (`User.must_change_password`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any], *args: Any) -> HttpResponseBase | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.must_change_password:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in PASSWORD_CHANGE_OPEN:
            return None
        return redirect("accounts:password")
