"""Valid-looking 统一社会信用代码 for demo facilities (GB 32100 outer check, GB 11714 inner check)."""

from __future__ import annotations

import random

from laoxiao.core import areacode
from laoxiao.core.identifiers import ORG_CODE_WEIGHTS, USCC_CHARSET, uscc_check_char

# Registration department + category: 12 事业单位, 52 民办非企业单位, 91 企业.
PREFIX = {"public": "12", "non_profit": "52", "for_profit": "91"}
ORG_BODY_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def org_code(rng: random.Random) -> str:
    body = "".join(rng.choices(ORG_BODY_CHARS, k=8))
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body]
    remainder = 11 - sum(v * w for v, w in zip(values, ORG_CODE_WEIGHTS, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(remainder, str(remainder))


def make_uscc(rng: random.Random, *, legal_form: str, county_code: str) -> str:
    first17 = PREFIX[legal_form] + areacode.county(county_code) + org_code(rng)
    assert all(c in USCC_CHARSET for c in first17)
    return first17 + uscc_check_char(first17)
