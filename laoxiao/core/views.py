from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render

from laoxiao.core import selectors
from laoxiao.core.scope import AuthedRequest, scoped_view


@scoped_view(permission="area.view")
def area_index(request: AuthedRequest) -> HttpResponse:
    root = selectors.area_root(user=request.user)
    if root is None:
        return render(request, "core/area_detail.html", {"area": None, "children": []})
    return redirect("core:area", code=root.code)


@scoped_view(permission="area.view")
def area_detail(request: AuthedRequest, code: str) -> HttpResponse:
    area = selectors.area_get(user=request.user, code=code)
    return render(
        request,
        "core/area_detail.html",
        {
            "area": area,
            "ancestors": selectors.area_ancestors(area),
            "children": selectors.area_list(user=request.user, parent=area.code),
            "stats": selectors.population_stats(user=request.user, area=area),
        },
    )
