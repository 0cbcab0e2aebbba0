from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laoxiao.accounts import roles
from laoxiao.accounts.models import ApiToken, User
from laoxiao.accounts.roles import AREA_ROLES, Role
from laoxiao.core.models import Area


class AccountError(ValueError):
    pass


def _token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def user_create(
    *,
    username: str,
    password: str,
    role: Role,
    area: Area | None = None,
    organisation_ids: list[int] | None = None,
    person_id: int | None = None,
    full_name: str = "",
    department: str = "",
) -> User:
    if role in AREA_ROLES and area is None:
        raise AccountError(f"role {role} needs an area of responsibility")
    with transaction.atomic():
        user = User(
            username=username, role=role, area=area, person_id=person_id, first_name=full_name, department=department
        )
        user.set_password(password)
        user.save()
        if organisation_ids:
            user.organisations.set(organisation_ids)
    return user


def api_token_create(*, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Returns the token row and the secret, which is shown once and never stored.

    Every token expires: after `days` (default and upper bound LAOXIAO_API_TOKEN_MAX_DAYS)."""
    longest = settings.LAOXIAO_API_TOKEN_MAX_DAYS
    days = longest if days is None else days
    if not 1 <= days <= longest:
        raise ValidationError(
            {"days": _("A token is valid for 1 to %(max)d days, not %(days)d.") % {"max": longest, "days": days}}
        )
    if not user.has_role_permission("account.own_tokens"):
        raise ValidationError({"user": str(roles.REFUSALS["account.own_tokens"])})
    key = "lx_" + secrets.token_urlsafe(32)
    expires_at = timezone.now() + dt.timedelta(days=days)
    token = ApiToken.objects.create(user=user, name=name, key_hash=_token_hash(key), expires_at=expires_at)
    return token, key


def api_token_revoke(*, by: User | None, token: ApiToken) -> None:
    """Ends the token at once; the row stays, so the list shows who revoked it (none: the command line) and when."""
    ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now(), revoked_by=by)


def api_token_authenticate(*, key: str) -> User | None:
    token = ApiToken.objects.select_related("user", "user__area").filter(key_hash=_token_hash(key)).first()
    now = timezone.now()
    # A token issued before its user became a resident, family member or volunteer works no more.
    if token is None or not token.user.has_role_permission("account.own_tokens") or not token.is_valid:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
