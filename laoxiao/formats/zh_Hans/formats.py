"""Django's zh_Hans formats, with thousands grouped by three as statistical tables print them (2,880,000),
and a date field's value written 2026-06-30: the browser's date input takes only that form, so Django's
2026/06/30 showed empty: a saved date (a task's 完成时限) looked lost and could not be kept by saving again."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403
from django.conf.locale.zh_Hans.formats import DATE_INPUT_FORMATS as _CHINESE_DATES

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
DATE_INPUT_FORMATS = ["%Y-%m-%d", *(f for f in _CHINESE_DATES if f != "%Y-%m-%d")]
