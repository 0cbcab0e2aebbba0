"""Meal points (老年助餐): registered diners, meals served with the subsidy by category, and the records
behind "后厨可观、食材可溯、安全可查、送餐可及、质量可评" (ingredients, food samples, ratings)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from laoxiao.accounts.models import User
from laoxiao.core.scope import area_in_scope, scoped
from laoxiao.core.writes import service
from laoxiao.facilities.models import Facility, FacilityKind
from laoxiao.homecare import rules
from laoxiao.homecare.models import Diner, FoodSample, IngredientRecord, Meal, MealPoint, MealRating
from laoxiao.people.models import ElderlyProfile, Person

MEAL_KINDS = (FacilityKind.MEAL_POINT, FacilityKind.COMMUNITY_CENTER, FacilityKind.DAY_CARE_CENTER)


@service
def meal_point_configure(*, by: User, facility: Facility, meal_price: Decimal, delivery_fee: Decimal) -> MealPoint:
    errors: dict[str, str] = {}
    if facility.kind not in MEAL_KINDS:
        errors["facility"] = _("Meals are served by meal points and community or day-care centres.")
    elif not area_in_scope(by, facility.area_id) and facility.pk not in by.organisation_ids:
        errors["facility"] = _("This organisation is not within your responsibility.")
    if meal_price <= 0:
        errors["meal_price"] = _("Enter a price above 0.")
    if delivery_fee < 0:
        errors["delivery_fee"] = _("Enter 0 or more.")
    if errors:
        raise ValidationError(errors)
    point, _created = MealPoint.objects.get_or_create(facility=facility, defaults={"meal_price": meal_price})
    point.meal_price, point.delivery_fee = meal_price, delivery_fee
    point.save()
    return point


def _point_user(by: User, point: MealPoint) -> None:
    if not scoped(by, MealPoint.objects.filter(pk=point.pk)).exists():
        raise ValidationError({"point": _("This meal point is not within your responsibility.")})


@service
def diner_register(*, by: User, point: MealPoint, person: Person, on: dt.date) -> Diner:
    _point_user(by, point)
    if person.status != Person.Status.ACTIVE:
        raise ValidationError({"person": _("Only people on the register can be served.")})
    diner, created = Diner.objects.get_or_create(point=point, person=person, defaults={"registered_on": on})
    if not created and diner.active:
        raise ValidationError({"person": _("This person is registered at this meal point already.")})
    diner.active = True
    diner.save()
    return diner


@service
def meal_serve(*, by: User, point: MealPoint, diner: Diner, served_on: dt.date, sitting: str, mode: str) -> Meal:
    """One meal to one diner: the point's price (plus delivery), less the subsidy of the diner's category."""
    _point_user(by, point)
    errors: dict[str, str] = {}
    if diner.point_id != point.pk or not diner.active:
        errors["diner"] = _("This person is not a registered diner of this meal point.")
    if sitting not in Meal.Sitting.values:
        errors["sitting"] = _("Choose the meal.")
    if mode not in Meal.Mode.values:
        errors["mode"] = _("Choose eat in or delivered.")
    if not _recordable(served_on):
        errors["served_on"] = _window_message(_("The date served"))
    if errors:
        raise ValidationError(errors)
    if (served := _served(diner, served_on, sitting)) is not None:
        raise served
    person = diner.person
    price = point.meal_price + (point.delivery_fee if mode == Meal.Mode.DELIVERED else 0)
    subsidy = min(
        price, rules.meal_subsidy(ElderlyProfile.objects.filter(person=person).first(), person.birth_date, served_on)
    )
    meal = Meal(
        point=point,
        diner=diner,
        served_on=served_on,
        sitting=sitting,
        mode=mode,
        price=price,
        subsidy=subsidy,
        paid=price - subsidy,
        recorded_by=by,
    )
    try:
        with transaction.atomic():
            meal.save()
    except IntegrityError:  # the same meal, recorded a moment ago from another tab
        refused = _served(diner, served_on, sitting)
        if refused is None:
            raise
        raise refused from None
    return meal


def _recordable(day: dt.date) -> bool:
    """A meal and its food sample are recorded on the day they are served (rules.json's record_window)."""
    days_back = rules.config()["record_window"]["meal_days_back"]
    return rules.recordable(day, days_back=days_back, today=timezone.localdate())


def _window_message(field: str) -> str:
    days_back = rules.config()["record_window"]["meal_days_back"]
    if not days_back:
        return _("%(field)s must be today.") % {"field": field}
    return _("%(field)s must be today or within the %(days)s days before.") % {"field": field, "days": days_back}


def _served(diner: Diner, served_on: dt.date, sitting: str) -> ValidationError | None:
    """The refusal of a second meal (the rule `one_meal_per_diner_sitting`): the meal recorded, with a link
    to the day's row on the meal point's page."""
    meal = Meal.objects.filter(diner=diner, served_on=served_on, sitting=sitting).select_related("recorded_by").first()
    if meal is None:
        return None
    text = format_html(
        _(
            "{name}'s {sitting} on {day} is recorded already ({mode}, by {by}): "
            '<a href="{url}">see the day\'s meals</a>. Nothing new was recorded.'
        ),
        name=diner.person.name,
        sitting=meal.get_sitting_display(),
        day=f"{served_on:%Y-%m-%d}",
        mode=meal.get_mode_display(),
        by=(meal.recorded_by.first_name or meal.recorded_by.get_role_display()) if meal.recorded_by else "—",
        url=reverse("homecare:meal_point", args=[diner.point_id]) + f"#day-{served_on:%Y-%m-%d}",
    )
    return ValidationError({"sitting": text})


AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(\D.*)")


def _positive_amount(quantity: str) -> bool:
    """ "50 kg", "20 L", "3 箱": a number above 0 followed by its unit."""
    match = AMOUNT.fullmatch(quantity.strip())
    return match is not None and Decimal(match[1]) > 0


@service
def ingredient_record(
    *, by: User, point: MealPoint, received_on: dt.date, item: str, supplier: str, quantity: str, certificate: str
) -> IngredientRecord:
    """食材可溯: a delivery is traced by what came, how much, from whom and its inspection paper; a row
    dated ahead, of nothing, or without the paper traces nothing."""
    _point_user(by, point)
    given = {"item": item, "supplier": supplier, "quantity": quantity, "certificate": certificate}
    errors = {name: _("This field is required.") for name, value in given.items() if not value.strip()}
    if received_on > timezone.localdate():
        errors["received_on"] = _("The date is in the future.")
    if "quantity" not in errors and not _positive_amount(quantity):
        errors["quantity"] = _("Enter an amount above 0 and its unit, such as “50 kg”.")
    if errors:
        raise ValidationError(errors)
    record = IngredientRecord(
        point=point,
        received_on=received_on,
        item=item,
        supplier=supplier,
        quantity=quantity,
        certificate=certificate,
        recorded_by=by,
    )
    record.save()
    return record


@service
def food_sample_record(
    *, by: User, point: MealPoint, sampled_on: dt.date, sitting: str, dish: str, grams: int, kept_by: str
) -> FoodSample:
    """A kept sample of one dish: at least the minimum weight, kept for the minimum time (rules.json)."""
    _point_user(by, point)
    limits = rules.sample_rules()
    errors: dict[str, str] = {}
    if not _recordable(sampled_on):
        errors["sampled_on"] = _window_message(_("The date sampled"))
    if grams < limits["min_grams"]:
        errors["grams"] = _("Keep at least %(grams)s g of each dish.") % {"grams": limits["min_grams"]}
    if not dish.strip():
        errors["dish"] = _("This field is required.")
    if sitting not in Meal.Sitting.values:
        errors["sitting"] = _("Choose the meal.")
    if errors:
        raise ValidationError(errors)
    sampled = timezone.make_aware(dt.datetime.combine(sampled_on, dt.time(12)))
    sample = FoodSample(
        point=point,
        sampled_on=sampled_on,
        sitting=sitting,
        dish=dish,
        grams=grams,
        kept_until=sampled + dt.timedelta(hours=limits["keep_hours"]),
        kept_by=kept_by,
    )
    sample.save()
    return sample


@service
def meal_rate(*, by: User, point: MealPoint, person: Person, score: int, comment: str) -> MealRating:
    if not Diner.objects.filter(point=point, person=person).exists():
        raise ValidationError({"person": _("Only a diner of this meal point can rate it.")})
    if not scoped(by, Person.objects.filter(pk=person.pk)).exists():
        raise ValidationError({"person": _("This person is not within your responsibility.")})
    if score not in range(1, 6):
        raise ValidationError({"score": _("Give a rating from 1 to 5.")})
    return MealRating.objects.create(
        point=point, person=person, rated_on=timezone.localdate(), score=score, comment=comment[:300]
    )
