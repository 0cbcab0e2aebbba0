"""The demo's story clock. The generator plays a year of the city in a minute, through the services; what
they stamp (auto_now fields, simple-history's history_date, status-change and event rows, the reveal and
export logs) must say when it happened in the story, not when the demo was built.

Inside `at(moment)` Django's clock (`django.utils.timezone.now`, which every one of those reads, and
`timezone.localdate()` with it) starts at `moment` and runs on as the real one does, so the steps of one
service keep their order. A moment later than the real now is taken as now: nothing recorded as done may
be later than now, whatever the hour the demo is built. Only the demo generator, a single-threaded command,
sets this clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from django.db import models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

M = TypeVar("M", bound=models.Model)

_real_now = timezone.now


@contextmanager
def at(moment: dt.datetime) -> Iterator[dt.datetime]:
    """Run the block as if it began at `moment` (at most now); yields the moment used."""
    started = _real_now()
    offset = max(dt.timedelta(0), started - moment)
    outer = timezone.now
    setattr(timezone, "now", lambda: _real_now() - offset)  # noqa: B010 (mypy refuses assigning to a function)
    try:
        yield started - offset
    finally:
        setattr(timezone, "now", outer)  # noqa: B010


def moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """`day` at `hour`:`minute` in the city's time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def bulk_create_at(
    objs: Sequence[M], model: type[M], when: Callable[[M], dt.datetime], batch_size: int = 1000
) -> list[M]:
    """`bulk_create_with_history` with each record written at `when(record)`: its history date and its
    automatic timestamps (which bulk_create sets to now)."""
    for obj in objs:
        obj._history_date = when(obj)  # type: ignore[attr-defined]  # read by simple-history
    created = bulk_create_with_history(objs, model, batch_size=batch_size)
    auto = [
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for obj in created if auto else ():
        stamps = dict.fromkeys(auto, obj._history_date)  # type: ignore[attr-defined]
        model._default_manager.filter(pk=obj.pk).update(**stamps)
        model.history.filter(id=obj.pk).update(**stamps)  # type: ignore[attr-defined]
        for name, value in stamps.items():
            setattr(obj, name, value)
    return created
