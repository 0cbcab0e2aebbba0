from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laoxiao.accounts.roles import AREA_ROLES, ORGANISATION_ROLES, PERMISSIONS, SELF_ROLES, Role
from laoxiao.core.personal import SealedPhone
from laoxiao.core.writes import audited


class User(AbstractUser, SealedPhone):
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    area = models.ForeignKey(
        "core.Area", verbose_name=_("area of responsibility"), null=True, blank=True, on_delete=models.PROTECT
    )
    organisations = models.ManyToManyField(
        "facilities.Facility", verbose_name=_("organisations"), blank=True, related_name="operators"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("own person record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    department = models.CharField(_("department"), max_length=100, blank=True)
    # Set when an administrator chose the password (a new account, a reset): the user sets their own first.
    must_change_password = models.BooleanField(_("must change the password at next sign-in"), default=False)
    # The password's hash and the last sign-in are not history: a reset or a sign-in says so by its reason.
    history = audited(excluded_fields=["password", "last_login"], m2m_fields=[organisations])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def role_scopes_by_area(self) -> bool:
        return self.role in AREA_ROLES

    @property
    def role_scopes_by_organisation(self) -> bool:
        return self.role in ORGANISATION_ROLES

    @property
    def role_scopes_by_self(self) -> bool:
        return self.role in SELF_ROLES

    @cached_property
    def organisation_ids(self) -> list[int]:
        return list(self.organisations.values_list("id", flat=True))

    @cached_property
    def represented_person_ids(self) -> list[int]:
        """The people a resident acts for: themselves, the members of their household and their wards."""
        from laoxiao.people.models import Guardianship, Person

        if self.person_id is None:
            return []
        household = Person.objects.filter(pk=self.person_id).values("household_id")
        members = Person.objects.filter(household_id__in=household).values_list("pk", flat=True)
        wards = Guardianship.objects.filter(guardian_id=self.person_id).values_list("infant_id", flat=True)
        return sorted({self.person_id, *members, *wards})

    def has_role_permission(self, permission: str) -> bool:
        return self.is_active and self.role in PERMISSIONS[permission]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Here rather than in a service: a new password (page, `changepassword`, create-user) or a deactivation
        # ends every API token whichever path made it. set_password leaves `_password` set until saved;
        # Django's hash upgrade at sign-in clears it, so a rehash is not taken for a change.
        # A sign-in saves last_login alone: no history row (the sign-in log, axes' AccessLog, has it).
        signing_in = set(kwargs.get("update_fields") or ()) == {"last_login"}
        if signing_in and not hasattr(self, "skip_history_when_saving"):
            self.save_without_historical_record(*args, **kwargs)  # type: ignore[attr-defined]  # comes back here
            return
        ends_tokens = self._password is not None or not self.is_active  # type: ignore[attr-defined]
        super().save(*args, **kwargs)
        if ends_tokens:
            self.api_tokens.filter(revoked_at=None).update(revoked_at=timezone.now(), revoked_by=self)


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; it acts with its user's role and scope."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("revoked by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
