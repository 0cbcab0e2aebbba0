"""How sign-in throttling (django-axes) tells a user when to retry and which address it counts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The sign-in page, refused, with the time the pair (user name, address) may try again.

    Every attempt during a lockout restarts the cool-off, so the time is counted from now."""
    retry_at = timezone.localtime() + settings.AXES_COOLOFF_TIME
    context = {"retry_at": retry_at, "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}
    return render(request, "web/locked_out.html", context, status=429)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: behind N trusted proxies, the N-th entry of X-Forwarded-For from the right."""
    proxies = settings.LAOXIAO_TRUSTED_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
