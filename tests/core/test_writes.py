"""The one shape of a write (core/writes.py), on the platform's own services: a service that returned has
committed, one service inside another is all or nothing, the history names the service's actor, and a
side effect waits for the commit; a GET changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from laoxiao.alerts.models import Alert
from laoxiao.alerts.services import alert_handle, alert_raise
from laoxiao.core.audit import history_entries
from laoxiao.core.models import ExportLog
from laoxiao.core.services import export_record
from laoxiao.core.writes import SafeRequestsMiddleware, WriteOnSafeRequest, safe_request, service, writing
from tests import factories


@pytest.fixture
def person(xingqing_civil):
    return factories.make_person(by=xingqing_civil)


def test_a_service_cannot_be_wrapped_in_a_callers_transaction(xingqing_civil, person):
    """Durable: a caller that opened its own transaction could roll back what the service promised."""
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        alert_raise(by=xingqing_civil, person=person, source="visit")
    assert not Alert.objects.exists()


@service
def _raise_and_refuse(*, by, person):
    """A composed write: one service inside another, then a refusal."""
    alert_raise(by=by, person=person, source="visit", detail="倒地")
    raise ValidationError({"detail": "refused after the inner service"})


def test_a_service_inside_another_is_rolled_back_with_it(xingqing_civil, person):
    with pytest.raises(ValidationError):
        _raise_and_refuse(by=xingqing_civil, person=person)
    assert not Alert.objects.exists()


def test_the_history_names_each_services_actor(xingqing_civil, person):
    """No request is running (a job, an import): the actor is the service's `by`, with no `set_actor`."""
    other = factories.make_user(area=factories.XINGQING)
    alert = alert_raise(by=xingqing_civil, person=person, source="visit")
    alert_handle(by=other, alert=alert, note="已电话联系家属")
    assert [entry.who for entry in history_entries(alert)] == [other.first_name, xingqing_civil.first_name]
    job = alert_raise(by=None, person=person, source="visit")  # a job: the system
    assert history_entries(job)[0].who == "系统"


def test_a_side_effect_runs_after_the_commit_and_never_for_a_rollback(
    xingqing_civil, person, django_capture_on_commit_callbacks
):
    sent = []

    @service
    def raise_and_notify(*, by, fail: bool):
        alert = alert_raise(by=by, person=person, source="visit")
        transaction.on_commit(lambda: sent.append(alert.pk))
        if fail:
            raise ValidationError("refused")
        assert sent == []  # not while the transaction is open
        return alert

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        raise_and_notify(by=xingqing_civil, fail=True)
    assert sent == []
    with django_capture_on_commit_callbacks(execute=True):
        alert = raise_and_notify(by=xingqing_civil, fail=False)
    assert sent == [alert.pk]


def test_writing_commits_many_services_as_one(xingqing_civil, person):
    with pytest.raises(ValidationError), writing():
        alert_raise(by=xingqing_civil, person=person, source="visit")
        alert_raise(by=xingqing_civil, person=person, source="visit")
        raise ValidationError("the second row of an import was bad")
    assert not Alert.objects.exists()


def test_a_get_request_changes_nothing_but_the_log_of_what_it_read(xingqing_civil, person):
    """While a GET is served (SafeRequestsMiddleware), a service refuses; a reveal or export log is written."""
    with safe_request("GET"):
        with pytest.raises(WriteOnSafeRequest, match=r"alert_raise writes; a GET request must not"):
            alert_raise(by=xingqing_civil, person=person, source="visit")
        export_record(by=xingqing_civil, kind="老年人名册", filters="", rows=1)
    assert not Alert.objects.exists() and ExportLog.objects.count() == 1
    with safe_request("POST"):
        alert_raise(by=xingqing_civil, person=person, source="visit")
    assert Alert.objects.count() == 1


def test_a_get_writes_not_even_around_the_services(xingqing_civil, person):
    """The holes a review found: a write in `writing()`, a service inside a read's log, a plain save."""

    class Get:
        method = "GET"

    def page(request):
        with pytest.raises(WriteOnSafeRequest, match="writing"), writing():
            Alert.objects.create(person=person, area_id=person.area_id, source="visit")
        export_record(by=xingqing_civil, kind="老年人名册", filters="", rows=1)  # the log of a read is written
        return "answered"

    def careless_page(request):
        Alert.objects.filter(person=person).update(detail="x")  # no service at all: the database refuses

    assert SafeRequestsMiddleware(page)(Get()) == "answered"
    with transaction.atomic(), pytest.raises(WriteOnSafeRequest, match='must not write: UPDATE "alerts_alert"'):
        SafeRequestsMiddleware(careless_page)(Get())
    assert not Alert.objects.exists() and ExportLog.objects.count() == 1
