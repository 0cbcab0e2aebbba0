"""Template context every page needs: the navigation the user's role allows, and the elder mode."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from laoxiao.accounts.roles import PERMISSIONS, Role
from laoxiao.homecare.meals.selectors import meal_point_list
from laoxiao.homecare.providers.selectors import is_caregiver

NAVIGATION = (
    ("home", _("My work"), None),
    ("overview", _("Statistics"), "overview.view"),
    ("people:list", _("People"), "person.list"),
    ("facilities:list", _("Facilities"), "facility.view"),
    ("assessments:list", _("Assessments"), "assessment.view"),
    ("benefits:list", _("Benefits"), "benefit.view"),
    ("homecare:orders", _("Home care"), "homecare.view"),
    ("homecare:visit_plans", _("Visits"), "homecare.visit"),
    ("homecare:meal_points", _("Meals"), "homecare.meals"),
    ("alerts:list", _("Alerts"), "alert.view"),
    ("planning:list", _("Plans"), "plan.view"),
    ("core:areas", _("Areas"), "area.view"),
    ("accounts:accounts", _("Accounts"), "account.manage"),
)


def _serves_meals(user: Any) -> bool:
    """An organisation's 助餐 is the meal points it runs: a provider or home with none (or a caregiver, whose
    day is their visits) gets no menu entry leading to an empty list."""
    if not user.role_scopes_by_organisation:
        return True
    return not is_caregiver(user=user) and meal_point_list(user=user).exists()


# Entries the role's right alone does not decide: shown when the user has something there.
SHOWN_WHEN = {"homecare:meal_points": _serves_meals}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    items: list[tuple[str, Any]] = []
    can: frozenset[str] = frozenset()
    if user.is_authenticated:
        can = frozenset(p for p in PERMISSIONS if user.has_role_permission(p))  # type: ignore[union-attr]
        items = [
            (name, label)
            for name, label, perm in NAVIGATION
            if (perm is None or perm in can) and (name not in SHOWN_WHEN or SHOWN_WHEN[name](user))
        ]
        if user.role == Role.RESIDENT:  # type: ignore[union-attr]  # residents and families start on their own page
            items[0] = ("home", _("My page"))
    # `can`: the role's rights, for templates to show only the actions the user may take.
    return {
        "nav_items": items,
        "can": can,
        "role_label": role_label(user) if user.is_authenticated else "",
        "elder_mode": bool(request.session.get("elder_mode")),
    }


def role_label(user: Any) -> str:
    """A caregiver signs in with the provider role but is not the provider: call them what they are."""
    if user.role == Role.PROVIDER and is_caregiver(user=user):
        return str(_("caregiver"))
    return str(user.get_role_display())
