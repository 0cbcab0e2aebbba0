"""National identifier checks: 公民身份号码 (GB 11643-1999) and 统一社会信用代码 (GB 32100-2015).

The algorithms and test vectors are those of ../shared/spec/standards.md §10; tests/core/test_identifiers.py
pins every vector listed there.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

# Six digits in a row, spaces and dashes between them allowed ("139 0000 1234"), may be part of an ID
# number or a phone (a name or an address never needs them): text that must not stand in a URL, where
# access logs keep it.
IDENTIFYING = re.compile(r"[0-9](?:[\s-]*[0-9]){5}")
DIGIT_SEPARATORS = re.compile(r"(?<=[0-9Xx])[\s-]+(?=[0-9Xx])")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
# GB/T 2260 province codes, plus 71/81/82/83 (台湾, 港澳台居民居住证) and 9 (外国人永久居留身份证).
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


class IdentifierError(ValueError):
    """An identifier that fails its standard's check; the message is for the user."""


@dataclass(frozen=True)
class CitizenId:
    number: str  # normalised 18 characters, upper-case X
    birth_date: dt.date
    sex: str  # GB/T 2261.1: "1" male, "2" female


def id_check_char(first17: str) -> str:
    return ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def parse_citizen_id(raw: str, *, today: dt.date | None = None) -> CitizenId:
    """Validate and normalise a citizen ID; 15-digit legacy numbers are converted to 18 digits."""
    value = (raw or "").strip().upper()
    if len(value) == 15 and value.isdigit():
        first17 = value[:6] + "19" + value[6:]
        value = first17 + id_check_char(first17)
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise IdentifierError(_("An ID number has 18 characters: 17 digits and a digit or X."))
    if value[0] != "9" and value[:2] not in PROVINCE_CODES:
        raise IdentifierError(_("The ID number does not start with a valid province code."))
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise IdentifierError(_("The birth date in the ID number is not a real date.")) from None
    if birth.year < 1900 or birth > (today or timezone.localdate()):
        raise IdentifierError(_("The birth date in the ID number is before 1900 or in the future."))
    if id_check_char(value[:17]) != value[17]:
        raise IdentifierError(_("The ID number's check character is wrong; please check every digit."))
    return CitizenId(number=value, birth_date=birth, sex="1" if int(value[16]) % 2 else "2")


def mask_id_number(number: str) -> str:
    """110105***********X: the area code and the check character stay. The last four are hidden too: beside
    the age and sex every list shows, they left only the ~365 birth dates of one year to try; hidden, an
    ID stays one of ~16,600 (`tests/core/test_masking.py` counts them)."""
    return number[:6] + "*" * (len(number) - 7) + number[-1] if len(number) > 10 else "*" * len(number)


def mask_account(number: str) -> str:
    """6222 **** **** 1234: a card or account number keeps its first four and last four digits."""
    return number[:4] + " **** **** " + number[-4:] if len(number) > 8 else "*" * len(number)


def mask_phone(phone: str) -> str:
    """138********: the carrier prefix only, always eleven characters. Digits 4-7 of a mobile number name its
    home region (which the person's area gives away), so only hiding the last four keeps 10,000 candidates."""
    return phone[:3] + "*" * 8 if len(phone) >= 8 else "*" * len(phone)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def org_code_check_ok(code9: str) -> bool:
    """GB 11714 inner check of positions 9-17; warn-only, legacy codes exist."""

    def value(c: str) -> int:
        return int(c) if c.isdigit() else ord(c) - 55

    try:
        remainder = 11 - sum(value(c) * w for c, w in zip(code9[:8], ORG_CODE_WEIGHTS, strict=True)) % 11
    except (ValueError, TypeError):
        return False
    expected = {10: "X", 11: "0"}.get(remainder, str(remainder))
    return code9[8] == expected


def normalise_uscc(raw: str) -> str:
    """Validate a 统一社会信用代码 and return it upper-cased."""
    value = (raw or "").strip().upper()
    if len(value) != 18:
        raise IdentifierError(_("A unified social credit code has 18 characters."))
    if any(c not in USCC_CHARSET for c in value):
        raise IdentifierError(_("The unified social credit code contains a character it cannot hold (I, O, Z, S, V)."))
    if not value[2:8].isdigit():
        raise IdentifierError(_("Characters 3 to 8 of the unified social credit code are an area code."))
    if uscc_check_char(value[:17]) != value[17]:
        raise IdentifierError(_("The unified social credit code's check character is wrong."))
    return value


def age_on(birth: dt.date, on: dt.date) -> int:
    """Completed years; a 29 February birthday counts from 1 March in common years."""
    before_birthday = (on.month, on.day) < (birth.month, birth.day)
    if birth.month == 2 and birth.day == 29 and on.month == 2 and on.day == 28:
        before_birthday = True
    return on.year - birth.year - int(before_birthday)


def birth_date_cutoff(years: int, on: dt.date) -> dt.date:
    """Latest birth date of someone aged at least `years` on `on` (for ORM filters)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 Feb on a date whose target year is common: born by 28 Feb
        return on.replace(year=on.year - years, day=28)
