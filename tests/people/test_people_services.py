import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from laoxiao.core.audit import history_entries
from laoxiao.core.identifiers import age_on, parse_citizen_id
from laoxiao.core.models import IdentifierReveal
from laoxiao.people import services
from laoxiao.people.models import ElderlyProfile, Person
from tests import factories


def test_create_derives_birth_date_and_sex_and_opens_an_elderly_profile(xingqing_civil):
    number = factories.citizen_id(age=75, female=True)
    person = services.person_create(
        by=xingqing_civil,
        name="张桂兰",
        id_number=number,
        area_code=factories.XINGQING_VILLAGE,
        phone="13895001234",
        categories=["living_alone", "subsistence_allowance"],
        ability_level="1",
    )
    citizen = parse_citizen_id(number)
    assert (person.birth_date, person.sex) == (citizen.birth_date, "2")
    assert age_on(person.birth_date, timezone.localdate()) == 75
    profile = ElderlyProfile.objects.get(person=person)
    assert [c.value for c in profile.categories()] == ["subsistence_allowance", "living_alone"]
    assert profile.ability_level == 1
    assert person.id_number_masked == number[:6] + "*" * 11 + number[-1]
    assert person.phone_masked == "138********"


def test_identifiers_are_not_stored_in_plain_text(xingqing_civil):
    number = factories.citizen_id()
    person = services.person_create(
        by=xingqing_civil, name="李建国", id_number=number, area_code=factories.XINGQING_VILLAGE, phone="13995001234"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person WHERE id = %s", [person.pk])
        stored = " ".join(str(v) for v in cursor.fetchone())
        cursor.execute("SELECT * FROM people_historicalperson WHERE id = %s", [person.pk])
        history = " ".join(str(v) for v in cursor.fetchone())
    for text in (stored, history):
        assert number not in text and "13995001234" not in text


def test_bad_id_number_is_refused_with_a_message_naming_the_field_and_nothing_is_saved(xingqing_civil):
    with pytest.raises(ValidationError) as caught:
        services.person_create(
            by=xingqing_civil, name="王秀英", id_number="640104195001010010", area_code=factories.XINGQING_VILLAGE
        )
    assert "校验" in caught.value.message_dict["id_number"][0]
    assert Person.objects.count() == 0


def test_duplicate_id_number_is_refused(xingqing_civil):
    number = factories.citizen_id()
    services.person_create(by=xingqing_civil, name="甲", id_number=number, area_code=factories.XINGQING_VILLAGE)
    with pytest.raises(ValidationError) as caught:
        services.person_create(
            by=xingqing_civil, name="乙", id_number=number.lower(), area_code=factories.XINGQING_VILLAGE
        )
    assert "已登记" in caught.value.message_dict["id_number"][0]
    assert Person.objects.count() == 1


def test_area_outside_the_users_responsibility_is_refused(xingqing_civil):
    with pytest.raises(ValidationError) as caught:
        factories.make_person(by=xingqing_civil, area=factories.JINFENG_VILLAGE)
    assert "area_code" in caught.value.message_dict
    assert Person.objects.count() == 0


def test_categories_for_someone_under_60_are_refused_not_dropped(xingqing_civil):
    with pytest.raises(ValidationError) as caught:
        factories.make_person(by=xingqing_civil, age=35, categories=["living_alone"])
    assert "60" in caught.value.message_dict["categories"][0]


def test_update_is_audited_with_before_and_after(xingqing_civil):
    person = factories.make_person(by=xingqing_civil, name="赵淑珍", address="旧地址1号")
    services.person_update(
        by=xingqing_civil,
        person=person,
        name="赵淑珍",
        area_code=person.area_id,
        address="新地址2号",
        categories=["empty_nest"],
    )
    entries = history_entries(person)
    assert [e.action for e in entries] == ["修改", "新建"]
    assert ("地址", "旧地址1号", "新地址2号") in entries[0].changes
    assert entries[0].user == xingqing_civil
    profile_changes = history_entries(ElderlyProfile.objects.get(person=person))[0].changes
    assert ("空巢", "否", "是") in profile_changes  # a yes/no field reads in words, not True/False


def test_a_new_phone_under_the_same_mask_is_in_the_history(xingqing_civil):
    person = factories.make_person(by=xingqing_civil, phone="13900000001")
    services.person_update(
        by=xingqing_civil,
        person=person,
        name=person.name,
        area_code=person.area_id,
        address=person.address,
        phone="13900000002",
    )
    changes = history_entries(person)[0].changes
    assert changes == [("联系电话", "（不显示）", "（不显示）")]  # the entry was empty: both mask to 139********


def test_update_keeps_identifiers_when_left_empty(xingqing_civil):
    person = factories.make_person(by=xingqing_civil, phone="13895001234")
    services.person_update(by=xingqing_civil, person=person, name="新名字", area_code=person.area_id)
    person.refresh_from_db()
    assert person.phone_masked == "138********"
    assert services.person_reveal(by=xingqing_civil, person=person, field="phone") == "13895001234"


def test_reveal_returns_plain_value_and_is_logged(xingqing_civil):
    number = factories.citizen_id()
    person = services.person_create(
        by=xingqing_civil, name="钱德明", id_number=number, area_code=factories.XINGQING_VILLAGE
    )
    assert services.person_reveal(by=xingqing_civil, person=person, field="id_number") == number
    log = IdentifierReveal.objects.get()
    assert (log.user, log.subject_id, log.field, log.subject_label) == (
        xingqing_civil,
        person.pk,
        "id_number",
        "钱德明",
    )


def test_guardianship_links_infant_and_parent(xingqing_civil):
    infant = factories.make_person(by=xingqing_civil, age=1)
    mother = factories.make_person(by=xingqing_civil, age=30, female=True)
    services.guardianship_create(by=xingqing_civil, infant=infant, guardian=mother, relation="mother", is_primary=True)
    with pytest.raises(ValidationError):
        services.guardianship_create(
            by=xingqing_civil, infant=infant, guardian=mother, relation="mother", is_primary=False
        )
    assert not ElderlyProfile.objects.filter(person=infant).exists()
