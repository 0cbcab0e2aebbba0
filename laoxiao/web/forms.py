"""Helpers for the HTML forms, which only carry raw input to the services."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's per-field messages beside the fields they name (others at the top)."""
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def simple_form(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], object],
    *,
    title: str,
    back: tuple[str, Any],
) -> HttpResponse:
    """A small form page: on a valid POST `save` the cleaned data and return to `back` (a URL name and
    its argument); a service's messages appear beside their fields."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(back[0], back[1]) if back[1] is not None else redirect(back[0])
    return render(request, "web/simple_form.html", {"form": form, "title": title, "back": back})
