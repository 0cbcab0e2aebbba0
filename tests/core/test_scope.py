import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404

from laoxiao.accounts.roles import Role
from laoxiao.core.models import Area
from laoxiao.core.scope import scoped
from laoxiao.facilities.selectors import FacilityFilter, facility_get, facility_list
from laoxiao.people.models import Person
from laoxiao.people.selectors import PersonFilter, person_get, person_list
from tests import factories


@pytest.fixture
def two_districts(city_civil):
    xingqing = factories.make_person(by=city_civil, area=factories.XINGQING_VILLAGE)
    jinfeng = factories.make_person(by=city_civil, area=factories.JINFENG_VILLAGE)
    return xingqing, jinfeng


def test_district_staff_see_only_their_district(two_districts, xingqing_civil, city_civil):
    xingqing, jinfeng = two_districts
    assert list(person_list(user=xingqing_civil, filters=PersonFilter())) == [xingqing]
    assert set(person_list(user=city_civil, filters=PersonFilter())) == {xingqing, jinfeng}


def test_out_of_scope_record_is_a_404(two_districts, xingqing_civil):
    _, jinfeng = two_districts
    with pytest.raises(Http404):
        person_get(user=xingqing_civil, pk=jinfeng.pk)


def test_street_worker_sees_only_their_street(two_districts, areas):
    worker = factories.make_user(Role.COMMUNITY_WORKER, factories.XINGQING_TOWNSHIP)
    # a community of another street (the test areas hold one in another district): once `None`, so never checked
    other_street = Area.objects.filter(level="village").exclude(code__startswith="640104001").first()
    assert other_street is not None
    assert not scoped(worker, Area.objects.filter(code=other_street.code)).exists()
    assert [p.area_id[:9] for p in person_list(user=worker, filters=PersonFilter())] == ["640104001"]


def test_operator_sees_its_institution_and_its_residents_only(city_civil):
    home = factories.make_facility(by=city_civil)
    other = factories.make_facility(by=city_civil, area=factories.JINFENG_VILLAGE)
    resident = factories.make_person(by=city_civil)
    Person.objects.filter(pk=resident.pk).update(facility=home)
    factories.make_person(by=city_civil)
    operator = factories.make_user(Role.INSTITUTION_OPERATOR, None)
    operator.organisations.set([home])
    assert list(facility_list(user=operator, filters=FacilityFilter())) == [home]
    assert [p.pk for p in person_list(user=operator, filters=PersonFilter())] == [resident.pk]
    with pytest.raises(Http404):
        facility_get(user=operator, pk=other.pk)


def test_resident_sees_only_themselves(two_districts, areas):
    xingqing, _ = two_districts
    resident = factories.make_user(Role.RESIDENT, None, person_id=xingqing.pk)
    assert list(person_list(user=resident, filters=PersonFilter())) == [xingqing]


def test_roles_without_scope_see_nothing(two_districts, areas):
    assessor = factories.make_user(Role.ASSESSOR, None)
    assert not person_list(user=assessor, filters=PersonFilter()).exists()
    area_role_without_area = factories.make_user(Role.PROVIDER, None)
    assert not person_list(user=area_role_without_area, filters=PersonFilter()).exists()


def test_inactive_user_sees_nothing(two_districts, xingqing_civil):
    xingqing_civil.is_active = False
    assert not person_list(user=xingqing_civil, filters=PersonFilter()).exists()


def test_a_model_without_scope_paths_cannot_be_read(xingqing_civil):
    from laoxiao.accounts.models import ApiToken

    with pytest.raises(ImproperlyConfigured):
        scoped(xingqing_civil, ApiToken.objects.all())
