"""Age thresholds of the registry (glossary.md: 老年人 60+, 高龄 80+, 婴幼儿 under 3)."""

import datetime as dt

from laoxiao.core.identifiers import age_on

ELDERLY_AGE = 60
ADVANCED_AGE = 80
INFANT_AGE_LIMIT = 3


def is_elderly(birth_date: dt.date, on: dt.date) -> bool:
    return age_on(birth_date, on) >= ELDERLY_AGE


def is_infant(birth_date: dt.date, on: dt.date) -> bool:
    return age_on(birth_date, on) < INFANT_AGE_LIMIT
