"""Every page renders in zh-hans for the roles that use it, and refuses the roles that do not."""

import pytest

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
        "/": "总览",
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
    assert client.get("/").status_code == 200  # the overview shows zeros, never others' data


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
