"""Fast bulk writes for imports and the demo generator, with their audit rows.

Django's bulk_create compiles every row through the ORM and, on SQLite, splits batches at 999 bound
parameters; at registry scale (hundreds of thousands of people) that costs minutes. Here rows are
plain dicts written with one executemany per table, and each table's simple-history row is written
beside it ("+", who, when), so a bulk write is audited exactly like a single save.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models import QuerySet
from django.utils import timezone

NOW = object()  # placeholder for fields filled with the write's timestamp
Row = dict[str, Any]


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.concrete_fields)


def _default(field: models.Field[Any, Any]) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return NOW
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if field.empty_strings_allowed and field.blank:
        return ""
    raise ValueError(f"{field.model.__name__}.{field.name} needs a value")


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for `count` new rows, safe against concurrent writers on both databases."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the surrounding transaction holds the write lock (transaction_mode IMMEDIATE).
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
        start = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        seq = cursor.fetchone()
        start = max(start, seq[0] if seq else 0) + 1
    return list(range(start, start + count))


def _complete(model: type[models.Model], rows: Sequence[dict[str, Any]], moments: Sequence[dt.datetime]) -> None:
    """Give every row a value for every column, as save() would: defaults, and its moment for timestamps."""
    for field in _columns(model):
        if field.primary_key or all(field.attname in row for row in rows):
            continue
        default = _default(field)
        for row, moment in zip(rows, moments, strict=True):
            row.setdefault(field.attname, moment if default is NOW else default)


def _converter() -> Callable[[models.Field[Any, Any], Any], Any]:
    """How a value is bound for this backend. An aware timestamp goes to PostgreSQL as it is, and to SQLite
    as Django's adapter makes it (naive UTC text), without its per-value checks and connection lookups:
    they were most of the time of writing the demo's year of visits."""
    zone = connection.timezone if connection.vendor == "sqlite" else None

    def convert(field: models.Field[Any, Any], value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            # psycopg binds an aware timestamp as it is; SQLite takes naive UTC text
            return value if zone is None else str(value.astimezone(zone).replace(tzinfo=None))
        return field.get_db_prep_save(value, connection)

    return convert


def _lines(fields: Sequence[models.Field[Any, Any]], rows: Sequence[Row]) -> list[list[Any]]:
    """Each row's values in the order of `fields`; timestamps and JSON through the backend's conversion."""
    convert = _converter()
    stamped = [i for i, f in enumerate(fields) if isinstance(f, models.DateTimeField | models.JSONField)]
    names = [f.attname for f in fields]
    values = []
    for row in rows:
        line = [row[n] for n in names]
        for i in stamped:
            line[i] = convert(fields[i], line[i])
        values.append(line)
    return values


def _write(model: type[models.Model], fields: Sequence[models.Field[Any, Any]], values: list[list[Any]]) -> None:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column or f.attname) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is several times faster than row-by-row INSERTs on PostgreSQL. It runs on psycopg's
            # own cursor, so its errors are translated here into Django's (IntegrityError and kin).
            with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for line in values:
                    copy.write_row(line)
        else:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})", values)


def _present(model: type[models.Model], rows: Sequence[Row]) -> list[models.Field[Any, Any]]:
    return [f for f in _columns(model) if f.attname in rows[0]]


def _prepared(
    model: type[models.Model], rows: Sequence[Row], at: Callable[[Row], dt.datetime] | None
) -> tuple[list[dt.datetime], list[models.Field[Any, Any]], list[list[Any]]]:
    """Each row's moment, and the row completed (defaults, timestamps at its moment) as the columns to write."""
    moments = [at(row) for row in rows] if at else [timezone.now()] * len(rows)
    _complete(model, rows, moments)
    fields = _present(model, rows)
    return moments, fields, _lines(fields, rows)


def insert_rows(
    model: type[models.Model], rows: Sequence[Row], *, at: Callable[[Row], dt.datetime] | None = None
) -> int:
    """Insert `rows` of a model that keeps no history (meals served, visits made): defaults and timestamps as
    save(), or as of the moment `at` gives a row (the demo's past); returns how many were written."""
    if rows:
        _moments, fields, values = _prepared(model, rows, at)
        _write(model, fields, values)
    return len(rows)


def insert_with_history(
    model: type[models.Model],
    rows: Sequence[Row],
    *,
    user_id: int | None = None,
    at: Callable[[Row], dt.datetime] | None = None,
) -> list[int]:
    """Insert `rows` (attname -> value) and their "+" history rows; returns the new primary keys.

    Rows that already carry their primary key keep it (one-to-one tables keyed by their parent). `at`
    gives the moment a row was written when it is not now (the demo's past): its history date and its
    automatic timestamps."""
    if not rows:
        return []
    pk = model._meta.pk
    assert pk is not None
    if pk.attname not in rows[0]:
        for row, new_id in zip(rows, reserve_ids(model, len(rows)), strict=True):
            row[pk.attname] = new_id
    moments, fields, values = _prepared(model, rows, at)
    _write(model, fields, values)
    _write_history(model, fields, values, moments, "+", user_id)
    return [row[pk.attname] for row in rows]


def delete_with_history(queryset: QuerySet[Any], *, user_id: int | None = None) -> int:
    """Delete `queryset`'s rows and write their "-" history rows, in bulk; returns how many. QuerySet.delete()
    sends a signal per row, which simple-history answers with an INSERT each (1.6 s for the 500 unconfirmed
    statements a rebuild replaces). Only for a model no other row refers to: no cascade is followed."""
    model = queryset.model
    assert not [r for r in model._meta.related_objects if not r.related_model.__name__.startswith("Historical")]
    fields = _columns(model)
    rows = list(queryset.values(*[f.attname for f in fields]))
    if rows:
        _write_history(model, fields, _lines(fields, rows), [timezone.now()] * len(rows), "-", user_id)
        pk = model._meta.pk
        assert pk is not None
        model._base_manager.filter(pk__in=[row[pk.attname] for row in rows])._raw_delete(connection.alias)
    return len(rows)


def _write_history(
    model: type[models.Model],
    fields: Sequence[models.Field[Any, Any]],
    values: list[list[Any]],
    moments: Sequence[dt.datetime],
    kind: str,
    user_id: int | None,
) -> None:
    """The history rows of rows written ("+") or deleted ("-"): the row's values, who, when; converted once."""
    history_model = model.history.model  # type: ignore[attr-defined]
    extra = [
        history_model._meta.get_field(n)
        for n in ("history_date", "history_type", "history_user", "history_change_reason")
    ]
    convert, date_field = _converter(), extra[0]
    history = [
        [*line, convert(date_field, moment), kind, user_id, None] for line, moment in zip(values, moments, strict=True)
    ]
    _write(history_model, [history_model._meta.get_field(f.name) for f in fields] + extra, history)
