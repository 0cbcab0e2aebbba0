"""The demo generator: the same seed makes the same city, a build as of now records nothing later than
now; and the commands that load areas and make users. The built city's own tests are in tests/city/."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from laoxiao.core.models import Area
from laoxiao.demo.generator import Generator
from laoxiao.homecare.models import Visit
from laoxiao.people.models import Person
from tests.rollback import rolled_back

TODAY = dt.date(2026, 11, 23)


def generate(scale=0.002, seed=1):
    return Generator(city="yinchuan", scale=scale, seed=seed, today=TODAY, log=lambda _: None).run()


def test_same_seed_same_city(db):
    def snapshot():
        return sorted(Person.objects.values_list("name", "birth_date", "area_id", "sex"))

    with rolled_back():
        generate(scale=0.001)
        first = snapshot()
    generate(scale=0.001)
    assert snapshot() == first and len(first) > 300


def test_load_areas_command_loads_a_district_from_the_national_table(db):
    out = io.StringIO()
    call_command("load-areas", "500114", stdout=out)
    assert Area.objects.get(code="500114000000").name == "黔江区"
    assert Area.objects.filter(code__startswith="500114", level="township").exists()
    assert Area.objects.get(code="500000000000").level == "province"


def test_create_user_command_sets_role_and_area(areas, monkeypatch):
    import io

    from laoxiao.accounts.models import User

    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password-1\n"))
    call_command(
        "create-user", "xq-civil", role="civil_affairs", area="640104000000", password_stdin=True, stdout=io.StringIO()
    )
    user = User.objects.get(username="xq-civil")
    assert (user.role, user.area_id, user.check_password("a-long-password-1")) == (
        "civil_affairs",
        "640104000000",
        True,
    )


def test_nothing_the_demo_records_as_done_today_is_later_than_now(db):
    """A demo built in the small hours (Shanghai) recorded today's morning visits in the future, and
    the visit service refused them."""
    from laoxiao.demo.homecare import _happened

    assert _happened(timezone.localdate(), 23, 59) <= timezone.now()
    Generator(city="yinchuan", scale=0.002, seed=1, today=None, log=lambda _: None).run()
    assert Visit.objects.exists() and not Visit.objects.filter(visited_at__gt=timezone.now()).exists()


def test_a_scale_past_the_load_test_range_is_refused_before_anything_is_written(db):
    for scale in (0, -1, 10.5):
        with pytest.raises(CommandError, match="scale is above 0 and at most 10: 1 is the city's real population"):
            call_command("demo-data", scale=scale, seed=1, stdout=io.StringIO())
    assert not Area.objects.exists() and not Person.objects.exists()
