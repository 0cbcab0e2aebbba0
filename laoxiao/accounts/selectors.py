from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from laoxiao.accounts.models import ApiToken, User
from laoxiao.core.models import Area
from laoxiao.core.scope import scoped


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens; an administrator's list adds those of every user of their area and its institutions."""
    tokens = ApiToken.objects.select_related("user", "revoked_by")
    mine = Q(user=user)
    if user.has_role_permission("account.tokens"):
        areas = scoped(user, Area.objects.all()).values("pk")
        in_scope = ApiToken.objects.filter(Q(user__area__in=areas) | Q(user__organisations__area__in=areas))
        mine |= Q(pk__in=in_scope.values("pk"))
    return tokens.filter(mine).order_by("revoked_at", "-created_at", "-pk")


def api_token_get(*, user: User, pk: int) -> ApiToken:
    token = api_token_list(user=user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token
