"""The one place that decides what a user may see. Deny by default.

Every selector filters through `scoped()` (or declares why a read needs no filter: `public()` policy
data, rows `within()` a record already read in scope); a count over an area takes an `AreaScope`, never
a bare code prefix. Every URL's view declares how it is scoped (`public_view`,
`scoped_view`, or the API's token auth) and ScopeDeclarationMiddleware refuses any view that does not.
A user's scope is an area (with everything under it, by 12-digit code prefix), a set of organisations,
or the people they act for (their own record, their household's, their wards'); a model states which
of its fields carry each of those in `scope_paths`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django_htmx.http import HttpResponseClientRedirect

from laoxiao.core import areacode

if TYPE_CHECKING:
    from laoxiao.accounts.models import User

M = TypeVar("M", bound=Model)


class AuthedRequest(HttpRequest):
    """The request a scoped view receives: its user is signed in (scoped_view guarantees it)."""

    user: User


@dataclass(frozen=True)
class ScopePaths:
    """Lookups from a model to the area code, organisation id and person id that scope it."""

    area: str | None = None
    organisation: str | tuple[str, ...] | None = None  # several: a row belongs to each organisation named
    person: str | None = None


def area_range_q(path: str, prefix: str) -> Q:
    """Codes under a prefix as a range, which both SQLite and PostgreSQL answer from an index."""
    return Q(**{f"{path}__gte": areacode.code_of(prefix), f"{path}__lte": areacode.last_code(prefix)})


def user_scope_q(user: User, paths: ScopePaths) -> Q | None:
    """The filter that limits `paths`'s model to `user`; None when the user may see none of it."""
    if not user.is_authenticated or not user.is_active:
        return None
    parts: list[Q] = []
    if paths.area and user.area is not None and user.role_scopes_by_area:
        parts.append(area_range_q(paths.area, areacode.prefix(user.area.code, user.area.level)))
    if paths.organisation and user.role_scopes_by_organisation:
        org_ids = user.organisation_ids
        if org_ids:
            lookups = (paths.organisation,) if isinstance(paths.organisation, str) else paths.organisation
            parts += [Q(**{f"{lookup}__in": org_ids}) for lookup in lookups]
    if paths.person and user.person_id and user.role_scopes_by_self:
        parts.append(Q(**{f"{paths.person}__in": user.represented_person_ids}))
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def scoped(user: User, queryset: QuerySet[M]) -> QuerySet[M]:
    """`queryset` cut down to what `user` may see. The model must declare `scope_paths`."""
    paths = getattr(queryset.model, "scope_paths", None)
    if not isinstance(paths, ScopePaths):
        raise ImproperlyConfigured(f"{queryset.model.__name__} declares no scope_paths; it cannot be read")
    q = user_scope_q(user, paths)
    return queryset.none() if q is None else queryset.filter(q)


def scoped_get(user: User, queryset: QuerySet[M], **lookup: Any) -> M:
    """One record in scope, or 404: an out-of-scope record looks exactly like a missing one."""
    try:
        return scoped(user, queryset).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError):  # type: ignore[attr-defined]
        raise Http404 from None


def area_in_scope(user: User, code: str) -> bool:
    from laoxiao.core.models import Area

    return scoped(user, Area.objects.filter(code=code)).exists()


def public(queryset: QuerySet[M]) -> QuerySet[M]:
    """Policy data every signed-in user reads alike (programmes, instrument versions, the service catalogue,
    area names): declared, so that tests/test_layers.py tells it from a read that forgot its scope."""
    return queryset


def within(record: Model, queryset: QuerySet[M]) -> QuerySet[M]:
    """Rows of `record` (a person's profile, a plan's tasks, a user's own tokens), which the caller holds
    from a scoped read: they are in scope because it is. `queryset` must be filtered by it."""
    return queryset


_MADE = object()


@dataclass(frozen=True)
class AreaScope:
    """An area a count may cover whole. The formulas and the counts by area prefix take one, never a bare
    prefix, so that what they add up was checked once, here: made by `area_scope` (refused outside the
    user's scope) or `system_area_scope` (a scheduled job, which speaks for the platform)."""

    code: str
    level: str
    made: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.made is not _MADE:
            raise TypeError("an AreaScope is made by area_scope() or system_area_scope()")

    @property
    def prefix(self) -> str:
        return areacode.prefix(self.code, self.level)


def area_scope(user: User, area: Any) -> AreaScope:
    """`area` (an Area) as the user may count it: 404 outside their scope, as a record would be."""
    if not area_in_scope(user, area.code):
        raise Http404
    return AreaScope(area.code, area.level, made=_MADE)


def system_area_scope(area: Any) -> AreaScope:
    """For a scheduled job and the demo (no user): the whole of `area`."""
    return AreaScope(area.code, area.level, made=_MADE)


# --- Views declare their scope ---------------------------------------------------------------

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def public_view(view: V) -> V:
    """Open to anyone: login, language switch, the public pages."""
    view.laoxiao_scope = "public"  # type: ignore[attr-defined]
    return view


def scoped_view(*, permission: str | None = None) -> Callable[[V], V]:
    """A signed-in user's view; its data comes through scoped selectors. `permission` is a role right."""

    def decorate(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                page = request.htmx.current_url_abs_path if getattr(request, "htmx", False) else None  # type: ignore[attr-defined]
                if page:  # a button's fragment (a reveal) after the session ended: the page signs in and comes back
                    return HttpResponseClientRedirect(redirect_to_login(page)["Location"])
                return redirect_to_login(request.get_full_path())
            if permission and not request.user.has_role_permission(permission):  # type: ignore[union-attr]
                raise PermissionDenied(permission)  # named, for the 403 page to say why (accounts.roles.REFUSALS)
            return view(request, *args, **kwargs)

        wrapper.laoxiao_scope = f"user:{permission or '-'}"  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def declare_scope(callbacks: Iterable[Callable[..., Any]], scope: str) -> None:
    """Mark views whose scoping is enforced elsewhere (the API's token auth on every operation)."""
    for callback in callbacks:
        callback.laoxiao_scope = scope  # type: ignore[attr-defined]


class ScopeDeclarationMiddleware:
    """Refuses (403) any view that has not declared how it is scoped."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any], *args: Any) -> HttpResponse | None:
        if getattr(view_func, "laoxiao_scope", None) is None:
            raise PermissionDenied("view declares no scope")
        return None
