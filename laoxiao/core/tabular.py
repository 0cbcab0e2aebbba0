"""Spreadsheets in: xlsx and CSV reading with row numbers (what goes out is `core/exporting.py`)."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from laoxiao.core.exporting import FORMULA_PREFIXES


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # the Chinese header of the exchange format; the English one is also accepted
    header_en: str
    required: bool = False
    example: str = ""


class FileError(ValueError):
    """The file as a whole cannot be read; the message is for the user."""


Source = bytes | Callable[[], IO[bytes]]  # the file, or a way to open it again (a sealed upload, decrypted)


def _opener(source: Source) -> Callable[[], IO[bytes]]:
    return (lambda: io.BytesIO(source)) if isinstance(source, bytes) else source


def _encoding(open_file: Callable[[], IO[bytes]]) -> str:
    """UTF-8 (with or without BOM) or GB18030, checked a megabyte at a time without a decoded copy."""
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK unless told otherwise
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open_file() as stream:
                while block := stream.read(1 << 20):
                    decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise FileError(_("The CSV file is neither UTF-8 nor GB18030 text."))


def text_encoding(source: Source) -> str:
    """The encoding of a CSV file: UTF-8 (with or without BOM) or GB18030; FileError for anything else."""
    return _encoding(_opener(source))


def _unpacked_within_limit(content: bytes) -> None:
    """An xlsx is a zip: a few megabytes can unpack to gigabytes. Refused before openpyxl opens it."""
    limit = settings.LAOXIAO_XLSX_MAX_UNPACKED_MB
    try:
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(content)).infolist())
    except zipfile.BadZipFile:
        raise FileError(_("The file is not a readable .xlsx workbook.")) from None
    if unpacked > limit * 1024 * 1024:
        raise FileError(_("The workbook unpacks to more than %(n)d MB; split it, or save it as CSV.") % {"n": limit})


def _raw_rows(file_name: str, source: Source) -> Iterator[Sequence[Any]]:
    """Streamed: a CSV is decoded as it is read, an xlsx read row by row (openpyxl read-only; a zip
    needs the whole file at hand, compressed)."""
    open_file = _opener(source)
    if file_name.lower().endswith(".csv"):
        encoding = _encoding(open_file)
        with io.TextIOWrapper(open_file(), encoding=encoding, newline="") as text:
            yield from csv.reader(text)
        return
    if not file_name.lower().endswith(".xlsx"):
        raise FileError(_("Upload an .xlsx or .csv file."))
    with open_file() as stream:
        content = stream.read()
    _unpacked_within_limit(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileError(_("The file is not a readable .xlsx workbook.")) from exc
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    finally:
        workbook.close()


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    text = str(value).strip()
    # An exported file (a rejected-rows report) neutralised formulas with an apostrophe: read the value back.
    return text[1:] if text[:1] == "'" and text[1:2].startswith(FORMULA_PREFIXES) else text


def read_rows(file_name: str, source: Source, columns: Sequence[Column]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as the spreadsheet shows it, {field: text}); blank rows are skipped."""
    rows = _raw_rows(file_name, source)
    header = next(rows, None)
    if header is None:
        raise FileError(_("The file is empty."))
    by_header = {}
    for column in columns:
        by_header[column.header] = column.field
        by_header[column.header_en.lower()] = column.field
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        name = cell_text(title).rstrip("*").strip()
        field = by_header.get(name) or by_header.get(name.lower())
        if field:
            positions[field] = index
    missing = [c.header for c in columns if c.required and c.field not in positions]
    if missing:
        raise FileError(_("The header row lacks the required columns: %(cols)s") % {"cols": "、".join(missing)})
    for number, row in enumerate(rows, start=2):
        values = {field: cell_text(row[i]) if i < len(row) else "" for field, i in positions.items()}
        if any(values.values()):
            yield number, values
