"""The two-step import every registry shares: validate and keep the file, then import all or valid rows.

A domain supplies an Importer: its columns, a row validator and a bulk writer. A file with any invalid
row changes nothing unless the user explicitly asks to import the valid rows only. The kept file is
sealed (SM4) and deleted once nothing needs it: at an import with no rejected rows, or by
`imports_purge` after LAOXIAO_IMPORT_KEEP_DAYS (the rejected-rows report reads it until then).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from laoxiao.accounts.models import User
from laoxiao.core.cleaning import CONTROL, control_message
from laoxiao.core.crypto import CHUNK, UnsealedReader, seal_raw, unsealed_chunks, unsealed_stream
from laoxiao.core.models import Area, ImportBatch, ImportChunk
from laoxiao.core.rowindex import RowIndex
from laoxiao.core.scope import scoped
from laoxiao.core.tabular import Column, FileError, Source, read_rows
from laoxiao.core.transitions import Workflow
from laoxiao.core.writes import service, writing

MAX_REPORTED_ERRORS = 5000
IMPORT_FLOW = Workflow(
    {ImportBatch.Status.VALIDATED: {ImportBatch.Status.IMPORTED, ImportBatch.Status.PARTIAL}}, message_field="file"
)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the column's header as in the file
    message: str
    notice: bool = False  # worth a look, but the row is valid (e.g. a level that differs from the file's)


@dataclass
class Validated:
    errors: list[RowError]  # the first MAX_REPORTED_ERRORS
    rows_total: int
    rows_invalid: int
    rows_written: int = 0


class _Refused(Exception):
    """Raised inside the import's transaction to undo what it wrote: the file had invalid rows."""

    def __init__(self, result: Validated) -> None:
        self.result = result


IMPORTERS: dict[str, Importer] = {}  # by kind: the shared pages (template, error report) find them here


@dataclass(frozen=True)
class Importer:
    kind: str
    permission: str
    columns: Sequence[Column]
    # (user, one chunk [(row number, {field: text})], {key that is unique in the file: its first row})
    #   -> (valid rows, {row number: {field: message}}); the index carries over from chunk to chunk.
    validate: Callable[
        [User, list[tuple[int, dict[str, str]]], RowIndex],
        tuple[list[tuple[int, Any]], dict[int, dict[str, str]]],
    ]
    write: Callable[[User, list[Any]], int]
    # Notices about valid rows: (row number, column header, message).
    notices: Callable[[list[tuple[int, Any]]], list[tuple[int, str, str]]] | None = None
    # Example values that depend on the registry (user, an area of theirs) → {field: text}, so that the
    # template's example row is valid for the user who downloads it.
    examples: Callable[[User, Area], dict[str, str]] | None = None

    def __post_init__(self) -> None:
        IMPORTERS[self.kind] = self


Rows = list[tuple[int, dict[str, str]]]
FieldErrors = dict[int, dict[str, str]]
LOOKUP_CHUNK = 500  # bound parameters per lookup query, well inside SQLite's limit


def chunks(items: Sequence[Any], size: int = LOOKUP_CHUNK) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def clean_rows(
    rows: Rows, cleaner: Callable[[dict[str, str]], tuple[dict[str, Any], dict[str, str]]]
) -> tuple[list[tuple[int, dict[str, Any]]], FieldErrors]:
    """Each row through the domain's cleaner: the cleaned values and the messages of the bad rows."""
    cleaned, bad = [], {}
    for number, raw in rows:
        data, errors = cleaner(raw)
        if errors:
            bad[number] = errors
        cleaned.append((number, data))
    return cleaned, bad


def areas_in_scope(user: User, codes: Iterable[str]) -> set[str]:
    """Which of `codes` are areas the user is responsible for, in a few queries for any file size."""
    allowed: set[str] = set()
    for part in chunks(sorted(set(codes))):
        allowed.update(scoped(user, Area.objects.filter(code__in=part)).values_list("code", flat=True))
    return allowed


def example_row(importer: Importer, user: User) -> dict[str, str]:
    """The template's example row for `user`: a real area code of their scope (the first community or
    village), and whatever else the importer builds from the registry."""
    area = scoped(user, Area.objects.filter(level=Area.Level.VILLAGE)).order_by("code").first()
    values = {c.field: c.example for c in importer.columns}
    if area is None:
        return values
    values.update({c.field: area.code for c in importer.columns if c.field == "area_code"})
    if importer.examples is not None:
        values.update(importer.examples(user, area))
    return values


def rejected_rows(importer: Importer, batch: ImportBatch) -> tuple[list[str], list[list[str]]]:
    """The kept file's invalid rows as they were uploaded, each with the problems naming their column:
    what the error report holds, so the user can correct and upload just these rows."""
    problems: dict[int, list[str]] = {}
    for error in batch.errors:
        if not error.get("notice"):
            problems.setdefault(error["row"], []).append(f"{error['column']}：{error['message']}")
    headers = [_("Row"), *(c.header for c in importer.columns), _("Problem")]
    rows = [
        [str(number), *(values.get(c.field, "") for c in importer.columns), "；".join(problems[number])]
        for number, values in read_rows(batch.file_name, _kept_file(batch), importer.columns)
        if number in problems
    ]
    return headers, rows


def _kept_file(batch: ImportBatch) -> Callable[[], IO[bytes]]:
    """The kept file, opened (read a row and decrypted a megabyte at a time) each time a reader asks."""
    if not batch.content_key:
        raise ValidationError({"file": _("The uploaded file has been deleted; upload it again.")})
    return lambda: io.BufferedReader(UnsealedReader(unsealed_stream(batch.content_key, kept_pieces(batch))))


def kept_pieces(batch: ImportBatch) -> Iterator[bytes | memoryview]:
    """The kept file's sealed rows in order, fetched one at a time."""
    rows = ImportChunk.objects.filter(batch=batch).order_by("n").values_list("data", flat=True)
    return rows.iterator(chunk_size=1)


@service
def import_file_keep(batch: ImportBatch, sealed: bytearray) -> None:
    """Store a sealed file a megabyte a row: the database never takes the whole file in one value,
    which would copy it in memory once more."""
    view = memoryview(sealed)
    for n, start in enumerate(range(0, len(view), CHUNK)):
        ImportChunk.objects.create(batch=batch, n=n, data=view[start : start + CHUNK])


def _validate(importer: Importer, user: User, file_name: str, content: Source, write: bool = False) -> Validated:
    """One pass over the file, a chunk at a time, so memory stays bounded whatever its size: each
    chunk is validated and, when `write`, its valid rows written before the next is read."""
    headers = {c.field: c.header for c in importer.columns}
    result = Validated(errors=[], rows_total=0, rows_invalid=0)
    first_row_of = RowIndex()
    try:
        for rows in _chunks_of(read_rows(file_name, content, importer.columns), settings.LAOXIAO_IMPORT_CHUNK):
            # Control characters are refused here for every importer, before any domain validator sees them.
            unprintable = {
                number: {field: control_message() for field, value in values.items() if CONTROL.search(value)}
                for number, values in rows
            }
            unprintable = {number: fields for number, fields in unprintable.items() if fields}
            clean = [(n, values) for n, values in rows if n not in unprintable]
            valid, bad = importer.validate(user, clean, first_row_of)
            bad = {**bad, **unprintable}
            result.rows_total += len(rows)
            result.rows_invalid += len(bad)
            errors = [
                RowError(row=number, column=headers.get(field, field), message=message)
                for number, fields in bad.items()
                for field, message in fields.items()
            ]
            if importer.notices is not None:
                errors += [RowError(row=r, column=c, message=m, notice=True) for r, c, m in importer.notices(valid)]
            room = MAX_REPORTED_ERRORS - len(result.errors)
            result.errors += sorted(errors, key=lambda e: e.row)[: max(room, 0)]
            if write and valid:
                result.rows_written += importer.write(user, [item for _, item in valid])
    except FileError as exc:
        raise ValidationError({"file": str(exc)}) from None
    if not result.rows_total:
        raise ValidationError({"file": _("The file holds no data rows.")})
    return result


def _chunks_of(rows: Iterator[tuple[int, dict[str, str]]], size: int) -> Iterator[list[tuple[int, dict[str, str]]]]:
    chunk: list[tuple[int, dict[str, str]]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@service
def import_batch_create(
    *, by: User, importer: Importer, file_name: str, content: bytes | tuple[str, bytearray]
) -> ImportBatch:
    """Validate an uploaded file and keep it; nothing is imported yet. `content` is the file, or the
    file already sealed as it was received (key id, sealed buffer): then it is read decrypting."""
    if not by.has_role_permission(importer.permission):
        raise PermissionDenied
    key_id, sealed = seal_raw(content) if isinstance(content, bytes) else content

    def opened() -> IO[bytes]:
        return io.BufferedReader(UnsealedReader(unsealed_chunks(key_id, sealed)))

    result = _validate(importer, by, file_name, opened)
    batch = ImportBatch.objects.create(
        kind=importer.kind,
        file_name=file_name[:255],
        content_key=key_id,
        created_by=by,
        rows_total=result.rows_total,
        rows_invalid=result.rows_invalid,
        errors=[e.__dict__ for e in result.errors],
    )
    import_file_keep(batch, sealed)
    return batch


def import_batch_commit(*, by: User, importer: Importer, batch: ImportBatch, valid_only: bool) -> ImportBatch:
    """Import the kept file. Validation runs again: the registry may have changed since the upload. Not a
    @service: a refused file's report of its rows is kept, in a transaction of its own, after the refusal."""
    if batch.created_by_id != by.pk or batch.kind != importer.kind:
        raise PermissionDenied
    if batch.status != ImportBatch.Status.VALIDATED:
        raise ValidationError({"file": _("This file has already been imported.")})
    try:
        with writing(by=by):
            return _commit(by, importer, batch, valid_only)
    except _Refused as refused:
        with writing(by=by):
            _report(batch, refused.result)
        raise ValidationError({"file": _("The file has invalid rows; nothing was imported.")}) from None
    except IntegrityError:
        # Another upload registered some of these rows meanwhile: nothing was written; say which rows.
        with writing(by=by):
            _report(batch, _validate(importer, by, batch.file_name, _kept_file(batch)))
        raise ValidationError(
            {"file": _("Some rows were registered by someone else meanwhile; nothing was imported. See the report.")}
        ) from None


def _report(batch: ImportBatch, result: Validated) -> None:
    batch.errors = [e.__dict__ for e in result.errors]
    batch.rows_invalid = result.rows_invalid
    batch.save(update_fields=["errors", "rows_invalid"])


def _commit(by: User, importer: Importer, batch: ImportBatch, valid_only: bool) -> ImportBatch:
    """Validation runs again as the rows are written (the registry may have changed since the upload);
    invalid rows found without `valid_only` undo the whole write."""
    # Locked and checked again: of two clicks or two tabs committing one file, one imports it.
    locked = IMPORT_FLOW.lock(batch)
    if locked.status != ImportBatch.Status.VALIDATED:
        raise ValidationError({"file": _("This file has already been imported.")})
    result = _validate(importer, by, locked.file_name, _kept_file(locked), write=True)
    if result.rows_invalid and not valid_only:
        raise _Refused(result)
    locked.rows_imported, locked.rows_invalid = result.rows_written, result.rows_invalid
    locked.errors = [e.__dict__ for e in result.errors]
    done = ImportBatch.Status.PARTIAL if locked.rows_invalid else ImportBatch.Status.IMPORTED
    IMPORT_FLOW.move(locked, done, by=by, note=_("%(n)d rows imported.") % {"n": locked.rows_imported})
    locked.committed_by, locked.committed_at = by, timezone.now()
    if not locked.rows_invalid:
        locked.content_key = ""  # nothing left to report on
        locked.chunks.all().delete()
    locked.save()
    return locked


@service
def imports_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the kept files uploaded more than LAOXIAO_IMPORT_KEEP_DAYS ago; returns how many."""
    before = (now or timezone.now()) - dt.timedelta(days=settings.LAOXIAO_IMPORT_KEEP_DAYS)
    kept = ImportBatch.objects.filter(created_at__lt=before).exclude(content_key="")
    ImportChunk.objects.filter(batch__in=kept).delete()
    return kept.update(content_key="")
