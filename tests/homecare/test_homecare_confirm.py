"""An order commits the person's allowance and their own money: the first POST only says what it will
cost and who pays what; the order is made by the confirmed POST."""

import datetime as dt

from django.utils import timezone

from laoxiao.accounts.roles import Role
from laoxiao.benefits.services import programmes_sync
from laoxiao.homecare.models import Order, ServiceKind
from laoxiao.homecare.providers import services
from laoxiao.people.models import Household, Person
from tests import factories


def test_a_family_member_confirms_what_the_person_pays_before_the_order_is_made(client, xingqing_civil):
    programmes_sync()
    services.catalogue_sync()
    factories.make_provider(by=xingqing_civil, name="凤凰北街居家养老服务中心")
    elder = factories.make_person(by=xingqing_civil, name="马桂兰", age=81)  # no allowance: she pays it all
    daughter = factories.make_person(by=xingqing_civil, age=52, female=True)
    home = Household.objects.create(area_id=elder.area_id, address=elder.address)
    Person.objects.filter(pk__in=[elder.pk, daughter.pk]).update(household=home)
    client.force_login(factories.make_user(Role.RESIDENT, None, person_id=daughter.pk))
    bathing = ServiceKind.objects.get(code="bathing")
    start = f"{timezone.localdate() + dt.timedelta(days=1):%Y-%m-%d}T09:00"
    booking = {"kind": bathing.pk, "quantity": "2", "scheduled_start": start, "note": "上午"}

    confirm = client.post(f"/homecare/people/{elder.pk}/", booking).content.decode()
    assert not Order.objects.exists()
    total = f"{bathing.inclusive_price * 2:.2f}"
    facts = confirm.split('data-test="confirm"')[1]
    for shown in ("马桂兰", "助浴 × 2", start.replace("T", " "), f'<dd data-test="confirm-6">{total}</dd>'):
        assert shown in facts, shown
    assert f"本次服务马桂兰需自付 {total} 元。" in facts and ">确认下单</button>" in facts
    assert '<input type="hidden" name="note" value="上午">' in facts  # the confirmation posts the same order

    client.post(f"/homecare/people/{elder.pk}/", {**booking, "confirmed": "1"})
    order = Order.objects.get()
    assert (f"{order.personal_share:.2f}", order.allowance_share, order.note) == (total, 0, "上午")
