"""The demo city: the Yinchuan document's facility totals, valid people, and a living system for each demo role."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from laoxiao.core.identifiers import age_on, parse_citizen_id
from laoxiao.core.models import Area, PopulationStat
from laoxiao.core.personal import unsealed
from laoxiao.core.transitions import status_changes
from laoxiao.demo import accounts
from laoxiao.facilities.models import Facility
from laoxiao.people.models import ElderlyProfile, EmergencyContact, Guardianship, Person

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def city(demo_city, db):
    return demo_city.counts


def test_facility_totals_equal_the_yinchuan_document(city):
    homes = Facility.objects.filter(kind="care_home")
    assert homes.count() == 42
    operating = homes.filter(status="operating")
    assert dict(operating.values_list("ownership").annotate(n=Count("id"))) == {
        "public": 2,
        "public_built_private_run": 14,
        "private": 17,
    }
    assert homes.aggregate(b=Sum("beds_total"), n=Sum("beds_nursing")) == {"b": 10015, "n": 5701}
    assert Facility.objects.filter(kind="community_center").count() == 241
    assert Facility.objects.filter(kind="rural_happiness_house").count() == 228
    childcare = Facility.objects.filter(kind="childcare_center", filing_status="filed")
    assert childcare.count() == 63
    assert childcare.aggregate(p=Sum("places_total"), i=Sum("places_inclusive")) == {"p": 3082, "i": 779}
    assert all(f.uscc and len(f.uscc) == 18 for f in Facility.objects.all())


def test_population_statistics_follow_the_census_shares(city):
    stat = PopulationStat.objects.get(area_id="640100000000", year=2022)
    assert stat.resident_total == 2_880_000
    assert stat.aged_60_plus == round(2_880_000 * 0.135) and stat.aged_65_plus == round(2_880_000 * 0.096)
    counties = PopulationStat.objects.filter(area__level="county", year=2022)
    assert counties.count() == 6 and sum(s.resident_total for s in counties) == 2_880_000


def test_part_of_the_elderly_have_emergency_contacts_with_sealed_phones(city):
    with_contact = Person.objects.filter(emergency_contacts__isnull=False).distinct()
    elderly = ElderlyProfile.objects.count()
    assert 0.3 * elderly < with_contact.count() < 0.5 * elderly
    first = Person.objects.filter(elderly_profile__isnull=False).order_by("id").first()  # demo-resident's record
    contact = EmergencyContact.objects.filter(person=first).first()
    assert contact is not None and contact.phone_masked[3:7] == "****"
    assert len(unsealed(contact, "phone")) == 11
    assert EmergencyContact.history.filter(history_type="+").count() == EmergencyContact.objects.count()


def test_people_have_valid_ids_consistent_with_birth_sex_and_area(city):
    elderly_expected = round(2_880_000 * 0.135 * 0.002)
    assert ElderlyProfile.objects.count() == elderly_expected
    assert Area.objects.filter(level="village", code__startswith="6401").count() == 602
    for person in Person.objects.select_related("elderly_profile")[:400]:
        citizen = parse_citizen_id(unsealed(person, "id_number"))
        assert (citizen.birth_date, citizen.sex) == (person.birth_date, person.sex)
        assert citizen.number[:6] == person.area_id[:6]
        if hasattr(person, "elderly_profile"):
            assert age_on(person.birth_date, TODAY) >= 60
    infants = Person.objects.filter(birth_date__gt=dt.date(2023, 11, 23))
    assert infants.exists()
    assert Guardianship.objects.filter(infant__in=infants, is_primary=True).count() == infants.count()


def test_demo_accounts_are_made_once_and_scoped(city, tmp_path, monkeypatch):
    monkeypatch.setattr(accounts, "ACCOUNTS_FILE", tmp_path / "demo-accounts.txt")
    first = accounts.demo_accounts_ensure()
    again = accounts.demo_accounts_ensure()
    assert first == again and len(first) == len(accounts.DEMO_USERS)
    from laoxiao.accounts.models import User

    assert User.objects.get(username="demo-civil-xingqing").area_id == "640104000000"
    assert User.objects.get(username="demo-operator").organisations.count() == 1


def test_the_demo_has_assessments_complaints_alerts_and_a_round_today(city, tmp_path, monkeypatch):
    from laoxiao.accounts.models import User
    from laoxiao.alerts.models import Alert
    from laoxiao.assessments.models import Assessment
    from laoxiao.assessments.selectors import ability_current
    from laoxiao.homecare.models import Complaint, Order

    monkeypatch.setattr(accounts, "ACCOUNTS_FILE", tmp_path / "demo-accounts.txt")
    accounts.demo_accounts_ensure()
    statuses = set(Assessment.objects.values_list("status", flat=True))
    assert statuses == {"requested", "assigned", "scheduled", "in_progress", "signed", "approved"}
    approved = Assessment.objects.filter(status="approved").first()
    assert ability_current(person=approved.person).source == "assessment"
    assert status_changes(approved).count() == 7  # requested … approved through the workflow, and the first signature
    mine = Assessment.objects.filter(assessor_1__user__username="demo-assessor")
    assert mine.filter(status="in_progress").exclude(answers={}).exists()
    assert Assessment.objects.filter(assessor_2__user__username="demo-assessor-2", status="signed").exists()
    assert Complaint.objects.exists() and Alert.objects.filter(source="visit").exists()
    # the volunteer's start page is their round of visits near home
    volunteer = User.objects.get(username="demo-volunteer")
    street = volunteer.person.area_id[:9]
    rounds = volunteer.visit_plans.filter(ends_on__isnull=True).values_list("area_id", flat=True)
    assert len(rounds) == accounts.VOLUNTEER_ROUND and all(area.startswith(street) for area in rounds)
    caregiver = User.objects.get(username="demo-caregiver")
    today = set(
        Order.objects.filter(caregiver__user=caregiver, scheduled_start__date=TODAY).values_list("status", flat=True)
    )
    assert today == {"completed", "in_service", "accepted"}


def test_a_county_officer_sees_a_year_of_allowance_batches_the_current_month_awaiting_approval(city, client):
    import re

    from laoxiao.accounts.roles import Role
    from tests import factories

    client.force_login(factories.make_user(Role.CIVIL_AFFAIRS, "640104000000"))
    page = client.get("/benefits/advanced-age-allowance/").content.decode()
    rows = re.findall(r'<a href="/benefits/batches/\d+/">(\d{4}-\d\d)</a></td><td>[^<]*</td><td>([^<]*)</td>', page)
    assert [period for period, _ in rows] == [f"{y}-{m:02d}" for y, m in [(2026, n) for n in range(11, 0, -1)]] + [
        "2025-12"
    ]
    # last month's bank file is out, its result awaited; the ten months before are reconciled
    assert [status for _, status in rows] == ["草稿", "已交银行"] + ["已对账"] * 10
    work = client.get("/").content.decode()
    assert '<span class="n">1</span><span>已交银行、待银行回盘的批次</span>' in work


def test_demo_resident_can_follow_a_service_from_booking_to_rating(city, client, tmp_path, monkeypatch):
    from laoxiao.accounts.models import User
    from laoxiao.homecare.models import Order, ServiceKind
    from laoxiao.homecare.orders import services as orders

    monkeypatch.setattr(accounts, "ACCOUNTS_FILE", tmp_path / "demo-accounts.txt")
    accounts.demo_accounts_ensure()
    resident, manager = User.objects.get(username="demo-resident"), User.objects.get(username="demo-provider")
    caregiver = User.objects.get(username="demo-caregiver")
    done = Order.objects.filter(recipient_id=resident.person_id, status="completed", caregiver__user=caregiver)
    client.force_login(resident)
    waiting = client.get(f"/homecare/orders/{done.get(rating__isnull=True).pk}/").content.decode()
    assert 'data-test="rate"' in waiting
    rated = client.get(f"/homecare/orders/{done.filter(rating__isnull=False).first().pk}/").content.decode()
    assert 'data-test="rating"' in rated and 'data-test="rate"' not in rated
    # a booking the resident makes is offered to the provider demo-provider runs
    booked = orders.order_create(
        by=resident,
        recipient=resident.person,
        kind=ServiceKind.objects.get(code="cleaning"),
        quantity=Decimal(1),
        scheduled_start=timezone.make_aware(
            dt.datetime.combine(timezone.localdate() + dt.timedelta(days=2), dt.time(9))
        ),
        channel=Order.Channel.SELF,
    )
    assert booked.provider.facility in manager.organisations.all()
    client.force_login(caregiver)
    for ahead in (1, 2, 3):
        day = TODAY + dt.timedelta(days=ahead)
        page = client.get(f"/homecare/today/?day={day:%Y-%m-%d}").content.decode()
        assert page.count('data-test="visit"') >= 2, day


def test_the_demo_has_a_year_of_home_care_orders_statements_and_alerts(city, client):
    from laoxiao.accounts.roles import Role
    from laoxiao.alerts.models import Alert
    from laoxiao.homecare.models import Order
    from tests import factories

    done = Order.objects.filter(status="completed", scheduled_start__date__lt=TODAY.replace(day=1))
    months = sorted({f"{o.scheduled_start:%Y-%m}" for o in done})
    assert len(months) >= 4 and months[0] <= "2026-05"  # a handful of orders at this scale
    client.force_login(factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY))
    page = client.get(f"/homecare/statements/?month={months[0]}").content.decode()
    assert page.count('<tr><td><a href="/homecare/statements/') >= 1
    assert Alert.objects.filter(raised_at__date__lt=TODAY - dt.timedelta(days=30)).exists()
