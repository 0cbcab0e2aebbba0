"""Pages of meal points: the list and a point's page (diners, meals served, food-safety records, ratings)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from laoxiao.core.scope import AuthedRequest, scoped_view
from laoxiao.homecare.forms import (
    IdNumberForm,
    IngredientForm,
    MealForm,
    MealPointForm,
    SampleForm,
    several_forms,
)
from laoxiao.homecare.meals import selectors, services
from laoxiao.people.selectors import person_find_by_id_number
from laoxiao.web.paging import paginate


@scoped_view(permission="homecare.meals")
def meal_point_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request, "homecare/meal_points.html", {"page": paginate(request, selectors.meal_point_list(user=request.user))}
    )


@scoped_view(permission="homecare.meals")
def meal_point_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    point = selectors.meal_point_get(user=request.user, pk=pk)
    today = timezone.localdate()
    builders: dict[str, Any] = {
        "settings": lambda data: MealPointForm(
            data, initial={"meal_price": point.meal_price, "delivery_fee": point.delivery_fee}
        ),
        "diner": IdNumberForm,
        "meal": lambda data: MealForm(
            data, diners=selectors.point_diners(user=request.user, point=point), initial={"served_on": today}
        ),
        "ingredient": lambda data: IngredientForm(data, initial={"received_on": today}),
        "sample": lambda data: SampleForm(data, initial={"sampled_on": today}),
    }

    def add_diner(data: dict[str, Any]) -> object:
        person = person_find_by_id_number(user=request.user, id_number=data["id_number"])
        if person is None:
            raise ValidationError({"id_number": _("No person with this ID number is within your responsibility.")})
        return services.diner_register(by=request.user, point=point, person=person, on=today)

    saves = {
        "settings": lambda d: services.meal_point_configure(by=request.user, facility=point.facility, **d),
        "diner": add_diner,
        "meal": lambda d: services.meal_serve(by=request.user, point=point, **d),
        "ingredient": lambda d: services.ingredient_record(by=request.user, point=point, **d),
        "sample": lambda d: services.food_sample_record(by=request.user, point=point, **d),
    }
    forms, saved = several_forms(request, builders, saves)
    if saved:
        return redirect("homecare:meal_point", pk=pk)
    return render(
        request,
        "homecare/meal_point.html",
        {
            "point": point,
            "forms": forms,
            "diners": paginate(request, selectors.point_diners(user=request.user, point=point), param="diners_page"),
            "days": selectors.point_days(user=request.user, point=point, since=today.replace(day=1)),
            "months": selectors.point_months(user=request.user, point=point, months=12),
            **selectors.point_records(user=request.user, point=point),
        },
    )
