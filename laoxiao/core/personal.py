"""Personal identifiers as stored: ciphertext, keyed hash and masked form, in one abstract model each."""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.db.models import QuerySet, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext_lazy as _

from laoxiao.core import crypto
from laoxiao.core.identifiers import mask_account, mask_id_number, mask_phone

M = TypeVar("M", bound=models.Model)
MASKERS = {"id_number": mask_id_number, "phone": mask_phone, "account": mask_account}


def sealed(field: str, value: str, *, hashed: str = "") -> dict[str, str]:
    """Column values for `field` holding `value`: {field_cipher, field_hash, field_masked}. `hashed` is
    the value's blind index when the caller has just made it (an import looks every number up first)."""
    if not value:
        return {f"{field}_cipher": "", f"{field}_hash": "", f"{field}_masked": ""}
    return {
        f"{field}_cipher": crypto.encrypt(value),
        f"{field}_hash": hashed or crypto.blind_index(value),
        f"{field}_masked": MASKERS[field](value),
    }


ENDING_CANDIDATES = 20_000


def with_id_ending(queryset: QuerySet[M], ending: str) -> QuerySet[M]:
    """The rows of an already narrowed `queryset` (a name, a batch, one home's staff) whose ID number ends
    with `ending` (the last four, as people quote them). The mask keeps only the check character, so the
    candidates sharing it are decrypted here, in memory; the numbers go no further."""
    ending = ending.upper()
    candidates = queryset.prefetch_related(None).filter(id_number_masked__endswith=ending[-1:])
    pairs = candidates.values_list("pk", "id_number_cipher")[:ENDING_CANDIDATES]
    found = [pk for pk, token in pairs if crypto.decrypt(token).endswith(ending)]
    return queryset.filter(pk__in=found)


def remask_stored(model: type[models.Model]) -> None:
    """Rewrite the masked columns of `model` (data or history rows) made by the masks before 2026-12, which
    showed an ID's last four and a phone's last four, into today's masks. Both are derived from the old
    masked text alone, so old history rows are fixed too without any key."""
    fields = {f.name for f in model._meta.get_fields()}
    rows = model._default_manager
    if "id_number_masked" in fields:  # 640104********4725 -> 640104***********5
        rows.filter(id_number_masked__regex=r"^.{6}\*{8}.{4}$").update(
            id_number_masked=Concat(
                Substr("id_number_masked", 1, 6), Value("*" * 11), Substr("id_number_masked", 18, 1)
            )
        )
    if "phone_masked" in fields:  # 138****1234 -> 138********
        rows.annotate(n=Length("phone_masked")).filter(n=11, phone_masked__contains="****").update(
            phone_masked=Concat(Substr("phone_masked", 1, 3), Value("*" * 8))
        )


def seal_into(obj: models.Model, field: str, value: str) -> None:
    for name, column in sealed(field, value).items():
        setattr(obj, name, column)


def unsealed(obj: models.Model, field: str) -> str:
    token = getattr(obj, f"{field}_cipher")
    return crypto.decrypt(token) if token else ""


class SealedIdNumber(models.Model):
    id_number_cipher = models.TextField(_("ID number (encrypted)"))
    id_number_hash = models.CharField(_("ID number (keyed hash)"), max_length=64, db_index=True)
    id_number_masked = models.CharField(_("ID number"), max_length=18)

    class Meta:
        abstract = True


class SealedPhone(models.Model):
    phone_cipher = models.TextField(_("phone (encrypted)"), blank=True)
    phone_hash = models.CharField(_("phone (keyed hash)"), max_length=64, blank=True, db_index=True)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        abstract = True


class SealedAccount(models.Model):
    """A bank or social-security card account number: personal data, sealed like an ID number."""

    account_cipher = models.TextField(_("account number (encrypted)"))
    account_hash = models.CharField(_("account number (keyed hash)"), max_length=64, db_index=True)
    account_masked = models.CharField(_("account number"), max_length=40)

    class Meta:
        abstract = True
