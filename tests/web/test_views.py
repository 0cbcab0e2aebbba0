"""Every page renders in zh-hans for the roles that use it, and refuses the roles that do not."""

import datetime as dt

import pytest
from django.utils import timezone

from laoxiao.accounts.roles import Role
from laoxiao.core.models import IdentifierReveal
from tests import factories


@pytest.fixture
def signed_in(client, xingqing_civil):
    client.force_login(xingqing_civil)
    return client


def test_pages_render_in_chinese(signed_in, xingqing_civil):
    person = factories.make_person(by=xingqing_civil, categories=["left_behind"])
    facility = factories.make_facility(by=xingqing_civil)
    pages = {
        "/": "工作台",
        "/overview/": "总览",
        "/people/": "人员",
        "/people/?kind=elderly&category=left_behind": "留守",
        f"/people/{person.pk}/": "老年人档案",
        f"/people/{person.pk}/edit/": "编辑",
        f"/people/{person.pk}/history/": "变更记录",
        "/people/new/": "登记人员",
        "/people/import/": "导入人员",
        "/facilities/": "机构设施",
        f"/facilities/{facility.pk}/": "从业人员",
        f"/facilities/{facility.pk}/edit/": "编辑",
        f"/facilities/{facility.pk}/history/": "变更记录",
        "/facilities/new/": "登记机构",
        f"/facilities/{facility.pk}/staff/new/": "添加从业人员",
        "/areas/640104000000/": "下级区划",
    }
    for url, text in pages.items():
        response = signed_in.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


def test_area_index_opens_the_users_area(signed_in):
    assert signed_in.get("/areas/")["Location"] == "/areas/640104000000/"
    assert signed_in.get("/areas/640106000000/").status_code == 404


def test_reveal_needs_post_and_the_right(client, xingqing_civil, areas):
    person = factories.make_person(by=xingqing_civil)
    leader = factories.make_user(Role.LEADING_OFFICE, factories.CITY)
    client.force_login(leader)
    assert client.post(f"/people/{person.pk}/reveal/id_number/").status_code == 403
    client.force_login(xingqing_civil)
    assert client.get(f"/people/{person.pk}/reveal/id_number/").status_code == 403
    response = client.post(f"/people/{person.pk}/reveal/phone/")
    assert response.status_code == 200 and "revealed" in response.content.decode()
    assert IdentifierReveal.objects.filter(field="phone").count() == 1


def test_roles_without_a_right_are_refused(client, areas):
    assessor = factories.make_user(Role.ASSESSOR, None)
    client.force_login(assessor)
    assert client.get("/people/").status_code == 403
    assert client.get("/people/new/").status_code == 403
    assert client.get("/").status_code == 200  # their start page: their own work, never others' data


def test_facility_form_reports_counts_that_do_not_add_up(signed_in):
    values = factories.facility_values(beds_total=50, beds_nursing=60, beds_inclusive=0, beds_occupied=0)
    values["is_inclusive"] = "on"
    response = signed_in.post("/facilities/new/", values)
    assert response.status_code == 200
    assert "不能超过“床位数”" in response.content.decode()


def test_staff_member_is_added_with_a_checked_id(signed_in, xingqing_civil):
    facility = factories.make_facility(by=xingqing_civil)
    url = f"/facilities/{facility.pk}/staff/new/"
    bad = signed_in.post(
        url, {"name": "韩梅", "id_number": "640104199001010010", "role": "caregiver", "hired_on": "2024-03-01"}
    )
    assert "校验码" in bad.content.decode()
    good = signed_in.post(
        url,
        {
            "name": "韩梅",
            "id_number": factories.citizen_id(age=34, female=True),
            "role": "caregiver",
            "hired_on": "2024-03-01",
        },
    )
    assert good.status_code == 302
    assert "韩梅" in signed_in.get(f"/facilities/{facility.pk}/").content.decode()


def test_language_switch_to_english(signed_in):
    signed_in.post("/i18n/setlang/", {"language": "en", "next": "/people/"})
    assert "Register a person" in signed_in.get("/people/").content.decode()


def test_guardian_is_found_by_id_number_within_scope(signed_in, xingqing_civil, jinfeng_civil):
    infant = factories.make_person(by=xingqing_civil, age=1)
    mother_number = factories.citizen_id(age=29, female=True)
    factories.make_person(by=xingqing_civil, id_number=mother_number, female=True)
    outsider_number = factories.citizen_id(age=31, county="640106")
    factories.make_person(by=jinfeng_civil, area=factories.JINFENG_VILLAGE, id_number=outsider_number)
    url = f"/people/{infant.pk}/guardians/new/"
    refused = signed_in.post(url, {"guardian_id_number": outsider_number, "relation": "father"})
    assert "您负责的范围内没有" in refused.content.decode()
    done = signed_in.post(url, {"guardian_id_number": mother_number, "relation": "mother", "is_primary": "on"})
    assert done.status_code == 302
    page = signed_in.get(f"/people/{infant.pk}/").content.decode()
    assert "母亲" in page and "主要监护人" in page


def test_guardians_only_for_infants(signed_in, xingqing_civil):
    adult = factories.make_person(by=xingqing_civil, age=40)
    other = factories.citizen_id(age=70)
    factories.make_person(by=xingqing_civil, id_number=other)
    response = signed_in.post(f"/people/{adult.pk}/guardians/new/", {"guardian_id_number": other, "relation": "other"})
    assert "3岁以下" in response.content.decode()


def test_certificates_trainings_and_agreements_are_added(signed_in, xingqing_civil):
    facility = factories.make_facility(by=xingqing_civil)
    staff = factories.make_caregiver(by=xingqing_civil, facility=facility, name="周丽", female=True)
    bad = signed_in.post(
        f"/facilities/staff/{staff.pk}/certificates/new/",
        {"kind": "caregiver", "level": "intermediate", "issued_on": "2024-05-01", "expires_on": "2023-05-01"},
    )
    assert "到期日期早于发证日期" in bad.content.decode()
    ok = signed_in.post(
        f"/facilities/staff/{staff.pk}/certificates/new/",
        {"kind": "caregiver", "level": "intermediate", "issued_on": "2024-05-01", "expires_on": "2028-05-01"},
    )
    assert ok.status_code == 302
    assert (
        signed_in.post(
            f"/facilities/staff/{staff.pk}/trainings/new/",
            {"course": "失能老人照护", "hours": "16", "completed_on": "2025-03-01"},
        ).status_code
        == 302
    )
    assert (
        signed_in.post(
            f"/facilities/{facility.pk}/agreements/new/",
            {"kind": "signed", "partner_name": "兴庆区人民医院", "signed_on": "2025-01-01"},
        ).status_code
        == 302
    )
    page = signed_in.get(f"/facilities/{facility.pk}/").content.decode()
    assert "中级" in page and "失能老人照护" in page and "兴庆区人民医院" in page


def test_population_figures_must_nest(client, areas):
    admin = factories.make_user(Role.ADMIN, factories.CITY)
    client.force_login(admin)
    url = "/areas/640104000000/population/"
    values = {
        "year": 2024,
        "resident_total": 800000,
        "aged_60_plus": 120000,
        "aged_65_plus": 130000,
        "aged_80_plus": 10000,
        "under_3": 20000,
        "births": 7000,
        "source": "区统计局",
    }
    assert "不能超过“60岁及以上”" in client.post(url, values).content.decode()
    values["aged_65_plus"] = 90000
    assert client.post(url, values).status_code == 302
    assert "800,000" in client.get("/areas/640104000000/").content.decode()


def test_civil_affairs_cannot_edit_population(signed_in):
    assert signed_in.get("/areas/640104000000/population/").status_code == 403


def test_history_of_a_record_written_by_the_system_names_the_system(signed_in, xingqing_civil):
    person = factories.make_person(by=xingqing_civil)
    facility = factories.make_facility(by=xingqing_civil)
    for record in (person, facility):  # as imports, the demo generator and scheduled jobs write them: no user
        record.history.update(history_user=None)
    for url in (f"/people/{person.pk}/history/", f"/facilities/{facility.pk}/history/"):
        response = signed_in.get(url)
        assert response.status_code == 200, url
        assert "系统" in response.content.decode(), url


def test_error_pages_speak_chinese(client, xingqing_civil, areas):
    client.force_login(xingqing_civil)
    missing = client.get("/people/999999/")
    assert missing.status_code == 404 and "页面不存在" in missing.content.decode()
    client.force_login(factories.make_user(Role.ASSESSOR, None))
    refused = client.get("/people/")
    assert refused.status_code == 403 and "无权访问" in refused.content.decode()


def test_expired_and_expiring_certificates_are_marked_and_sort_first(signed_in, xingqing_civil, settings):
    settings.LAOXIAO_CERTIFICATE_WARNING_DAYS = 30
    today = timezone.localdate()
    facility = factories.make_facility(by=xingqing_civil)
    expiries = {"甲有效": today + dt.timedelta(days=400), "乙将到期": today + dt.timedelta(days=20)}
    expiries["丙过期"] = today - dt.timedelta(days=1)
    for name, expires in expiries.items():
        member = factories.make_caregiver(by=xingqing_civil, facility=facility, name=name)
        factories.add_certificate(by=xingqing_civil, staff=member, expires_on=expires)
    page = signed_in.get(f"/facilities/{facility.pk}/", {"sort": "expiry"}).content.decode()
    assert page.index("丙过期") < page.index("乙将到期") < page.index("甲有效")
    assert 'data-state="expired">养老护理员 初级 · 已过期' in page
    assert 'data-state="expiring">养老护理员 初级 · 即将到期' in page
    assert 'data-state="valid">养老护理员 初级 · 有效期至' in page
    expired_only = signed_in.get(f"/facilities/{facility.pk}/", {"certificates": "expired"}).content.decode()
    assert "丙过期" in expired_only and "甲有效" not in expired_only


def test_a_care_homes_staff_are_paged_and_found_by_name_or_id_digits(signed_in, xingqing_civil, settings):
    from laoxiao.facilities.services import staff_member_create

    facility = factories.make_facility(by=xingqing_civil)
    numbers = [factories.citizen_id(age=30 + n % 20) for n in range(settings.LAOXIAO_PAGE_SIZE + 5)]
    for n, number in enumerate(numbers):
        staff_member_create(
            by=xingqing_civil,
            facility=facility,
            name=f"护理员{n:02d}",
            role="caregiver",
            id_number=number,
            hired_on=dt.date(2020, 1, 1),
        )
    page = signed_in.get(f"/facilities/{facility.pk}/").content.decode()
    assert page.count('<td class="mono">') == settings.LAOXIAO_PAGE_SIZE and f"共 {len(numbers)} 条记录" in page
    found = signed_in.get(f"/facilities/{facility.pk}/", {"q": numbers[7][-4:]}).content.decode()
    assert "护理员07" in found
    assert "护理员03" in signed_in.get(f"/facilities/{facility.pk}/", {"q": "护理员03"}).content.decode()


def test_an_operator_edits_its_home_but_not_the_filing_status(client, xingqing_civil):
    from django.core.exceptions import ValidationError

    from laoxiao.facilities.forms import FacilityForm
    from laoxiao.facilities.services import facility_update

    home = factories.make_facility(by=xingqing_civil, filing_status="not_filed")
    operator = factories.make_user(Role.INSTITUTION_OPERATOR, None)
    operator.organisations.set([home])
    values = {**FacilityForm.initial_for(home), "filing_status": "filed"}
    with pytest.raises(ValidationError) as refused:
        facility_update(by=operator, facility=home, values=values)
    assert "由民政部门认定" in refused.value.message_dict["filing_status"][0]
    changed = {
        **FacilityForm.initial_for(home),
        "ownership": "public",
        "is_inclusive": not home.is_inclusive,
        "status": "closed",
    }
    with pytest.raises(ValidationError) as refused:
        facility_update(by=operator, facility=home, values=changed)
    assert set(refused.value.message_dict) >= {"ownership", "is_inclusive", "status"}
    assert refused.value.message_dict["ownership"] == ["由民政部门认定，机构运营者不能修改。"]
    client.force_login(operator)
    form_page = client.get(f"/facilities/{home.pk}/edit/").content.decode()
    assert 'name="filing_status"' not in form_page and 'name="uscc"' not in form_page and 'name="phone"' in form_page
    assert not any(f'name="{name}"' in form_page for name in ("kind", "ownership", "profit_status", "is_inclusive"))
    assert "由民政部门认定，此处不能修改" in form_page
    posted = {k: v for k, v in FacilityForm.initial_for(home).items() if k not in ("filing_status", "uscc")}
    posted |= {"phone": "0951-6012345", "filing_status": "filed"}  # a hand-made post is ignored for the field
    response = client.post(f"/facilities/{home.pk}/edit/", posted)
    assert response.status_code == 302, response.content.decode()[-3000:]
    home.refresh_from_db()
    assert (home.phone, home.filing_status) == ("0951-6012345", "not_filed")
    client.force_login(xingqing_civil)  # the bureau records the filing
    assert 'name="filing_status"' in client.get(f"/facilities/{home.pk}/edit/").content.decode()
    facility_update(by=xingqing_civil, facility=home, values=values)
    assert "已备案" in client.get(f"/facilities/{home.pk}/").content.decode()


def test_an_operator_is_not_offered_registering_a_facility_and_is_told_why(client, xingqing_civil):
    home = factories.make_facility(by=xingqing_civil)
    operator = factories.make_user(Role.INSTITUTION_OPERATOR, None)
    operator.organisations.set([home])
    client.force_login(operator)
    assert "/facilities/new/" not in client.get("/facilities/").content.decode()
    refused = client.get("/facilities/new/")
    assert refused.status_code == 403 and "新机构由所在地民政部门登记" in refused.content.decode()
    from laoxiao.facilities.models import Facility

    before = Facility.objects.count()
    assert client.post("/facilities/new/", factories.facility_values(name="自建养老院")).status_code == 403
    assert Facility.objects.count() == before
    client.force_login(xingqing_civil)
    assert "/facilities/new/" in client.get("/facilities/").content.decode()


def test_the_facility_list_names_its_column_and_the_page_shows_a_place(signed_in, xingqing_civil):
    home = factories.make_facility(by=xingqing_civil, latitude="38.4872", longitude="106.2309")
    assert "<th>机构名称</th>" in signed_in.get("/facilities/").content.decode()
    assert "北纬 38.4872°，东经 106.2309°" in signed_in.get(f"/facilities/{home.pk}/").content.decode()


def test_half_a_coordinate_is_refused_on_the_field_left_empty(client, xingqing_civil):
    from laoxiao.facilities.forms import FacilityForm
    from laoxiao.facilities.validation import clean_facility

    home = factories.make_facility(by=xingqing_civil, latitude="38.4872", longitude="106.2309")
    operator = factories.make_user(Role.INSTITUTION_OPERATOR, None)
    operator.organisations.set([home])
    client.force_login(operator)
    posted = {k: v for k, v in FacilityForm.initial_for(home).items() if v is not None}
    response = client.post(f"/facilities/{home.pk}/edit/", posted | {"latitude": "38.4", "longitude": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["longitude"] == ["请同时填写纬度和经度，或都不填。"]
    home.refresh_from_db()
    assert (str(home.latitude), str(home.longitude)) == ("38.487200", "106.230900")
    # the one definition the API and the import use too; neither coordinate is no place, and that is fine
    assert set(clean_facility(factories.facility_values(latitude="", longitude="106.2"))[1]) == {"latitude"}
    assert clean_facility(factories.facility_values(latitude="", longitude=""))[1] == {}


def test_a_hiring_or_issue_date_in_the_future_is_refused_naming_the_field(xingqing_civil):
    from django.core.exceptions import ValidationError

    from laoxiao.facilities.services import staff_member_create

    facility = factories.make_facility(by=xingqing_civil)
    future = timezone.localdate() + dt.timedelta(days=30)
    values = {"name": "未来人", "role": "caregiver", "id_number": factories.citizen_id(age=40)}
    with pytest.raises(ValidationError) as refused:
        staff_member_create(by=xingqing_civil, facility=facility, hired_on=future, **values)
    assert refused.value.message_dict["hired_on"] == ["日期不能晚于今天。"]
    assert not facility.staff.exists()
    member = staff_member_create(by=xingqing_civil, facility=facility, hired_on=dt.date(2020, 1, 1), **values)
    with pytest.raises(ValidationError) as refused:
        factories.add_certificate(by=xingqing_civil, staff=member, issued_on=future)
    assert "issued_on" in refused.value.message_dict and not member.certificates.exists()


def test_the_edit_form_says_an_empty_phone_box_keeps_the_number(client, xingqing_civil):
    person = factories.make_person(by=xingqing_civil, phone="13900000001")
    client.force_login(xingqing_civil)
    assert "留空则保留已登记的联系电话。" in client.get(f"/people/{person.pk}/edit/").content.decode()
