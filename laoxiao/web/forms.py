"""Helpers for the HTML forms, which only carry raw input to the services."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from laoxiao.accounts.models import User
from laoxiao.core import areacode
from laoxiao.core.models import Area
from laoxiao.core.selectors import area_find, area_picker_levels, area_root


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


def filter_values(form: forms.Form) -> dict[str, Any] | None:
    """A list filter's values that were given ({} when unfiltered), or None when the input is bad: the
    form then carries a message per field, and the list shows nothing rather than ignore the filter."""
    if not form.is_bound:
        return {}
    if not form.is_valid():
        return None
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}


def filter_summary(form: forms.Form) -> str:
    """A list's filter as a reader says it ("类别：老年人；区划：兴庆区"): what the export log shows."""
    if not form.is_bound or not form.is_valid():
        return ""
    parts = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", False):
            continue
        field = form.fields[name]
        choices = {str(k): v for k, v in getattr(field, "choices", None) or []}
        shown = _("yes") if value is True else choices.get(str(value), value)
        if isinstance(field, AreaFilterField):
            shown = field.chosen
        parts.append(f"{field.label}：{shown}")
    return "；".join(parts)


class AreaPicker(forms.Widget):
    """Drop-downs of area names (区县 → 街道 → 社区) instead of a typed code; `area-picker.js` loads the
    next level and keeps the hidden input on the deepest choice."""

    template_name = "web/_area_picker.html"
    user: User | None = None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        code = str(value or "")
        context["widget"]["levels"] = area_picker_levels(user=self.user, code=code) if self.user else []
        return context


def _area_in_scope(user: User | None, code: str) -> Area:
    area = area_find(user=user, code=code) if user else None
    if area is None:
        raise ValidationError(
            _("Unknown area “%(value)s”, or outside your responsibility: choose one from the list."),
            params={"value": code},
            code="unknown_area",
        )
    return area


class AreaFilterField(forms.CharField):
    """An area in the user's scope, chosen with the area picker; cleans to the area's code prefix."""

    widget = AreaPicker
    user: User | None = None
    chosen: str = ""  # the chosen area's name, for the export log (each form has its own copy of the field)

    def clean(self, value: Any) -> str:
        code = super().clean(value).strip()
        if not code:
            return ""
        area = _area_in_scope(self.user, code)
        self.chosen = area.name
        return areacode.prefix(area.code, area.level)


def _chosen_area(user: User | None, value: Any) -> Area:
    """The area chosen in a picker; left at "all", the top of the user's scope."""
    code = str(value or "").strip()
    root = area_root(user=user) if user else None
    return _area_in_scope(user, code or (root.code if root else ""))


class AreaChoiceField(forms.Field):
    """An area of any level in the user's scope (where a run applies, whose plan it is), chosen by name with
    the area picker; cleans to the area. Left at "all", it is the top of the user's scope."""

    widget = AreaPicker
    user: User | None = None

    def clean(self, value: Any) -> Area:
        return _chosen_area(self.user, value)


class RecordAreaField(forms.CharField):
    """Where a record belongs (a street or a community), chosen by name with the area picker; cleans to
    the area's 12-digit code. Left at "all", it is the top of the user's scope (all a community's own
    worker can choose)."""

    widget = AreaPicker
    user: User | None = None

    def clean(self, value: Any) -> str:
        area = _chosen_area(self.user, value)
        if area.level not in (Area.Level.TOWNSHIP, Area.Level.VILLAGE):
            raise ValidationError(
                _("%(name)s is a %(level)s: choose the street and, where known, the community."),
                params={"name": area.name, "level": area.get_level_display()},
                code="too_wide",
            )
        return area.code


class AreaFilterForm(forms.Form):
    """A form whose area pickers offer only the requesting user's scope (a list's filters or a record)."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, AreaFilterField | AreaChoiceField | RecordAreaField):
                field.user = field.widget.user = user


class AreaForm(AreaFilterForm):
    """The area filter alone, for a list whose other filters are plain inputs."""

    area = AreaFilterField(label=_("area"), required=False)
