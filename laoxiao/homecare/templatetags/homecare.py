"""The home-care tabs, one place deciding who sees which: a caregiver sees only their own work."""

from typing import Any

from django import template

from laoxiao.homecare.providers.selectors import is_caregiver

register = template.Library()


@register.inclusion_tag("homecare/_links.html", takes_context=True)
def homecare_links(context: dict[str, Any]) -> dict[str, Any]:
    return {"is_caregiver": is_caregiver(user=context["user"]), "can": context.get("can", ()), "user": context["user"]}
