"""A person's whole record on one page (一人一档): one ability level, and each section from its own domain."""

import pytest
from django.core.exceptions import ValidationError

from laoxiao.accounts.roles import Role
from laoxiao.alerts.services import alert_raise
from laoxiao.assessments import services
from laoxiao.core.models import IdentifierReveal
from laoxiao.people import services as people_services
from laoxiao.people.models import ElderlyProfile, EmergencyContact
from laoxiao.people.record import SECTION_ROWS
from tests import factories
from tests.factories import complete


def test_the_person_page_shows_one_ability_level_the_approved_assessment(client, case, xingqing_civil):  # noqa: F811
    person = case[0]
    ElderlyProfile.objects.filter(person=person).update(ability_level=4)  # recorded before the platform: 完全失能
    signed = complete(case, xingqing_civil, total=50)
    services.assessment_review(by=xingqing_civil, assessment=signed, approve=True)
    client.force_login(xingqing_civil)
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "中度失能" in page
    assert "完全失能" not in page


def test_the_person_page_shows_coordinates_as_a_place_and_the_record_sections(client, xingqing_civil, areas):
    person = factories.make_person(by=xingqing_civil, latitude="38.471234", longitude="106.264912")
    client.force_login(xingqing_civil)
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "北纬 38.4712°，东经 106.2649°" in page
    # sections with nothing in them are named on one line, not drawn as empty tables
    empty = page[page.index('data-test="record-empty"') :].split("</p>")[0]
    assert "居家服务订单" in empty and "已发放补贴" in empty and 'data-test="record-orders"' not in page
    payments = client.get(f"/people/{person.pk}/record/payments/").content.decode()
    assert "发放期间" in payments and "建设期限" not in payments and "暂无。" in payments


def test_an_emergency_contact_is_added_on_the_person_page_masked_and_revealed_only_through_the_log(
    client, xingqing_civil, areas
):
    person = factories.make_person(by=xingqing_civil)
    client.force_login(xingqing_civil)
    url = f"/people/{person.pk}/contacts/new/"
    bad = client.post(url, {"name": " ", "relation": "child", "phone": "12345"})
    assert bad.status_code == 400
    text = bad.content.decode()
    # each message sits in its field's box, which the label names
    name_box = text[text.index('data-field="name"') : text.index('data-field="relation"')]
    phone_box = text[text.index('data-field="phone"') :]
    assert "姓名" in name_box and "此项必填。" in name_box
    assert "电话" in phone_box and "请填写11位手机号码或固定电话" in phone_box
    assert not EmergencyContact.objects.exists()

    assert client.post(url, {"name": "王小红", "relation": "child", "phone": "13912345678"}).status_code == 302
    contact = EmergencyContact.objects.get()
    assert contact.phone_cipher and "13912345678" not in contact.phone_cipher
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "王小红" in page and contact.phone_masked in page and "13912345678" not in page

    assert client.get(f"/people/contacts/{contact.pk}/reveal/").status_code == 405
    assert ">13912345678<" in client.post(f"/people/contacts/{contact.pk}/reveal/").content.decode()
    assert IdentifierReveal.objects.get(subject_id=person.pk).field == "contact_phone"
    history = client.get(f"/people/{person.pk}/history/").content.decode()
    assert "紧急联系人电话" in history

    assert client.post(f"/people/contacts/{contact.pk}/remove/").status_code == 302
    assert not EmergencyContact.objects.exists()
    assert EmergencyContact.history.filter(history_type="-", history_user=xingqing_civil).exists()


def test_a_bad_contact_phone_keeps_the_input_and_a_reload_or_reopening_the_address_shows_a_page(
    client, xingqing_civil, areas
):
    person = factories.make_person(by=xingqing_civil)
    client.force_login(xingqing_civil)
    url = f"/people/{person.pk}/contacts/new/"
    sent = {"name": "王小明", "relation": "child", "phone": "12345", "_once": "e" * 32}
    for _sending in ("the form", "a reload of the page with the messages: the same form, the same once-token"):
        bad = client.post(url, sent)
        assert bad.status_code == 400
        text = bad.content.decode()
        assert "请填写11位手机号码或固定电话" in text.split('data-field="phone"')[1]
        assert 'value="王小明"' in text and 'value="12345"' in text
    # the address bar, Back, or the return from signing in again open the address with GET
    reopened = client.get(url, follow=True)
    assert reopened.redirect_chain == [(f"/people/{person.pk}/#contacts", 302)]
    assert 'data-test="contact-form"' in reopened.content.decode()
    assert not EmergencyContact.objects.exists()


def test_a_resident_sees_their_emergency_contacts_on_my_page_without_staff_controls(client, xingqing_civil, areas):
    person = factories.make_person(by=xingqing_civil)
    people_services.emergency_contact_add(
        by=xingqing_civil, person=person, name="王小红", relation="child", phone="13912345678"
    )
    resident = factories.make_user(Role.RESIDENT, None, person_id=person.pk)
    client.force_login(resident)
    my = client.get("/").content.decode()
    assert "紧急联系人" in my and "王小红" in my and "139********" in my and "5678" not in my
    record = client.get(f"/people/{person.pk}/").content.decode()
    assert "王小红" in record and 'data-test="contact-form"' not in record and "contact-remove" not in record
    assert client.post(f"/people/{person.pk}/contacts/new/", {"name": "x", "relation": "child"}).status_code == 403


def test_each_section_shows_its_latest_rows_and_links_to_all_of_them_paged_at_100(client, xingqing_civil, areas):
    person = factories.make_person(by=xingqing_civil)
    for n in range(105):
        alert_raise(by=xingqing_civil, person=person, source="call", detail=f"来电 {n}")
    client.force_login(xingqing_civil)
    page = client.get(f"/people/{person.pk}/").content.decode()
    section = page[page.index('data-test="record-alerts"') :]
    section = section[: section.index("</section>")]
    assert section.count("<tr>") == 1 + SECTION_ROWS and "来电 104" in section  # header, the latest five
    assert f'href="/people/{person.pk}/record/alerts/"' in section and "全部 105 条" in section
    first = client.get(f"/people/{person.pk}/record/alerts/").content.decode()
    assert first.count("来电 ") == 100 and "来电 104" in first and "共 105 条" in first
    second = client.get(f"/people/{person.pk}/record/alerts/?page=2").content.decode()
    assert second.count("来电 ") == 5 and "来电 0<" in second
    # a role that does not read alerts has no such section, on the page or behind the link
    health = factories.make_user(Role.HEALTH_COMMISSION)
    client.force_login(health)
    assert 'data-test="record-alerts"' not in client.get(f"/people/{person.pk}/").content.decode()
    assert client.get(f"/people/{person.pk}/record/alerts/").status_code == 404
    assert client.get(f"/people/{person.pk}/record/nothing/").status_code == 404


def test_the_history_page_pages_its_changes_and_its_reveal_log(client, xingqing_civil, areas):
    person = factories.make_person(by=xingqing_civil)
    for _ in range(30):
        people_services.person_reveal(by=xingqing_civil, person=person, field="phone")
    client.force_login(xingqing_civil)
    page = client.get(f"/people/{person.pk}/history/").content.decode()
    reveals = page[page.index('data-test="reveals"') :]
    assert reveals.count("<tr>") == 1 + 25 and "共 30 条" in reveals and "reveals_page=2" in reveals


def test_a_contact_needs_a_name_a_known_relation_and_a_phone(xingqing_civil, areas):
    person = factories.make_person(by=xingqing_civil)
    with pytest.raises(ValidationError) as refused:
        people_services.emergency_contact_add(by=xingqing_civil, person=person, name="", relation="cousin", phone="")
    assert refused.value.message_dict == {
        "name": ["此项必填。"],
        "phone": ["此项必填。"],
        "relation": ["“cousin”不是允许的取值。"],
    }
    assert not EmergencyContact.objects.exists()


def test_a_childs_record_has_no_elderly_care_sections_and_an_elders_keeps_them(client, xingqing_civil, areas):
    child = factories.make_person(by=xingqing_civil, age=1)
    mother = factories.make_person(by=xingqing_civil, age=30, female=True)
    people_services.guardianship_create(
        by=xingqing_civil, infant=child, guardian=mother, relation="mother", is_primary=True
    )
    client.force_login(xingqing_civil)
    page = client.get(f"/people/{child.pk}/").content.decode().split("<main>")[1]
    assert "监护关系" in page and mother.name in page and 'data-test="record-contacts"' in page
    for elderly_only in ('data-test="home-care"', "居家服务订单", "探访记录", "助餐", "服务补贴", "能力"):
        assert elderly_only not in page, elderly_only
    for section in ("orders", "visits", "meals", "assessments"):
        assert client.get(f"/people/{child.pk}/record/{section}/").status_code == 404
    elder = client.get(f"/people/{factories.make_person(by=xingqing_civil, age=70).pk}/").content.decode()
    assert 'data-test="home-care"' in elder and "居家服务订单" in elder

    # the mother's page: her card and her child's, neither with a home-care allowance line (both under 60)
    client.force_login(factories.make_user(Role.RESIDENT, None, person_id=mother.pk))
    cards = client.get("/").content.decode().split('data-test="my-person"')[1:]
    assert len(cards) == 2 and not any("居家养老服务补贴" in card for card in cards)


def test_a_reveal_button_after_the_session_ended_signs_in_on_the_page_and_returns_to_it(client, xingqing_civil, areas):
    person = factories.make_person(by=xingqing_civil)
    page = f"/people/{person.pk}/"
    # htmx would swap the sign-in page into the number's place, and signing in would return to the POST-only
    # address of the button (a 403); the whole page goes to sign in and comes back to the person's page
    answer = client.post(
        f"/people/{person.pk}/reveal/phone/",
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{page}"},
    )
    assert answer.status_code == 200 and answer["HX-Redirect"] == f"/login/?next={page}"
    assert not IdentifierReveal.objects.exists()
