"""The one writer of every spreadsheet the platform hands out (xlsx and CSV): streamed, and safe to open.

* **Formula injection** (OWASP "CSV Injection"): a text cell beginning with = + - @, a tab or a carriage
  return gets a leading apostrophe, in xlsx and CSV alike, so a name like ``=HYPERLINK(...)`` is shown
  as text by Excel and WPS and stays text when a user re-saves the file as CSV. Numbers passed as
  numbers (int, Decimal, float) stay numbers; import reading drops the apostrophe again
  (`core/tabular.py`), so a rejected-rows file can be corrected and uploaded as it is.
* **Streaming**: rows are consumed from an iterator and the file leaves in chunks
  (`StreamingHttpResponse`), so memory stays bounded whatever the row count. The xlsx is written here
  as SpreadsheetML with inline strings rather than through openpyxl, whose per-cell objects cost about
  10 µs a cell: the same people rows through openpyxl's write-only workbook take about 3 times as long as
  the whole export does here (`bench/exports.py`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.http import StreamingHttpResponse

if TYPE_CHECKING:
    from laoxiao.core.tabular import Column

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_ROWS = 500

# Characters XML 1.0 cannot carry at all (openpyxl refused the whole file for one of them).
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NEEDS_ESCAPING = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_HEADER_STYLE, _DATE_STYLE = 1, 2


def neutral(text: str) -> str:
    """Text that no spreadsheet evaluates as a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal | float) and not isinstance(value, bool)


def _text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutral(str(value))


# --- xlsx -------------------------------------------------------------------------------------------

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _static_parts(sheet_title: str) -> dict[str, str]:
    return {
        "[Content_Types].xml": _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>",
        "_rels/.rels": _XML + f'<Relationships xmlns="{_PKG_NS}">'
        f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": _XML + f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><sheets>'
        f'<sheet name="{escape(sheet_title, {chr(34): "&quot;"})}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": _XML + f'<Relationships xmlns="{_PKG_NS}">'
        f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL_NS}/styles" Target="styles.xml"/></Relationships>',
        # Styles: 0 plain, 1 bold (the header row), 2 a date (built-in format 14).
        "xl/styles.xml": _XML + f'<styleSheet xmlns="{_MAIN_NS}">'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
    }


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xml_text(text: str) -> str:
    if _NEEDS_ESCAPING.search(text) is None:  # most cells: one regex scan, no copies
        return text
    return escape(_ILLEGAL_XML.sub("", text), {"\r": "&#13;"})  # a bare CR would be read back as LF


def _cell(ref: str, value: Any, style: int) -> str:
    s = f' s="{style}"' if style else ""
    if type(value) is not str:
        if value is None:
            return ""
        if _is_number(value) and value == value and abs(value) != float("inf"):
            return f'<c r="{ref}"{s}><v>{value}</v></c>'
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return f'<c r="{ref}" s="{style or _DATE_STYLE}"><v>{(value - _EXCEL_EPOCH).days}</v></c>'
        value = _text(value)
    elif value.startswith(FORMULA_PREFIXES):
        value = "'" + value
    if not value:
        return ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_xml_text(value)}</t></is></c>'


class _Sink(io.RawIOBase):
    """A write-only stream zipfile writes into; `take` hands over what has been written so far."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def sheet_title(name: str) -> str:
    """Excel's rules for a sheet name: at most 31 characters, none of []:*?/\\."""
    return _SHEET_TITLE_FORBIDDEN.sub(" ", str(name)).strip()[:31] or "Sheet1"


def xlsx_chunks(
    headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, title: str, widths: Sequence[int] = ()
) -> Iterator[bytes]:
    """The workbook (one sheet, bold header row) as a sequence of byte chunks, reading `rows` lazily."""
    sink = _Sink()
    letters = [_column_letter(i) for i in range(max(len(headers), 1))]
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as book:
        for name, xml in _static_parts(sheet_title(title)).items():
            book.writestr(name, xml)
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1))
            sheet.write(f'{_XML}<worksheet xmlns="{_MAIN_NS}">'.encode())
            if cols:
                sheet.write(f"<cols>{cols}</cols>".encode())
            sheet.write(b"<sheetData>")
            buffer: list[str] = []
            for number, row in enumerate(_with_header(headers, rows), start=1):
                style = _HEADER_STYLE if number == 1 else 0
                while len(letters) < len(row):
                    letters.append(_column_letter(len(letters)))
                cells = "".join(_cell(f"{letters[i]}{number}", v, style) for i, v in enumerate(row))
                buffer.append(f'<row r="{number}">{cells}</row>')
                if len(buffer) >= CHUNK_ROWS:
                    sheet.write("".join(buffer).encode())
                    buffer = []
                    yield sink.take()
            sheet.write(("".join(buffer) + "</sheetData></worksheet>").encode())
    yield sink.take()


def _with_header(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    yield [str(h) for h in headers]
    yield from rows


def template_chunks(columns: Sequence[Column], title: str, example: dict[str, str] | None = None) -> Iterator[bytes]:
    """An import template: headers (required ones marked *) and one example row."""
    return xlsx_chunks(
        [c.header + ("*" if c.required else "") for c in columns],
        [[(example or {}).get(c.field, c.example) for c in columns]],
        title=title,
        widths=[max(12, len(c.header) * 2 + 4) for c in columns],
    )


# --- CSV --------------------------------------------------------------------------------------------


def csv_chunks(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark (so Excel reads the Chinese), every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    for number, row in enumerate(_with_header(headers, rows), start=1):
        writer.writerow(["" if v is None else v if _is_number(v) else _text(v) for v in row])
        if number % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


# --- responses --------------------------------------------------------------------------------------


def download(chunks: Iterable[bytes], file_name: str) -> StreamingHttpResponse:
    """A streamed attachment; the type follows the file name's ending (.xlsx or .csv)."""
    is_csv = file_name.endswith(".csv")
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8" if is_csv else XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(file_name)}"
    return response
