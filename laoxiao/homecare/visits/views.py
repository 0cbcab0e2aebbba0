"""Pages of visit plans: the list with the month's visits, a plan for a person, a plan's visits."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from laoxiao.core.scope import AuthedRequest, scoped_view
from laoxiao.homecare.forms import (
    VisitForm,
    VisitPlanFilterForm,
    VisitPlanForm,
    post_form,
)
from laoxiao.homecare.models import VisitPlan
from laoxiao.homecare.visits import selectors, services
from laoxiao.people.selectors import person_get
from laoxiao.web.forms import simple_form
from laoxiao.web.paging import paginate


@scoped_view(permission="homecare.visit")
def visit_plan_list(request: AuthedRequest) -> HttpResponse:
    month = request.GET.get("month") or selectors.latest_whole_month(timezone.localdate())
    level = int(request.GET.get("level", "9")) if request.GET.get("level", "9") in ("6", "9", "12") else 9
    try:
        rates = selectors.visit_rates(user=request.user, month=month, length=level)
    except ValueError:
        raise Http404 from None
    form = VisitPlanFilterForm(request.GET or None, user=request.user)
    valid = not form.is_bound or form.is_valid()
    data = form.cleaned_data if form.is_bound and valid else {}
    plans: QuerySet[VisitPlan] | list[VisitPlan] = (
        selectors.visit_plan_list(
            user=request.user,
            mine=not request.user.role_scopes_by_area,
            q=data.get("q", ""),
            area=data.get("area", ""),
            due=data.get("due", ""),
        )
        if valid
        else []
    )
    return render(
        request,
        "homecare/visit_plans.html",
        {
            "form": form,
            "page": paginate(request, plans),
            "rates": paginate(request, rates, param="rates_page"),
            "month": month,
            "level": level,
            "due": data.get("due", ""),
        },
        status=200 if valid else 400,
    )


@scoped_view(permission="homecare.visit")
def visit_plan_create(request: AuthedRequest, pk: int) -> HttpResponse:
    person = person_get(user=request.user, pk=pk)
    form = VisitPlanForm(
        request.POST or None,
        visitors=selectors.visitors_available(user=request.user),
        initial={"starts_on": timezone.localdate()},
    )

    def save(data: dict[str, Any]) -> object:
        return services.visit_plan_create(
            by=request.user, person=person, visitor=data["visitor"], starts_on=data["starts_on"]
        )

    return simple_form(
        request, form, save, title=_("Visit plan for %(name)s") % {"name": person.name}, back=("homecare:person", pk)
    )


@scoped_view(permission="homecare.visit")
def visit_plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = selectors.visit_plan_get(user=request.user, pk=pk)
    form = VisitForm(request.POST or None, initial={"visited_at": timezone.localtime()})

    def save(data: dict[str, Any]) -> object:
        return services.visit_record(
            by=request.user,
            plan=plan,
            visited_at=data["visited_at"],
            outcome=data["outcome"],
            notes=data["notes"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            needed=data["needed"],
        )

    if post_form(request, form, save):
        return redirect("homecare:visit_plan", pk=pk)
    return render(
        request,
        "homecare/visit_plan.html",
        {"plan": plan, "page": paginate(request, selectors.plan_visits(user=request.user, plan=plan)), "form": form},
    )
