"""Two people editing one record at once: the second save is refused, told who changed it, and keeps its
input to check and send again (core/versions.py). The probe found the second save silently undoing the first."""

import re

from django.test import Client

from laoxiao.accounts.roles import Role
from laoxiao.people.models import Person
from tests import factories


def _edit_form(client: Client, person: Person) -> dict[str, str]:
    page = client.get(f"/people/{person.pk}/edit/").content.decode()
    version = re.search(r'name="version" value="([^"]+)"', page).group(1)
    return {
        "name": person.name,
        "area_code": person.area_id,
        "address": person.address,
        "status": person.status,
        "version": version,
    }


def test_a_second_save_over_a_newer_record_is_refused_with_who_changed_it(xingqing_civil):
    street = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP, full_name="街道李")
    person = factories.make_person(by=xingqing_civil)
    first, second = Client(), Client()
    first.force_login(street)
    second.force_login(xingqing_civil)
    first_form, second_form = _edit_form(first, person), _edit_form(second, person)

    assert first.post(f"/people/{person.pk}/edit/", first_form | {"address": "街道改的地址"}).status_code == 302
    refused = second.post(f"/people/{person.pk}/edit/", second_form | {"name": "区里改的名字"})
    page = refused.content.decode()
    assert refused.status_code == 400 and "街道李" in page and "您的填写未保存" in page
    assert 'value="区里改的名字"' in page  # their input is kept
    person.refresh_from_db()
    assert (person.address, person.name) == ("街道改的地址", second_form["name"])

    newer = re.search(r'name="version" value="([^"]+)"', page).group(1)
    assert newer != second_form["version"]  # sent again after checking, it is saved
    again = second.post(
        f"/people/{person.pk}/edit/",
        second_form | {"address": "街道改的地址", "name": "区里改的名字", "version": newer},
    )
    assert again.status_code == 302
    person.refresh_from_db()
    assert (person.address, person.name) == ("街道改的地址", "区里改的名字")


def test_a_facility_saved_over_a_newer_version_is_refused_too(xingqing_civil):
    from laoxiao.facilities.forms import FacilityForm

    home = factories.make_facility(by=xingqing_civil)
    colleague = factories.make_user(Role.CIVIL_AFFAIRS, factories.XINGQING, full_name="区民政王")
    first, second = Client(), Client()
    first.force_login(colleague)
    second.force_login(xingqing_civil)
    form = {k: "" if v is None else v for k, v in FacilityForm.initial_for(home).items()}
    form = {k: ("on" if v is True else v) for k, v in form.items() if v is not False}
    assert first.post(f"/facilities/{home.pk}/edit/", form | {"phone": "0951-5000001"}).status_code == 302
    refused = second.post(f"/facilities/{home.pk}/edit/", form | {"address": "第二人改的地址"})
    assert refused.status_code == 200 and "区民政王" in refused.content.decode()
    home.refresh_from_db()
    assert (home.phone, home.address) == ("0951-5000001", form["address"])
