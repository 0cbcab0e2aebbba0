"""Django's zh_Hans formats, with thousands grouped by three as statistical tables print them (2,880,000)."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
