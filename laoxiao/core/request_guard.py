"""Text with control characters is refused before any view sees it: query strings, form fields and
JSON bodies alike, so no path can hand a NUL to PostgreSQL (which refuses it with a server error)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from laoxiao.core.cleaning import CONTROL, control_message


def _strings(value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield (*loc, str(key)), str(key)
            yield from _strings(item, (*loc, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*loc, index))


def _entries(request: HttpRequest) -> Iterator[tuple[tuple[str | int, ...], str]]:
    yield ("path",), request.path  # a code in the address (`/areas/<code>/`, `/api/v1/plans/{code}/…`) is text too
    for name, values in request.GET.lists():
        for value in [name, *values]:
            yield ("query", name), value
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"null")
        except ValueError:
            return  # the API answers malformed JSON itself
        yield from _strings(body, ("body",))
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, values in request.POST.lists():
            for value in [name, *values]:
                yield ("form", name), value


class ControlCharacterMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for loc, value in _entries(request):
            if CONTROL.search(value):
                return self._refuse(request, loc)
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, loc: tuple[str | int, ...]) -> HttpResponse:
        if request.path.startswith("/api/"):
            detail = [{"loc": list(loc), "msg": control_message(), "type": "value_error"}]
            return JsonResponse({"detail": detail}, status=422)
        explanation = control_message()
        if loc != ("path",):
            explanation = _("The field “%(field)s”: %(message)s") % {"field": loc[-1], "message": explanation}
        context = {"title": _("The input holds characters that are not allowed"), "explanation": explanation}
        return render(request, "error.html", context, status=400)
