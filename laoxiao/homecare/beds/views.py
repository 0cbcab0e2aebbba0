"""Pages of home care beds: the list, a bed for a person, a bed's page (adaptations, plan, devices)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from laoxiao.core.scope import AuthedRequest, scoped_view
from laoxiao.homecare.beds import selectors, services
from laoxiao.homecare.forms import (
    AdaptationForm,
    BedForm,
    DeviceForm,
    PlanLineForm,
    post_form,
    several_forms,
)
from laoxiao.homecare.providers import selectors as providers_selectors
from laoxiao.people.selectors import person_get
from laoxiao.web.paging import paginate


@scoped_view(permission="homecare.beds")
def bed_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "homecare/beds.html", {"page": paginate(request, selectors.bed_list(user=request.user))})


@scoped_view(permission="homecare.beds")
def bed_create(request: AuthedRequest, pk: int) -> HttpResponse:
    person = person_get(user=request.user, pk=pk)
    providers = providers_selectors.providers_accepting()
    form = BedForm(request.POST or None, providers=providers, initial={"contracted_on": timezone.localdate()})
    if post_form(request, form, lambda d: services.bed_create(by=request.user, person=person, **d)):
        return redirect("homecare:beds")
    return render(
        request,
        "web/simple_form.html",
        {
            "form": form,
            "title": _("Home care bed for %(name)s") % {"name": person.name},
            "back": ("homecare:person", pk),
        },
    )


@scoped_view(permission="homecare.beds")
def bed_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    bed = selectors.bed_get(user=request.user, pk=pk)
    today = timezone.localdate()
    builders: dict[str, Any] = {
        "adaptation": lambda data: AdaptationForm(data, initial={"completed_on": today}),
        "plan": PlanLineForm,
        "device": lambda data: DeviceForm(data, initial={"installed_on": today}),
    }
    saves = {
        "adaptation": lambda d: services.adaptation_add(by=request.user, bed=bed, **d),
        "plan": lambda d: services.plan_line_set(by=request.user, bed=bed, **d),
        "device": lambda d: services.device_register(by=request.user, bed=bed, **d),
    }
    activate_errors: list[str] = []
    if request.method == "POST" and request.POST.get("form") == "activate":
        try:
            services.bed_activate(by=request.user, bed=bed, on=today)
        except ValidationError as exc:
            activate_errors = exc.messages
        else:
            return redirect("homecare:bed", pk=pk)
    forms, saved = several_forms(request, builders, saves)
    if saved:
        return redirect("homecare:bed", pk=pk)
    return render(
        request,
        "homecare/bed.html",
        {
            "bed": bed,
            "forms": forms,
            "activate_errors": activate_errors,
            **selectors.bed_parts(user=request.user, bed=bed),
        },
    )
