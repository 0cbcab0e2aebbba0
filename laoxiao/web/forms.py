"""Helpers for the HTML forms, which only carry raw input to the services."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's per-field messages beside the fields they name (others at the top)."""
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
