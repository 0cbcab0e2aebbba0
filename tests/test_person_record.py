"""A person's whole record on one page (一人一档): one ability level, and each section from its own domain."""

from laoxiao.assessments import services
from laoxiao.people.models import ElderlyProfile
from tests import factories
from tests.test_assessment_workflow import case, complete  # noqa: F401 - the workflow's fixture and helper


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
    assert 'data-test="record-orders"' in page and 'data-test="record-payments"' in page
