"""The demo city has lived a year: visits and meals in every month, and each record's page dates what
happened when it happened in the story, never the moment the demo was built, never later than now."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from laoxiao.accounts.roles import Role
from laoxiao.demo.benefits import months_up_to
from tests import factories

TODAY = dt.date(2026, 11, 23)
MONTHS = months_up_to(TODAY, 13)  # 2025-11 … 2026-11: twelve whole months and this one


@pytest.fixture
def city(demo_city):
    return demo_city.built


def _month_counts(queryset, field):
    return {f"{day:%Y-%m}" for day in queryset.values_list(field, flat=True)}


def test_visits_and_meals_in_each_of_the_last_twelve_months(city, db):
    from laoxiao.homecare.models import Meal, Visit

    visits = {f"{timezone.localtime(at):%Y-%m}" for at in Visit.objects.values_list("visited_at", flat=True)}
    assert set(MONTHS) <= visits
    assert set(MONTHS) <= _month_counts(Meal.objects.all(), "served_on")


def test_nothing_done_is_dated_after_now_nor_at_the_build(city, db):
    """Every history date and automatic timestamp lies in the story: none later than now, and (but for the
    logins the bureau hands over and the catalogues loaded with the platform) none at the moment of the build."""
    now = timezone.now()
    at_build = []
    for model in apps.get_models():
        stamps = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add or f.name == "history_date")
        ]
        for name in stamps:
            latest = model._default_manager.order_by(f"-{name}").values_list(name, flat=True).first()
            assert latest is None or latest <= now, (model.__name__, name, latest)
            if model._default_manager.filter(**{f"{name}__gte": city}).exists():
                at_build.append(f"{model.__name__}.{name}")
    loaded_with_the_platform = {"Instrument", "HistoricalServiceKind", "HistoricalUser"}  # the logins too
    assert {s for s in at_build if s.split(".")[0] not in loaded_with_the_platform} == set(), at_build


def test_a_reconciled_batch_timeline_is_dated_in_its_month(city, client):
    from laoxiao.benefits.models import PaymentBatch

    batch = PaymentBatch.objects.filter(status="reconciled", period="2026-03").first()
    client.force_login(factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY))
    page = client.get(f"/benefits/batches/{batch.pk}/").content.decode()
    timeline = re.search(r'data-test="batch-events">(.*?)</ol>', page, re.S).group(1)
    dates = re.findall(r"<li>(\d{4}-\d\d)-\d\d \d\d:\d\d", timeline)
    assert dates and set(dates) == {"2026-03"}


def test_a_person_registered_years_ago_shows_it_in_their_history(city, client):
    from laoxiao.people.models import Person

    person = Person.objects.filter(birth_date__lt=dt.date(1950, 1, 1)).order_by("created_at").first()
    client.force_login(factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY))
    page = client.get(f"/people/{person.pk}/history/").content.decode()
    stamps = re.findall(r"<td[^>]*>(\d{4}-\d\d-\d\d) \d\d:\d\d:\d\d</td>", page)
    assert stamps and min(stamps) < f"{TODAY.year - 2}" and f"{timezone.localdate()}" not in stamps


def test_workflow_timelines_follow_the_story(city, db):
    """Each step after the one before it, at the time the story gives: a complaint after the service, its
    resolution after it; an alert handled after the visit raised it; an approved assessment reviewed
    after its signatures, months ago for some."""
    from laoxiao.alerts.models import Alert
    from laoxiao.assessments.models import Assessment
    from laoxiao.core.models import StatusChange
    from laoxiao.core.transitions import status_changes
    from laoxiao.homecare.models import Complaint

    complaints = list(Complaint.objects.select_related("order"))
    assert complaints and all(c.filed_at > c.order.check_out_at for c in complaints)
    for change in StatusChange.objects.filter(to_status__in=("upheld", "dismissed")):
        assert change.at > Complaint.objects.get(pk=change.object_id).filed_at
    handled = Alert.objects.filter(status="handled")
    assert handled and all(status_changes(a).last().at > a.raised_at for a in handled)
    approved = Assessment.objects.filter(status="approved")
    assert all(a.reviewed_at > a.signed_2_at for a in approved)
    assert approved.filter(reviewed_at__lt=timezone.make_aware(dt.datetime(2026, 6, 1))).exists()


def test_a_meal_point_keeps_a_year_of_kitchen_records(city, client):
    from laoxiao.homecare.models import FoodSample, IngredientRecord, MealPoint

    point = MealPoint.objects.order_by("pk").first()
    assert set(MONTHS) <= _month_counts(FoodSample.objects.filter(point=point), "sampled_on")
    assert set(MONTHS[:-1]) <= _month_counts(IngredientRecord.objects.filter(point=point), "received_on")
    client.force_login(factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY))
    page = client.get(f"/homecare/meals/{point.pk}/").content.decode()
    assert re.search(r"<td>NX\d{12}</td>", page) and "★" in page  # deliveries with their papers; ratings
    # the year at a glance, not only this month's days (the page opened on the 2nd showed one day)
    months = re.search(r'data-test="meal-months">(.*?)</table>', page, re.S).group(1)
    assert len(re.findall(r"<tr><td>\d{4}-\d\d</td>", months)) >= 11
