"""Template context every page needs: the navigation the user's role allows, and the elder mode."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

NAVIGATION = (
    ("home", _("Overview"), None),
    ("people:list", _("People"), "person.view"),
    ("facilities:list", _("Facilities"), "facility.view"),
    ("assessments:list", _("Assessments"), "assessment.view"),
    ("benefits:list", _("Benefits"), "benefit.view"),
    ("planning:list", _("Plans"), "plan.view"),
    ("core:areas", _("Areas"), "area.view"),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    items = []
    if user.is_authenticated:
        items = [(name, label) for name, label, perm in NAVIGATION if perm is None or user.has_role_permission(perm)]  # type: ignore[union-attr]
    return {"nav_items": items, "elder_mode": bool(request.session.get("elder_mode"))}
