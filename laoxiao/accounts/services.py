from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from laoxiao.accounts import roles
from laoxiao.accounts.models import ApiToken, User
from laoxiao.accounts.roles import AREA_ROLES, ORGANISATION_ROLES, ROLE_ORGANISATION_KINDS, SELF_ROLES, Role
from laoxiao.core import areacode, cleaning
from laoxiao.core.audit import set_actor
from laoxiao.core.models import Area
from laoxiao.core.personal import seal_into
from laoxiao.core.scope import scoped
from laoxiao.core.writes import service
from laoxiao.facilities.models import Facility

# Why a history row was written where no field shows it (stored in English, shown translated).
REASONS = {
    "password_reset": gettext_noop("password reset by an administrator"),
    "password_changed": gettext_noop("password changed by the user"),
    "unlocked": gettext_noop("sign-in lock lifted"),
}
# A generated password: no characters that read alike (0/O, 1/l/I), in groups of four for dictating.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _needs_area(role: str) -> str:
    label = Role(role).label if role in Role.values else role
    return _("The role %(role)s needs an area of responsibility.") % {"role": label}


@service
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
    phone: str = "",
    must_change_password: bool = False,
    by: User | None = None,
) -> User:
    """The one way an account is made (the create-user command, the accounts page, the demo); `phone`
    is already clean, and is sealed like a person's."""
    if role in AREA_ROLES and area is None:
        raise ValidationError({"area": _needs_area(role)})
    user = User(
        username=username,
        role=role,
        area=area,
        person_id=person_id,
        first_name=full_name,
        department=department,
        must_change_password=must_change_password,
    )
    seal_into(user, "phone", phone)
    user.set_password(password)
    user.save()
    if organisation_ids:
        user.organisations.set(organisation_ids)
    return user


def _password_generate() -> str:
    """Twelve characters from 56 (about 70 bits), shown once to the administrator who asked for it."""
    while True:
        raw = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(12))
        password = "-".join(raw[i : i + 4] for i in range(0, 12, 4))
        try:
            validate_password(password)
        except ValidationError:
            continue
        return password


def _clean_account(by: User, raw: dict[str, Any]) -> dict[str, Any]:
    """The account's fields as the page gives them, checked against the role's needs and `by`'s scope:
    an area role gets an area and no organisation, an organisation role one organisation of its kind
    and no area. Raises a message per field."""
    errors: dict[str, str] = {}
    data: dict[str, Any] = {}
    for name, cleaner in (
        ("full_name", lambda v: cleaning.text(v, max_length=150, required=True)),
        ("department", lambda v: cleaning.text(v, max_length=100)),
        ("phone", cleaning.phone),
    ):
        if name in raw:
            try:
                data[name] = cleaner(raw[name])
            except cleaning.FieldError as exc:
                errors[name] = str(exc)
    role = raw.get("role") or ""
    if role not in Role.values or role in SELF_ROLES:
        # Residents and volunteers act for their own record, which this form does not choose.
        errors["role"] = _("Choose one of the staff roles offered.")
    data["role"], data["area"], data["organisation"] = role, None, None
    if role in AREA_ROLES:
        code = raw.get("area_code") or ""
        area = scoped(by, Area.objects.filter(code=code)).first() if code else None
        if area is None:
            errors["area_code"] = (
                _("No area with this code is within your responsibility.") if code else _needs_area(role)
            )
        data["area"] = area
    elif role in ORGANISATION_ROLES:
        pk = raw.get("organisation_id")
        organisation = scoped(by, Facility.objects.filter(pk=pk)).first() if pk else None
        if organisation is None:
            errors["organisation_id"] = _("The role %(role)s works for an organisation: choose it.") % {
                "role": Role(role).label
            }
        elif organisation.kind not in ROLE_ORGANISATION_KINDS[Role(role)]:
            errors["organisation_id"] = _("%(name)s is a %(kind)s, which a %(role)s does not work for.") % {
                "name": organisation.name,
                "kind": organisation.get_kind_display(),
                "role": Role(role).label,
            }
        data["organisation"] = organisation
    if errors:
        raise ValidationError(errors)
    return data


def _login_taken(username: str) -> ValidationError:
    return ValidationError({"username": _("The login “%(name)s” is already taken.") % {"name": username}})


@service
def account_create(
    *,
    by: User,
    username: str,
    full_name: str,
    role: str,
    area_code: str = "",
    organisation_id: int | None = None,
    phone: str = "",
    department: str = "",
) -> tuple[User, str]:
    """A new account in `by`'s scope with a generated password, returned to be shown once; the user
    sets their own at first sign-in."""
    raw = {"full_name": full_name, "role": role, "area_code": area_code, "organisation_id": organisation_id}
    errors: dict[str, Any] = {}
    try:
        data = _clean_account(by, raw | {"phone": phone, "department": department})
    except ValidationError as exc:
        errors, data = exc.message_dict, {}
    username = (username or "").strip()
    try:
        cleaning.text(username, max_length=150, required=True)
        UnicodeUsernameValidator()(username)
    except cleaning.FieldError as exc:
        errors["username"] = str(exc)
    except ValidationError:
        errors["username"] = _("A login has letters, digits and @ . + - _ only.")
    if not errors.get("username") and User.objects.filter(username__iexact=username).exists():
        errors |= _login_taken(username).message_dict
    if errors:
        raise ValidationError(errors)
    password = _password_generate()
    organisation = data["organisation"]
    try:
        with transaction.atomic():
            user = user_create(
                username=username,
                password=password,
                role=Role(data["role"]),
                area=data["area"],
                organisation_ids=[organisation.pk] if organisation else None,
                full_name=data["full_name"],
                department=data["department"],
                phone=data["phone"],
                must_change_password=True,
                by=by,
            )
    except IntegrityError:  # the same login made at the same moment elsewhere
        raise _login_taken(username) from None
    return user, password


def _city_administered(user: User) -> Area | None:
    """The area an active administrator of a city (or a province) administers; None for anyone else."""
    area = user.area
    if user.is_active and user.role == Role.ADMIN and area and areacode.LENGTH[area.level] <= areacode.LENGTH["city"]:
        return area
    return None


def _covers(admin: User, area: Area) -> bool:
    administered = _city_administered(admin)
    return administered is not None and area.code.startswith(areacode.prefix(administered.code, administered.level))


def _keep_a_city_administrator(account: User, *, after: User) -> None:
    """Refuse a change that leaves the account's city without an active administrator of the city."""
    area = _city_administered(account)
    if area is None or _covers(after, area):
        return
    others = User.objects.select_related("area").filter(is_active=True, role=Role.ADMIN).exclude(pk=account.pk)
    if not any(_covers(other, area) for other in others):
        raise ValidationError(
            {
                "role": _("%(name)s is the last administrator of %(area)s: appoint another city administrator first.")
                % {"name": account.first_name or account.username, "area": area.name}
            }
        )


def _locked(account: User) -> User:
    """The account re-read under the transaction's lock: two administrators' changes apply one after the other.
    For an administrator's account every administrator's row is locked, in one order, first: two city
    administrators disabling each other at once would each still see the other active, and both pass."""
    if account.role == Role.ADMIN:
        list(User.objects.select_for_update().filter(role=Role.ADMIN).order_by("pk").values_list("pk"))
    return User.objects.select_for_update(of=("self",)).select_related("area").get(pk=account.pk)


@service
def account_update(
    *,
    by: User,
    account: User,
    full_name: str,
    role: str,
    area_code: str = "",
    organisation_id: int | None = None,
    phone: str | None = None,
    department: str = "",
) -> User:
    """Change an account's name, role and responsibility; a None phone keeps the stored number."""
    raw = {"full_name": full_name, "role": role, "area_code": area_code, "organisation_id": organisation_id}
    data = _clean_account(by, raw | {"department": department} | ({"phone": phone} if phone is not None else {}))
    current = _locked(account)
    if current.pk == by.pk and data["role"] != current.role:
        raise ValidationError({"role": _("You cannot change your own role.")})
    after = User(role=data["role"], area=data["area"], is_active=current.is_active)
    _keep_a_city_administrator(current, after=after)
    wanted_fields = (data["full_name"], data["department"], data["role"], data["area"])
    if "phone" in data or wanted_fields != (current.first_name, current.department, current.role, current.area):
        current.first_name, current.department, current.role, current.area = wanted_fields
        if "phone" in data:
            seal_into(current, "phone", data["phone"])
        current.save()  # only when something changed: no empty entry in the history
    organisation = data["organisation"]
    wanted = {organisation.pk} if organisation else set()
    if set(current.organisations.values_list("pk", flat=True)) != wanted:
        current.organisations.set(wanted)
    return current


@service
def account_disable(*, by: User, account: User) -> User:
    """The user can no longer sign in; their sessions end at their next request and their API tokens at once."""
    current = _locked(account)
    if current.pk == by.pk:
        raise ValidationError({"is_active": _("You cannot disable your own account.")})
    _keep_a_city_administrator(current, after=User(role=current.role, area=current.area, is_active=False))
    if current.is_active:
        current.is_active = False
        current.save()
    return current


@service
def account_enable(*, by: User, account: User) -> User:
    """Signing in works again; API tokens ended by the disabling stay ended."""
    current = _locked(account)
    if not current.is_active:
        current.is_active = True
        current.save()
    return current


def _save_with_reason(user: User, by: User | None, reason: str) -> None:
    user._change_reason = REASONS[reason]  # type: ignore[attr-defined]  # simple-history's history_change_reason
    set_actor(user, by)
    user.save()


@service
def account_password_reset(*, by: User, account: User) -> str:
    """A new generated password, returned to be shown once; the user must change it at next sign-in, and
    their API tokens end (as at every new password)."""
    if account.pk == by.pk:
        raise ValidationError({"password": _("Change your own password on the password page.")})
    password = _password_generate()
    current = _locked(account)
    current.set_password(password)
    current.must_change_password = True
    _save_with_reason(current, by, "password_reset")
    return password


@service
def account_unlock(*, by: User, account: User) -> int:
    """Lift a sign-in lockout (django-axes) for every address; returns the attempt records removed."""
    current = _locked(account)
    removed = axes_reset(username=current.username)
    _save_with_reason(current, by, "unlocked")
    return removed


@service
def user_password_change(*, user: User, password: str) -> None:
    """The user's own new password (already checked by the validators); clears the must-change mark."""
    user.set_password(password)
    user.must_change_password = False
    _save_with_reason(user, user, "password_changed")


@service
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


@service
def api_token_revoke(*, by: User | None, token: ApiToken) -> None:
    """Ends the token at once; the row stays, so the list shows who revoked it (none: the command line) and when."""
    ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now(), revoked_by=by)


@service(on_read=True)  # a log of what a GET read
def api_token_authenticate(*, key: str) -> User | None:
    token = ApiToken.objects.select_related("user", "user__area").filter(key_hash=_token_hash(key)).first()
    now = timezone.now()
    # A token issued before its user became a resident, family member or volunteer works no more.
    if token is None or not token.user.has_role_permission("account.own_tokens") or not token.is_valid:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
