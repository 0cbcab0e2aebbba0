"""Home-care orders: the allowance, dispatch, visit verification, statements, complaints."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from laoxiao.accounts.roles import Role
from laoxiao.benefits.services import programmes_sync
from laoxiao.core.models import IdentifierReveal
from laoxiao.core.personal import unsealed
from laoxiao.core.transitions import status_changes
from laoxiao.homecare import rules
from laoxiao.homecare.models import Allowance, Caregiver, Order, OrderEvent, Statement
from laoxiao.homecare.orders import services as orders
from laoxiao.homecare.orders.selectors import offered_to_me
from laoxiao.homecare.providers import services
from laoxiao.people.models import Person
from tests import factories
from tests.factories import TOMORROW_9, accepted_order, order_for, visit_completed

# 800 m north of factories.HOME: one minute of latitude is about 1,852 m.
FAR_NORTH = (38.470000 + 800 / 111_195, 106.280000)


@pytest.fixture
def worker(areas):
    return factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)


@pytest.fixture
def eligible(xingqing_civil):
    """特困, severely disabled: 800 yuan a month under the demo allowance rule."""
    programmes_sync()
    services.catalogue_sync()
    return factories.make_person(
        by=xingqing_civil,
        age=78,
        categories=["extreme_poverty"],
        ability_level=3,
        latitude=factories.HOME[0],
        longitude=factories.HOME[1],
    )


def test_orders_draw_on_the_allowance_first_and_never_below_zero(xingqing_civil, worker, eligible):
    factories.make_provider(by=xingqing_civil)
    first = order_for(worker, eligible, "nursing", quantity="10")  # 10 h × 50 purchase price = 500
    assert (first.unit_price, first.total, first.allowance_share, first.personal_share) == (50, 500, 500, 0)
    second = order_for(worker, eligible, "bathing", quantity="5")  # 5 × 80 = 400, only 300 left
    assert (second.allowance_share, second.personal_share) == (300, 100)
    third = order_for(worker, eligible, "bathing", when=TOMORROW_9 + dt.timedelta(hours=5))
    assert (third.allowance_share, third.personal_share) == (0, 80)
    allowance = Allowance.objects.get(person=eligible)
    assert (allowance.granted, allowance.used) == (800, 800)
    orders.order_cancel(by=worker, order=second, reason="家属临时安排")
    allowance.refresh_from_db()
    assert allowance.used == 500
    with pytest.raises(IntegrityError), transaction.atomic():  # the table itself refuses an overdraw
        Allowance.objects.filter(pk=allowance.pk).update(used=Decimal(801))


def test_a_person_without_allowance_pays_the_inclusive_price(xingqing_civil, worker):
    programmes_sync()
    factories.make_provider(by=xingqing_civil)
    person = factories.make_person(by=xingqing_civil, age=66)
    order = order_for(worker, person)
    assert (order.unit_price, order.allowance_share, order.personal_share, order.allowance) == (90, 0, 90, None)


def test_bad_orders_are_refused_naming_the_field(xingqing_civil, worker, eligible):
    jinfeng_worker = factories.make_user(Role.COMMUNITY_WORKER, factories.JINFENG_TOWNSHIP)
    with pytest.raises(ValidationError) as refused:
        order_for(jinfeng_worker, eligible)
    assert "recipient" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        order_for(worker, eligible, quantity="0", when=timezone.now() - dt.timedelta(days=1))
    assert {"quantity", "scheduled_start"} <= set(refused.value.message_dict)
    assert not Order.objects.exists() and not Allowance.objects.exists()


def test_dispatch_offers_the_nearest_then_the_next_after_a_decline_or_a_lapse(xingqing_civil, worker, eligible):
    near, _users = factories.make_provider(by=xingqing_civil, name="近处服务中心", latitude="38.471")
    middle, _users = factories.make_provider(by=xingqing_civil, name="中间服务中心", latitude="38.49")
    far, _users = factories.make_provider(by=xingqing_civil, name="远处服务中心", latitude="38.60")
    full, _users = factories.make_provider(by=xingqing_civil, name="满员服务中心", latitude="38.4705", daily_capacity=1)
    busy = factories.make_person(by=xingqing_civil, age=70, latitude=factories.HOME[0], longitude=factories.HOME[1])
    orders.order_accept(by=factories.make_desk(full), order=order_for(worker, busy))  # its one order that day

    order = order_for(worker, eligible)
    assert (order.status, order.provider) == (Order.Status.OFFERED, near)
    orders.order_decline(by=factories.make_desk(near), order=order, reason="人手不足")
    order.refresh_from_db()
    assert order.provider == middle
    orders.offers_expire(now=order.offer_expires_at + dt.timedelta(seconds=1))
    order.refresh_from_db()
    assert order.provider == far
    with pytest.raises(ValidationError):
        orders.order_accept(by=factories.make_desk(middle), order=order)  # no longer offered to them
    kinds = list(OrderEvent.objects.filter(order=order).values_list("kind", flat=True))
    assert kinds == ["created", "offered", "declined", "offered", "expired", "offered"]


def test_a_provider_not_serving_the_area_is_never_offered(xingqing_civil, city_civil, worker, eligible):
    provider, _users = factories.make_provider(by=xingqing_civil)
    services.provider_register(
        by=city_civil,
        facility=provider.facility,
        kinds=list(provider.kinds.all()),
        area_codes=[factories.JINFENG],
        daily_capacity=40,
    )
    order = order_for(worker, eligible)
    assert (order.status, order.provider) == (Order.Status.UNASSIGNED, None)


def test_check_in_far_from_home_late_and_a_short_visit_are_flagged(xingqing_civil, worker, eligible):
    order, caregiver = accepted_order(xingqing_civil, worker, eligible)
    arrived = TOMORROW_9 + dt.timedelta(minutes=45)
    order = orders.order_check_in(
        by=caregiver, order=order, latitude=FAR_NORTH[0], longitude=FAR_NORTH[1], now=arrived, client_action="a1"
    )
    assert 790 <= order.check_in_distance_m <= 810
    assert order.flags == ["far_check_in", "late"]
    again = orders.order_check_in(
        by=caregiver, order=order, latitude=0.0, longitude=0.0, now=arrived, client_action="a1"
    )
    assert again.check_in_distance_m == order.check_in_distance_m  # a replayed action is recorded once
    order = orders.order_check_out(
        by=caregiver,
        order=order,
        latitude=float(factories.HOME[0]),
        longitude=float(factories.HOME[1]),
        tasks_done=["协助洗浴"],
        notes="状况良好",
        recipient_confirmed=True,
        now=arrived + dt.timedelta(minutes=20),  # 20 of 60 planned minutes
    )
    assert order.status == Order.Status.COMPLETED
    assert order.flags == ["far_check_in", "late", "short"]
    assert OrderEvent.objects.filter(order=order, kind="check_in").count() == 1


def test_a_check_in_more_than_half_an_hour_early_is_flagged(xingqing_civil, worker, eligible):
    assert rules.config()["verification"]["early_before_minutes"] == 30  # as late_after_minutes: issue 10
    assert rules.check_in_flags(scheduled_start=TOMORROW_9, at=TOMORROW_9 - dt.timedelta(minutes=30), distance=0) == []
    order, caregiver = accepted_order(xingqing_civil, worker, eligible)
    two_hours_early = TOMORROW_9 - dt.timedelta(hours=2)
    order = orders.order_check_in(
        by=caregiver,
        order=order,
        latitude=float(factories.HOME[0]),
        longitude=float(factories.HOME[1]),
        now=two_hours_early,
    )
    assert order.flags == ["early"] and order.flag_labels == ["提前签到"]


def test_the_assigned_caregiver_reveals_the_recipients_phone_and_nobody_else(xingqing_civil, worker, eligible):
    order, caregiver = accepted_order(xingqing_civil, worker, eligible)
    colleague = factories.make_user(Role.PROVIDER, None)
    colleague.organisations.set([order.provider_id])
    with pytest.raises(PermissionDenied):
        orders.recipient_phone_reveal(by=colleague, order=order)
    assert not IdentifierReveal.objects.exists()
    assert orders.recipient_phone_reveal(by=caregiver, order=order) == unsealed(eligible, "phone")
    reveal = IdentifierReveal.objects.get()
    assert (reveal.user, reveal.subject_id, reveal.field) == (caregiver, eligible.pk, "phone")


def test_only_the_assigned_caregiver_checks_in_and_a_visit_never_started_is_missed(xingqing_civil, worker, eligible):
    order, _caregiver = accepted_order(xingqing_civil, worker, eligible)
    other = factories.make_user(Role.PROVIDER, None)
    with pytest.raises(ValidationError):
        orders.order_check_in(by=other, order=order, latitude=None, longitude=None, now=TOMORROW_9)
    assert orders.visits_flag_missed(now=TOMORROW_9 + dt.timedelta(minutes=30)) == 0
    assert orders.visits_flag_missed(now=TOMORROW_9 + dt.timedelta(minutes=61)) == 1
    assert orders.visits_flag_missed(now=TOMORROW_9 + dt.timedelta(minutes=90)) == 0  # flagged once
    order.refresh_from_db()
    assert order.flags == ["missed"]


def test_statement_splits_government_and_personal_shares_and_holds_back_disputed(xingqing_civil, worker, eligible):
    provider, (caregiver,) = factories.make_provider(by=xingqing_civil)
    desk = factories.make_desk(provider)
    other = factories.make_person(by=xingqing_civil, age=70)  # no allowance: 90 at the inclusive price
    done = []
    for person, quantity, hour in ((eligible, "5", 9), (eligible, "5", 14), (other, "1", 9)):
        when = TOMORROW_9.replace(hour=hour)
        order = orders.order_accept(by=desk, order=order_for(worker, person, quantity=quantity, when=when))
        done.append(visit_completed(order, caregiver))
    # eligible: 400 from the allowance; then 400 more, 400 left: 400 + 0; other: 0 + 90
    assert [(o.allowance_share, o.personal_share) for o in done] == [(400, 0), (400, 0), (0, 90)]
    orders.complaint_file(by=worker, order=done[1], text="服务时间不足")
    order_for(worker, other, when=TOMORROW_9.replace(hour=15))  # not completed: not on the statement
    month = f"{TOMORROW_9:%Y-%m}"
    assert services.statements_build(by=xingqing_civil, month=month) == 1
    statement = Statement.objects.get(provider=provider, month=month)
    assert (statement.orders, statement.government_amount, statement.personal_amount) == (3, 400, 90)
    assert (statement.disputed_orders, statement.disputed_amount) == (1, 400)
    services.statement_confirm(by=xingqing_civil, statement=statement)
    assert services.statements_build(by=xingqing_civil, month=month) == 0  # a confirmed statement stays
    with pytest.raises(ValidationError):
        services.statements_build(by=xingqing_civil, month="2026-13")


def test_a_district_officer_builds_only_their_districts_statements(xingqing_civil, city_civil, worker, eligible):
    ours, (caregiver,) = factories.make_provider(by=xingqing_civil)
    theirs, _ = factories.make_provider(by=city_civil, area=factories.JINFENG_VILLAGE)
    visit_completed(orders.order_accept(by=factories.make_desk(ours), order=order_for(worker, eligible)), caregiver)
    month = f"{TOMORROW_9:%Y-%m}"
    kept = Statement.objects.create(  # Jinfeng's, built by the monthly job and not yet confirmed
        provider=theirs, month=month, orders=4, government_amount=120, personal_amount=0, disputed_orders=0,
        disputed_amount=0, built_at=timezone.now(),
    )  # fmt: skip
    assert services.statements_build(by=xingqing_civil, month=month) == 1
    first = Statement.objects.get(provider=ours, month=month)
    assert first.orders == 1
    assert Statement.objects.get(pk=kept.pk).orders == 4  # another district's statement is left alone
    assert services.statements_build(by=None, month=month) == 1  # the monthly job rebuilds every provider's
    # The statements it replaced are in their history, deleted by the job, with their figures.
    deleted = Statement.history.filter(history_type="-").values_list("id", "orders", "history_user_id")
    assert sorted(deleted) == sorted([(first.pk, 1, None), (kept.pk, 4, None)])
    assert not Statement.objects.filter(pk__in=[first.pk, kept.pk]).exists()


def test_a_dismissed_complaint_releases_the_held_back_share(xingqing_civil, worker, eligible):
    order, caregiver = accepted_order(xingqing_civil, worker, eligible)
    order = visit_completed(order, caregiver)
    complaint = orders.complaint_file(by=worker, order=order, text="态度不好")
    inspector = factories.make_user(Role.INSPECTOR, factories.XINGQING)
    orders.complaint_resolve(by=inspector, complaint=complaint, upheld=False, resolution="经核实服务正常")
    order.refresh_from_db()
    assert not order.disputed


def test_a_settled_complaint_shows_its_outcome_and_a_second_tab_is_refused_at_the_top(
    client, xingqing_civil, worker, eligible
):
    """Issue 10's probe: a resolved complaint reopened as an empty form, and a second save's "该投诉已处理"
    hung on the 处理结果 field."""
    order, caregiver = accepted_order(xingqing_civil, worker, eligible)
    complaint = orders.complaint_file(by=worker, order=visit_completed(order, caregiver), text="护理员迟到")
    inspector = factories.make_user(Role.INSPECTOR, factories.XINGQING, full_name="周督查")
    client.force_login(inspector)
    url = f"/homecare/complaints/{complaint.pk}/"
    assert 'name="resolution"' in client.get(url).content.decode()
    assert client.post(url, {"upheld": "0", "resolution": "经核实按时到达", "_once": "a" * 32}).status_code == 302
    second_tab = client.post(url, {"upheld": "1", "resolution": "属实", "_once": "b" * 32})
    assert second_tab.status_code == 200
    for page in (second_tab.content.decode(), client.get(url).content.decode()):
        assert 'name="resolution"' not in page and "<form" not in page.split("<main")[1]
        assert '<dd data-test="status">投诉不成立</dd>' in page and "经核实按时到达" in page
        assert f"{timezone.localtime():%Y-%m-%d} " in page and "周督查</dd>" in page
    assert '<p class="error" role="alert" data-test="refused">该投诉已处理。</p>' in second_tab.content.decode()
    complaint.refresh_from_db()
    assert (complaint.status, complaint.resolution) == ("dismissed", "经核实按时到达")


def test_the_same_complaint_from_a_second_tab_is_refused_with_a_link_to_the_first(
    client, xingqing_civil, worker, eligible
):
    order, caregiver = accepted_order(xingqing_civil, worker, eligible)
    order = visit_completed(order, caregiver)
    client.force_login(worker)
    url = f"/homecare/orders/{order.pk}/complain/"
    # two tabs: two once-tokens, so core/once.py lets both through; the second says the same in other spacing
    client.post(url, {"text": "护理员迟到半小时", "_once": "a" * 32})
    page = client.post(url, {"text": " 护理员迟到半小时 ", "_once": "b" * 32}, follow=True).content.decode()
    first = order.complaints.get()
    assert "就这次服务提交过同样的投诉，正在处理中，未重复登记。" in page
    assert f'<a href="/homecare/orders/{order.pk}/#complaint-{first.pk}">查看该投诉</a>' in page
    assert f'id="complaint-{first.pk}"' in page and "护理员迟到半小时" in page
    assert OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.COMPLAINT).count() == 1
    # another complaint, or the same one after the first is settled, is a new complaint
    client.post(url, {"text": "没有按约定打扫厨房", "_once": "c" * 32})
    orders.complaint_resolve(
        by=factories.make_user(Role.INSPECTOR, factories.XINGQING), complaint=first, upheld=True, resolution="属实"
    )
    client.post(url, {"text": "护理员迟到半小时", "_once": "d" * 32})
    assert order.complaints.count() == 3


def test_the_family_rates_a_completed_service_and_strangers_cannot(xingqing_civil, worker, eligible):
    order, caregiver = accepted_order(xingqing_civil, worker, eligible)
    daughter = factories.make_person(by=xingqing_civil, age=45, female=True)
    Person.objects.filter(pk__in=[eligible.pk, daughter.pk]).update(household=_household(eligible))
    family = factories.make_user(Role.RESIDENT, None, person_id=daughter.pk)
    stranger = factories.make_user(Role.RESIDENT, None, person_id=factories.make_person(by=xingqing_civil, age=50).pk)
    with pytest.raises(ValidationError):
        orders.order_rate(by=family, order=order, rating=5, comment="")  # not completed yet
    order = visit_completed(order, caregiver)
    with pytest.raises(ValidationError):
        orders.order_rate(by=stranger, order=order, rating=1, comment="")
    orders.order_rate(by=family, order=order, rating=5, comment="很细心")
    order.refresh_from_db()
    assert (order.rating, order.rating_comment) == (5, "很细心")


def _household(person):
    from laoxiao.people.models import Household

    return Household.objects.create(area_id=person.area_id, address=person.address)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_orders_never_overdraw_the_allowance():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are proven on PostgreSQL (SQLite serialises all writers)")
    factories.load_test_areas()
    programmes_sync()
    civil = factories.make_user(Role.CIVIL_AFFAIRS, factories.XINGQING)
    factories.make_provider(by=civil)
    person = factories.make_person(by=civil, age=78, categories=["subsistence_allowance"])  # 300 a month
    allowance = orders.allowance_open(person=person, month=f"{TOMORROW_9:%Y-%m}")
    assert allowance is not None and allowance.granted == 300
    barrier, made = threading.Barrier(2), []
    times = [TOMORROW_9, TOMORROW_9 + dt.timedelta(hours=5)]  # two orders, not one ordered twice

    def attempt() -> None:
        try:
            when = times.pop()
            barrier.wait()
            made.append(order_for(civil, person, "bathing", quantity="2", when=when))  # 160 each
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    allowance.refresh_from_db()
    shares = sorted(o.allowance_share for o in made)
    assert shares == [140, 160]
    assert allowance.used == sum(shares) == 300


def test_the_scheduler_commands_report_what_they_did(areas):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("homecare-sweep", stdout=out)
    assert out.getvalue().strip() == "0 offers passed on, 0 visits flagged missed"
    call_command("homecare-month", statements="2026-10", orders="2026-12", stdout=out)
    assert "0 statements built for 2026-10; 0 care-plan orders made" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("homecare-month", statements="2026-13")


def test_adding_a_listed_caregiver_again_is_refused_and_keeps_their_record(client, xingqing_civil, worker, eligible):
    order, caregiver_user = accepted_order(xingqing_civil, worker, eligible)
    caregiver = Caregiver.objects.get(user=caregiver_user)
    skills = sorted(caregiver.skills.values_list("pk", flat=True))
    client.force_login(caregiver_user)  # a provider account of the organisation, as its manager
    page = client.post(
        f"/homecare/providers/{order.provider_id}/", {"staff": caregiver.staff_id, "skills": [skills[0]]}
    ).content.decode()
    assert "该人员已是本机构护理员" in page
    caregiver.refresh_from_db()
    assert caregiver.user == caregiver_user and sorted(caregiver.skills.values_list("pk", flat=True)) == skills
    with pytest.raises(ValidationError) as refused:
        services.caregiver_register(
            by=xingqing_civil, provider=caregiver.provider, staff=caregiver.staff, skills=[order.kind]
        )
    assert "staff" in refused.value.message_dict


def test_accepting_a_lapsed_offer_passes_the_order_on_there_and_then(client, xingqing_civil, worker, eligible):
    near, _users = factories.make_provider(by=xingqing_civil, name="近处服务中心", latitude="38.471")
    near_user = factories.make_desk(near)
    other, _users = factories.make_provider(by=xingqing_civil, name="远处服务中心", latitude="38.60")
    order = order_for(worker, eligible)
    assert order.provider == near
    client.force_login(near_user)
    deadline = timezone.localtime(order.offer_expires_at)
    assert f"接单截止 {deadline:%m-%d %H:%M}" in client.get(f"/homecare/orders/{order.pk}/").content.decode()

    assert order in offered_to_me(user=near_user)
    Order.objects.filter(pk=order.pk).update(offer_expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert order not in offered_to_me(user=near_user)  # not counted or offered once its time is up
    page = client.post(f"/homecare/orders/{order.pk}/accept/", follow=True).content.decode()
    assert "接单时限已过，订单已转派其他服务商。" in page
    order.refresh_from_db()
    assert (order.status, order.provider) == (Order.Status.OFFERED, other)
    kinds = list(OrderEvent.objects.filter(order=order).values_list("kind", flat=True))
    assert kinds == ["created", "offered", "expired", "offered"]


def test_a_check_out_without_tasks_or_confirmation_is_kept_and_flagged(client, xingqing_civil, worker, eligible):
    order, caregiver = accepted_order(xingqing_civil, worker, eligible)
    order = orders.order_check_in(
        by=caregiver, order=order, latitude=None, longitude=None, now=TOMORROW_9 + dt.timedelta(minutes=45)
    )
    order = orders.order_check_out(
        by=caregiver,
        order=order,
        latitude=None,
        longitude=None,
        tasks_done=[],
        notes="老人外出未归",
        recipient_confirmed=False,
        now=TOMORROW_9 + dt.timedelta(minutes=50),
    )
    assert order.status == Order.Status.COMPLETED and order.service_notes == "老人外出未归"
    assert order.flags == ["no_location", "late", "short", "no_tasks", "unconfirmed"]
    client.force_login(xingqing_civil)
    page = client.get(f"/homecare/orders/{order.pk}/").content.decode()
    tags = '<span class="tag warn">迟到</span> <span class="tag warn">服务时长明显不足</span> '
    assert tags + '<span class="tag warn">未勾选服务内容</span> <span class="tag warn">服务对象未确认</span>' in page


def test_a_visit_made_up_on_the_device_is_flagged_and_held_out_of_the_statement_until_reviewed(
    xingqing_civil, worker, eligible
):
    """Issue 11's probe: a four-hour visit booked three days ahead, checked in with a device time four
    hours back at the home's coordinates and checked out one second later."""
    provider, (caregiver,) = factories.make_provider(by=xingqing_civil)
    booked = TOMORROW_9 + dt.timedelta(days=2)  # within the service hours, whatever the hour the suite runs
    order = orders.order_accept(
        by=factories.make_desk(provider), order=order_for(worker, eligible, quantity="4", when=booked)
    )
    home = {"latitude": float(factories.HOME[0]), "longitude": float(factories.HOME[1])}
    now = timezone.now()
    order = orders.order_check_in(by=caregiver, order=order, device_at=now - dt.timedelta(minutes=241), now=now, **home)
    order = orders.order_check_out(
        by=caregiver,
        order=order,
        **home,
        tasks_done=order.kind.tasks[:1],
        notes="",
        recipient_confirmed=True,
        device_at=now - dt.timedelta(minutes=1),
        now=now + dt.timedelta(seconds=1),
    )
    assert order.status == Order.Status.COMPLETED and {"early", "device_time"} <= set(order.flags)
    assert order.review == Order.Review.PENDING and "设备时间明显晚于服务器时间" in order.flag_labels
    month = f"{booked:%Y-%m}"
    services.statements_build(by=xingqing_civil, month=month)
    statement = Statement.objects.get(provider=provider, month=month)
    assert (statement.government_amount, statement.held_orders, statement.held_amount) == (0, 1, order.allowance_share)

    inspector = factories.make_user(Role.INSPECTOR, factories.XINGQING)
    with pytest.raises(PermissionDenied):
        orders.order_review(by=caregiver, order=order, genuine=True, note="")
    with pytest.raises(ValidationError) as refused:
        orders.order_review(by=inspector, order=order, genuine=False, note=" ")
    assert refused.value.message_dict == {"note": ["请说明不予结算的原因。"]}
    orders.order_review(by=inspector, order=order, genuine=True, note="电话回访，服务属实")
    with pytest.raises(ValidationError):  # reviewed once
        orders.order_review(by=inspector, order=order, genuine=False, note="重复")
    services.statements_build(by=xingqing_civil, month=month)
    statement = Statement.objects.get(provider=provider, month=month)
    assert (statement.government_amount, statement.held_orders) == (order.allowance_share, 0)
    assert OrderEvent.objects.get(order=order, kind="reviewed").detail == {
        "review": "genuine",
        "note": "电话回访，服务属实",
    }


def test_a_caregiver_change_on_an_order_cancelled_meanwhile_says_who_cancelled_it_and_when(
    client, xingqing_civil, eligible
):
    """Issue 10's probe: the resident cancelled while the desk had the order open, and the desk's change of
    caregiver was refused with "只能在上门服务开始前更换护理员"."""
    provider, (caregiver, other) = factories.make_provider(by=xingqing_civil, caregivers=2)
    desk = factories.make_desk(provider)
    family = factories.make_user(Role.RESIDENT, None, person_id=eligible.pk, full_name="马桂兰")
    order = orders.order_accept(by=desk, order=order_for(family, eligible), caregiver=caregiver.caregiver)
    client.force_login(desk)
    url = f"/homecare/orders/{order.pk}/"
    assert f'action="{url}assign/"' in client.get(url).content.decode()  # the desk's page, open meanwhile
    orders.order_cancel(by=family, order=order, reason="临时住院")
    at = f"{timezone.localtime(status_changes(order).last().at):%Y-%m-%d %H:%M}"
    page = client.post(f"{url}assign/", {"caregiver": other.caregiver.pk}, follow=True).content.decode()
    assert f"该订单当前状态为“已取消”（马桂兰，{at}），不能更换护理员，可能刚有他人处理过。" in page
    order.refresh_from_db()
    assert (order.status, order.caregiver) == (Order.Status.CANCELLED, caregiver.caregiver)


def test_an_action_sent_on_time_is_not_flagged_for_its_device_time():
    now = timezone.now()
    assert rules.config()["verification"]["device_behind_minutes"] == 15  # rules.json, issue 11
    assert rules.device_time_flags(device_at=now - dt.timedelta(minutes=14), received_at=now) == []
    assert rules.device_time_flags(device_at=now - dt.timedelta(minutes=16), received_at=now) == ["device_time"]
    assert rules.device_time_flags(device_at=None, received_at=now) == []


def test_only_the_providers_desk_accepts_declines_and_assigns_a_caregiver_records_their_visits(
    client, xingqing_civil, worker, eligible
):
    """Issue 10's probe: the order page showed a caregiver 接单/拒单/指派护理员, and the services let them."""
    provider, (caregiver, other) = factories.make_provider(by=xingqing_civil, caregivers=2)
    desk = factories.make_desk(provider)
    order = order_for(worker, eligible)
    client.force_login(caregiver)  # a caregiver sees their own visits only
    assert client.get(f"/homecare/orders/{order.pk}/").status_code == 404
    for refused in (
        lambda: orders.order_accept(by=caregiver, order=order),
        lambda: orders.order_decline(by=caregiver, order=order, reason="人手不足"),
    ):
        with pytest.raises(ValidationError, match="只有服务商的调度人员可以接单、拒单和指派护理员"):
            refused()
    assert client.post(f"/homecare/orders/{order.pk}/accept/").status_code == 404
    assert Order.objects.get(pk=order.pk).status == Order.Status.OFFERED

    client.force_login(desk)
    assert 'data-test="accept"' in client.get(f"/homecare/orders/{order.pk}/").content.decode()
    page = client.post(f"/homecare/orders/{order.pk}/decline/", {"reason": ""}, follow=True).content.decode()
    assert "拒单原因：此项必填。" in page  # the page lists its messages away from the fields: each names its own
    order = orders.order_accept(by=desk, order=order, caregiver=caregiver.caregiver)
    client.force_login(caregiver)
    assign = f'action="/homecare/orders/{order.pk}/assign/"'
    page = client.get(f"/homecare/orders/{order.pk}/").content.decode()  # now theirs: the record, no dispatch
    assert 'data-test="caregiver"' in page and assign not in page
    with pytest.raises(ValidationError, match="只有服务商的调度人员"):
        orders.caregiver_assign(by=caregiver, order=order, caregiver=other.caregiver)
    client.force_login(desk)
    assert assign in client.get(f"/homecare/orders/{order.pk}/").content.decode()
    orders.caregiver_assign(by=desk, order=order, caregiver=other.caregiver)
    order = orders.order_check_in(by=other, order=order, latitude=None, longitude=None, now=TOMORROW_9)
    assert order.status == Order.Status.IN_SERVICE and order.caregiver.user == other
