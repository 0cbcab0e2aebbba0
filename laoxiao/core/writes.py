"""The one shape of a write. Every service is a function wrapped by `@service`, which gives it:

- one transaction, **durable** when it is the outermost write: a service that has returned has
  committed, so a caller cannot wrap it in a transaction of its own and roll back what it promised;
- a service called by another joins the caller's transaction (as a savepoint), so a composed write
  is all or nothing;
- the actor: its `by=` argument is the user simple-history records for every row saved inside it
  (a service run by a job passes `by=None`: the system), whoever the request's user is;
- side effects (a notification, a push to another system) registered with `transaction.on_commit`
  inside a service run only once it has committed, never for a write that rolled back;
- a GET changes nothing: while a GET, HEAD or OPTIONS request is served (SafeRequestsMiddleware) a
  service or a `writing()` block refuses to run, and so does any INSERT, UPDATE or DELETE sent to the
  database, unless all that is written is the log of what the request read (a reveal, an export, a
  token's use: `@service(on_read=True)`, which may call only others like it). A link followed by a mail
  scanner or a prefetch can then never act; the role crawler, which opens every page as every role,
  proves every page keeps it. (A streamed response's body is made after the request's view has
  returned; it must only read.)

Work that writes through many services as one whole (an import's commit, the demo city) opens
`writing()`, the durable outermost transaction the services inside it join; a job that commits row
by row opens one per row."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar, overload

from django.db import connection, transaction
from simple_history.models import HistoricalRecords

P = ParamSpec("P")
R = TypeVar("R")

_depth: ContextVar[int] = ContextVar("write_depth", default=0)
# (the actor,) while a service that was given `by=` runs; () outside one, so None can mean the system.
_actor: ContextVar[tuple[Any, ...]] = ContextVar("write_actor", default=())
_safe_method: ContextVar[str] = ContextVar("write_safe_method", default="")  # a GET being served
_logging_a_read: ContextVar[bool] = ContextVar("write_logging_a_read", default=False)  # in an on_read service
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class WriteOnSafeRequest(RuntimeError):
    """A programming error: a page or API operation that answers a GET wrote, or tried to. Move the write
    behind a POST (`@require_POST`, or the form's `request.method == "POST"` branch)."""


class SafeRequestsMiddleware:
    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        with safe_request(request.method), connection.execute_wrapper(_refuse_writes_while_safe):
            return self.get_response(request)


def _refuse_writes_while_safe(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    """The database's side of the rule: a write a GET sends outside a read's log is refused."""
    writes = sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE")
    if writes and (method := _safe_method.get()) and not _logging_a_read.get():
        raise WriteOnSafeRequest(f"a {method} request must not write: {sql[:60]}")
    return execute(sql, params, many, context)


def _refuse_if_safe(what: str, *, on_read: bool = False) -> None:
    """Only a read's log is written while a GET is served, and a read's log calls only others like it."""
    if (method := _safe_method.get()) and not on_read:
        raise WriteOnSafeRequest(f"{what} writes; a {method} request must not")


@contextmanager
def safe_request(method: str) -> Iterator[None]:
    """While a request of `method` is served (a GET refuses services that change anything)."""
    token = _safe_method.set(method if method in SAFE_METHODS else "")
    try:
        yield
    finally:
        _safe_method.reset(token)


@contextmanager
def _write(actor: tuple[Any, ...]) -> Iterator[None]:
    depth = _depth.get()
    depth_token = _depth.set(depth + 1)
    actor_token = _actor.set(actor) if actor else None
    try:
        with transaction.atomic(durable=depth == 0):
            yield
    finally:
        _depth.reset(depth_token)
        if actor_token is not None:
            _actor.reset(actor_token)


@overload
def service(fn: Callable[P, R], /) -> Callable[P, R]: ...
@overload
def service(*, on_read: bool) -> Callable[[Callable[P, R]], Callable[P, R]]: ...
def service(fn: Callable[P, R] | None = None, /, *, on_read: bool = False) -> Any:
    """`@service`, or `@service(on_read=True)` for a log of what a GET read, which the GET may write."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def write(*args: P.args, **kwargs: P.kwargs) -> R:
            _refuse_if_safe(f"{fn.__module__}.{fn.__qualname__}", on_read=on_read)
            logging_token = _logging_a_read.set(True) if on_read else None
            try:
                with _write((kwargs["by"],) if "by" in kwargs else ()):
                    return fn(*args, **kwargs)
            finally:
                if logging_token is not None:
                    _logging_a_read.reset(logging_token)

        return write

    return wrap(fn) if fn is not None else wrap


@contextmanager
def writing(*, by: Any = ()) -> Iterator[None]:
    """Writes (services among them) as one durable transaction: all of them commit, or none; `by`, as a
    service's, is the actor the history records."""
    _refuse_if_safe("writing()")
    with _write(() if by == () else (by,)):
        yield


def history_user(*, instance: Any, request: Any = None, **_: Any) -> Any:
    """simple-history's `get_user`, asked when a save names no actor of its own (`set_actor`): the
    running service's `by`, else the signed-in user of the request, else nobody (the system)."""
    if actor := _actor.get():
        return actor[0]
    return getattr(request, "user", None)


def audited(**options: Any) -> HistoricalRecords:
    """The history an audited model keeps, its actor taken from the running service."""
    return HistoricalRecords(get_user=history_user, **options)
