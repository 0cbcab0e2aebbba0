"""Visit plans, meal points and home care beds. Views parse input and call one service or selector."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from laoxiao.core.scope import AuthedRequest, scoped_view
from laoxiao.homecare import beds, meals, selectors, visits
from laoxiao.homecare.forms import (
    AdaptationForm,
    BedForm,
    DeviceForm,
    IdNumberForm,
    IngredientForm,
    MealForm,
    MealPointForm,
    PlanLineForm,
    SampleForm,
    VisitForm,
    VisitPlanFilterForm,
    VisitPlanForm,
)
from laoxiao.homecare.models import VisitPlan
from laoxiao.people.selectors import person_find_by_id_number, person_get
from laoxiao.web.forms import add_service_errors, simple_form
from laoxiao.web.paging import paginate


def _post_form(request: AuthedRequest, form: Any, save: Any) -> bool:
    """Validate a POSTed form and save it; True when saved (service errors go beside their fields)."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


def _several_forms(
    request: AuthedRequest, builders: dict[str, Any], saves: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """A page of several small forms; a hidden "form" field names the one POSTed. Returns the forms (the
    POSTed one bound) and whether it was saved."""
    which = request.POST.get("form", "") if request.method == "POST" else ""
    forms = {name: build(request.POST if name == which else None) for name, build in builders.items()}
    return forms, which in forms and _post_form(request, forms[which], saves[which])


# --- Visits ------------------------------------------------------------------------------------------


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
        return visits.visit_plan_create(
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
        return visits.visit_record(
            by=request.user,
            plan=plan,
            visited_at=data["visited_at"],
            outcome=data["outcome"],
            notes=data["notes"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            needed=data["needed"],
        )

    if _post_form(request, form, save):
        return redirect("homecare:visit_plan", pk=pk)
    return render(
        request,
        "homecare/visit_plan.html",
        {"plan": plan, "page": paginate(request, selectors.plan_visits(user=request.user, plan=plan)), "form": form},
    )


# --- Meal points ---------------------------------------------------------------------------------------


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
        return meals.diner_register(by=request.user, point=point, person=person, on=today)

    saves = {
        "settings": lambda d: meals.meal_point_configure(by=request.user, facility=point.facility, **d),
        "diner": add_diner,
        "meal": lambda d: meals.meal_serve(by=request.user, point=point, **d),
        "ingredient": lambda d: meals.ingredient_record(by=request.user, point=point, **d),
        "sample": lambda d: meals.food_sample_record(by=request.user, point=point, **d),
    }
    forms, saved = _several_forms(request, builders, saves)
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


# --- Home care beds ------------------------------------------------------------------------------------


@scoped_view(permission="homecare.beds")
def bed_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "homecare/beds.html", {"page": paginate(request, selectors.bed_list(user=request.user))})


@scoped_view(permission="homecare.beds")
def bed_create(request: AuthedRequest, pk: int) -> HttpResponse:
    person = person_get(user=request.user, pk=pk)
    providers = selectors.providers_accepting()
    form = BedForm(request.POST or None, providers=providers, initial={"contracted_on": timezone.localdate()})
    if _post_form(request, form, lambda d: beds.bed_create(by=request.user, person=person, **d)):
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
        "adaptation": lambda d: beds.adaptation_add(by=request.user, bed=bed, **d),
        "plan": lambda d: beds.plan_line_set(by=request.user, bed=bed, **d),
        "device": lambda d: beds.device_register(by=request.user, bed=bed, **d),
    }
    activate_errors: list[str] = []
    if request.method == "POST" and request.POST.get("form") == "activate":
        try:
            beds.bed_activate(by=request.user, bed=bed, on=today)
        except ValidationError as exc:
            activate_errors = exc.messages
        else:
            return redirect("homecare:bed", pk=pk)
    forms, saved = _several_forms(request, builders, saves)
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
