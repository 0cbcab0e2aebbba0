"""A form is acted on once: a POST carrying a one-time `_once` token (added by once.js) is refused when
its token was seen before, whether the same request arrived twice or the form was sent again later.
The unique row is written in its own transaction before the view runs, so of two requests at the same
moment one wins the row and the other is refused. A form refused as bad input (a 400: nothing was done)
gives its token back, so sending it again (a reload of the page with the messages) shows them again."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from laoxiao.core.models import FormSubmission
from laoxiao.core.writes import service

TOKEN = re.compile(r"^[0-9a-f]{32}$")
KEPT = dt.timedelta(days=1)


class OnceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request.POST.get("_once", "") if request.method == "POST" else ""
        claimed = bool(token) and TOKEN.match(token) is not None
        if claimed and not _claim(request, token):
            explanation = _("This form has been sent already (perhaps by a second click); go back to see what it did.")
            context = {"title": _("Sent already"), "explanation": explanation}
            return render(request, "error.html", context, status=409)
        response = self.get_response(request)
        if claimed and response.status_code == 400:
            FormSubmission.objects.filter(token=token).delete()
        return response


def _claim(request: HttpRequest, token: str) -> bool:
    user = request.user if request.user.is_authenticated else None
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=token, user=user)
    except IntegrityError:
        return False
    return True


@service
def form_tokens_purge(*, now: dt.datetime | None = None) -> int:
    """Tokens older than a day: a form left open that long is sent again as a new one."""
    return FormSubmission.objects.filter(at__lt=(now or timezone.now()) - KEPT).delete()[0]
