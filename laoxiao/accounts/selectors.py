from __future__ import annotations

from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from laoxiao.accounts.models import ApiToken, User
from laoxiao.accounts.roles import ROLE_ORGANISATION_KINDS
from laoxiao.core.audit import HistoryEntry, history_entries
from laoxiao.core.models import Area
from laoxiao.core.scope import area_range_q, scoped, within
from laoxiao.facilities.models import Facility


def _in_scope(user: User, prefix: str = "") -> Q:
    """Accounts responsible for an area of `user`'s scope (under `prefix` when given), working for one of
    its organisations, or whose own record lives there."""
    areas = scoped(user, Area.objects.all())
    if prefix:
        areas = areas.filter(area_range_q("code", prefix))
    codes = areas.values("pk")
    there = Q(area__in=codes) | Q(organisations__area__in=codes) | Q(person__area__in=codes)
    return Q(pk__in=User.objects.filter(there).values("pk"))


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens; an administrator's list adds those of every user of their area and its institutions."""
    tokens = ApiToken.objects.select_related("user", "revoked_by")
    mine = Q(user=user)
    if user.has_role_permission("account.tokens"):
        mine |= Q(user__in=User.objects.filter(_in_scope(user)).values("pk"))
    return tokens.filter(mine).order_by("revoked_at", "-created_at", "-pk")


def api_token_get(*, user: User, pk: int) -> ApiToken:
    token = api_token_list(user=user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


@dataclass(frozen=True)
class AccountFilter:
    q: str = ""
    role: str = ""
    organisation: str = ""
    area: str = ""  # a code prefix, from the area picker
    active: str = ""  # "1" active, "0" disabled, "" both


def account_list(*, user: User, filters: AccountFilter) -> QuerySet[User]:
    """The accounts an administrator manages: those of their area, its organisations and its residents."""
    if not user.has_role_permission("account.manage"):
        return User.objects.none()
    accounts = (
        User.objects.filter(_in_scope(user, filters.area)).select_related("area").prefetch_related("organisations")
    )
    if filters.q:
        text = filters.q.strip()
        accounts = accounts.filter(Q(username__icontains=text) | Q(first_name__contains=text))
    if filters.role:
        accounts = accounts.filter(role=filters.role)
    if filters.organisation.isdigit():
        accounts = accounts.filter(organisations=int(filters.organisation))
    if filters.active in ("0", "1"):
        accounts = accounts.filter(is_active=filters.active == "1")
    return accounts.order_by("username")


def account_get(*, user: User, pk: int) -> User:
    """One account the administrator manages; any other is the same 404 as a missing one."""
    account = account_list(user=user, filters=AccountFilter()).filter(pk=pk).first()
    if account is None:
        raise Http404
    return account


def account_organisations(*, user: User, staffed: bool = False) -> QuerySet[Facility]:
    """The organisations of the administrator's scope an account can work for, by kind then name; `staffed`:
    only those some account works for (the list's filter)."""
    kinds = set().union(*ROLE_ORGANISATION_KINDS.values())
    organisations = scoped(user, Facility.objects.filter(kind__in=kinds))
    if staffed:
        organisations = organisations.filter(pk__in=User.objects.values("organisations"))
    return organisations.order_by("kind", "name", "pk")


def account_history(*, account: User) -> list[HistoryEntry]:
    return history_entries(account)


def account_locked(*, account: User) -> bool:
    """Locked out of signing in (django-axes) from some address, for the cool-off time after the last try."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(
        username=account.username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    )
    return within(account, attempts).exists()
