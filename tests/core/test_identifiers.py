"""Pins the identifier algorithms to the vectors of ../shared/spec/standards.md §10."""

import datetime as dt

import pytest

from laoxiao.core.identifiers import (
    IdentifierError,
    age_on,
    birth_date_cutoff,
    mask_id_number,
    mask_phone,
    normalise_uscc,
    org_code_check_ok,
    parse_citizen_id,
)


@pytest.mark.parametrize(
    ("number", "birth", "sex"),
    [
        ("11010519491231002X", dt.date(1949, 12, 31), "2"),
        ("110101199003074477", dt.date(1990, 3, 7), "1"),
        ("440524188001010014", dt.date(1880, 1, 1), "1"),
    ],
)
def test_valid_citizen_ids_give_birth_date_and_sex(number, birth, sex):
    if birth.year < 1900:
        with pytest.raises(IdentifierError):  # valid check character, but the spec rejects births before 1900
            parse_citizen_id(number)
        return
    citizen = parse_citizen_id(number)
    assert (citizen.number, citizen.birth_date, citizen.sex) == (number, birth, sex)


def test_wrong_check_character_is_refused_with_a_chinese_message():
    with pytest.raises(IdentifierError, match="校验"):
        parse_citizen_id("110101199003074478")


def test_lowercase_x_is_normalised():
    assert parse_citizen_id("11010519491231002x").number == "11010519491231002X"


def test_fifteen_digit_legacy_number_is_converted():
    assert parse_citizen_id("110105491231002").number == "11010519491231002X"


@pytest.mark.parametrize("number", ["11010519491331002X", "99010519491231002X"[:17], "000105194912310026", "abc"])
def test_malformed_ids_are_refused(number):
    with pytest.raises(IdentifierError):
        parse_citizen_id(number)


def test_future_birth_date_is_refused():
    with pytest.raises(IdentifierError):
        parse_citizen_id("110105209912310021", today=dt.date(2026, 1, 1))


def test_masks_keep_area_code_and_last_four():
    assert mask_id_number("11010519491231002X") == "110105***********X"
    assert mask_phone("13895001234") == "138********"


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", "12100000400000624D"])
def test_valid_uscc(code):
    assert normalise_uscc(code.lower()) == code


def test_invalid_uscc_check_character():
    with pytest.raises(IdentifierError, match="校验"):
        normalise_uscc("911100001000000000")


def test_uscc_refuses_letters_outside_its_charset():
    with pytest.raises(IdentifierError):
        normalise_uscc("91350100M000100YO3")


def test_inner_organisation_code_check():
    assert org_code_check_ok("M000100Y4")
    assert not org_code_check_ok("M000100Y5")


def test_age_in_completed_years_with_29_february():
    born = dt.date(1956, 2, 29)
    assert age_on(born, dt.date(2016, 2, 28)) == 59
    assert age_on(born, dt.date(2016, 2, 29)) == 60
    assert age_on(born, dt.date(2017, 2, 28)) == 60
    assert age_on(born, dt.date(2015, 2, 28)) == 58
    assert age_on(born, dt.date(2015, 3, 1)) == 59


def test_birth_date_cutoff_matches_age():
    on = dt.date(2026, 11, 23)
    cutoff = birth_date_cutoff(60, on)
    assert age_on(cutoff, on) == 60
    assert age_on(cutoff + dt.timedelta(days=1), on) == 59


def test_a_baby_born_today_where_the_platform_runs_is_not_in_the_future(monkeypatch):
    """ "Today" is the date in the platform's time zone, not the server process's: here the process runs
    at UTC−12 and the platform at UTC+14, so the two dates always differ."""
    import time

    from django.utils import timezone

    from laoxiao.core.identifiers import id_check_char

    monkeypatch.setenv("TZ", "Etc/GMT+12")
    time.tzset()
    try:
        with timezone.override("Pacific/Kiritimati"):
            today = timezone.localdate()
            assert today > dt.date.today()  # noqa: TID251 -- the machine clock is what is tested
            first17 = f"640104{today:%Y%m%d}001"
            assert parse_citizen_id(first17 + id_check_char(first17)).birth_date == today
    finally:
        monkeypatch.undo()
        time.tzset()
