from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from laoxiao.core import selectors, services
from laoxiao.core.forms import PopulationForm
from laoxiao.core.scope import AuthedRequest, scoped_view
from laoxiao.web.forms import add_service_errors
from laoxiao.web.paging import paginate


@scoped_view(permission="area.view")
def area_index(request: AuthedRequest) -> HttpResponse:
    root = selectors.area_root(user=request.user)
    if root is None:
        return render(request, "core/area_detail.html", {"area": None, "children": []})
    return redirect("core:area", code=root.code)


@scoped_view(permission="area.view")
def area_children(request: AuthedRequest) -> JsonResponse:
    """The area picker's next drop-down: the areas directly below `parent`, by name, within the scope."""
    areas = selectors.area_children(user=request.user, parent=request.GET.get("parent", ""))
    return JsonResponse(
        {
            "label": str(areas[0].get_level_display()) if areas else "",
            "areas": [{"code": a.code, "name": a.name} for a in areas],
        }
    )


@scoped_view(permission="area.view")
def area_detail(request: AuthedRequest, code: str) -> HttpResponse:
    area = selectors.area_get(user=request.user, code=code)
    return render(
        request,
        "core/area_detail.html",
        {
            "area": area,
            "ancestors": selectors.area_ancestors(user=request.user, area=area),
            "children": selectors.area_list(user=request.user, parent=area.code),
            "stats": selectors.population_stats(user=request.user, area=area),
            "can_edit": request.user.has_role_permission("area.edit"),
        },
    )


@scoped_view(permission="area.edit")
def population_set(request: AuthedRequest, code: str) -> HttpResponse:
    area = selectors.area_get(user=request.user, code=code)
    form = PopulationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.population_stat_set(area=area, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("core:area", code=area.code)
    title = _("Population of %(area)s") % {"area": area.name}
    return render(request, "web/simple_form.html", {"form": form, "title": title, "back": ("core:area", area.code)})


@scoped_view(permission="export.log")
def export_log(request: AuthedRequest) -> HttpResponse:
    return render(request, "core/export_log.html", {"page": paginate(request, selectors.export_log(user=request.user))})
