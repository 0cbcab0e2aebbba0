"""Keeps identifiers out of the logs: an ID or mobile number in a log line (a search in a URL, a
value in an error) is replaced before any handler writes it."""

from __future__ import annotations

import logging
import re

ID_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def redacted(text: str) -> str:
    return MOBILE.sub("[phone]", ID_NUMBER.sub("[id-number]", text))


class RedactIdentifiers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redacted(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True
