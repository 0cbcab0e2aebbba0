"""Proactive runs into payment batches, approval, the payment file, reconciliation, and the database's
one-payment-per-period rule (also under concurrent requests, on PostgreSQL)."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from laoxiao.accounts.roles import Role
from laoxiao.benefits import policy, services
from laoxiao.benefits.models import Application, Payment, Programme
from laoxiao.core.models import Area
from tests import factories

PERIOD_END = dt.date(2026, 11, 30)


# Tests with their own small world come first: the demo city, once built, stays for the module.
def test_liability_insurance_application_states_a_premium_and_splits_it(client, areas, xingqing_civil):
    services.programmes_sync()
    factories.adopt_programmes("baotou-liability-insurance")
    home = factories.make_facility(by=xingqing_civil)
    client.force_login(xingqing_civil)
    response = client.post(
        "/benefits/baotou-liability-insurance/apply/", {"facility": home.pk, "application__premium": "12000.50"}
    )
    assert response.status_code == 302

    application = Application.objects.get()
    assert application.amount == Decimal("12000.50") and application.facts == {"application.premium": "12000.50"}


def test_a_programme_offers_only_the_kinds_it_is_for_and_a_figure_names_its_field(client, areas, xingqing_civil):
    services.programmes_sync()
    factories.adopt_programmes("national-inclusive-place")
    home = factories.make_facility(by=xingqing_civil, name="社会福利院", kind="care_home")
    nursery = factories.make_facility(by=xingqing_civil, name="普惠托育园", kind="childcare_center", is_inclusive=True)
    client.force_login(xingqing_civil)
    url = "/benefits/national-inclusive-place/apply/"
    page = client.get(url).content.decode()
    assert nursery.name in page and home.name not in page
    refused = client.post(url, {"facility": nursery.pk, "application__new_inclusive_places": "-5"}).content.decode()
    assert "新增普惠托位：至少为 1。" in refused and not Application.objects.exists()
    assert client.post(url, {"facility": home.pk, "application__new_inclusive_places": "5"}).status_code == 200
    assert not Application.objects.exists()
    operator = factories.make_user(Role.INSTITUTION_OPERATOR, None)
    operator.organisations.set([home])
    client.force_login(operator)  # no facility of the kinds: the page says so, with no form to fail
    page = client.get(url).content.decode()
    assert "本项目面向托育机构、幼儿园托班、家庭托育点，您负责的机构中没有此类机构" in page
    assert 'name="facility"' not in page


def test_a_grant_is_paid_3_3_4_over_three_years(areas, xingqing_civil):
    from laoxiao.benefits import applications

    services.programmes_sync()
    factories.adopt_programmes("baotou-construction-new")
    street = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    home = factories.make_facility(by=xingqing_civil, floor_area_m2="3000")
    programme = Programme.objects.get(code="baotou-construction-new")
    uploads = {
        title: SimpleUploadedFile("d.pdf", b"%PDF") for title in policy.rule_in_force(programme).rule["documents"]
    }
    application = applications.application_submit(
        by=xingqing_civil,
        programme=programme,
        facility=home,
        stated={"application.construction": "new", "application.beds": 100},
        documents=uploads,
    )
    applications.application_review(by=street, application=application, approve=True)
    applications.application_review(by=xingqing_civil, application=application, approve=True)
    area = Area.objects.get(code=factories.XINGQING)
    amounts = []
    for year in (2026, 2027, 2028):
        batch = applications.batch_from_applications(by=xingqing_civil, programme=programme, area=area, year=year)
        amounts += [p.amount for p in batch.payments.all()]
    assert amounts == [Decimal(150_000), Decimal(150_000), Decimal(200_000)]
    with pytest.raises(ValidationError):  # nothing is left to pay
        applications.batch_from_applications(by=xingqing_civil, programme=programme, area=area, year=2029)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_create_one_payment():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are proven on PostgreSQL (SQLite serialises all writers)")
    factories.load_test_areas()
    services.programmes_sync()
    officer = factories.make_user(Role.CIVIL_AFFAIRS, factories.CITY)
    programme = Programme.objects.get(code="baotou-operating")
    area = Area.objects.get(code=factories.CITY)
    barrier, outcomes = threading.Barrier(2), []

    def attempt() -> None:
        try:
            barrier.wait()
            services.payment_record(
                by=officer,
                programme=programme,
                beneficiary_type="facility",
                beneficiary_id=7,
                name="同一机构",
                area=area,
                period="2026-11",
                amount=Decimal(100),
            )
            outcomes.append("paid")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["paid", "refused"]
    assert Payment.objects.filter(beneficiary_id=7, period="2026-11").count() == 1
