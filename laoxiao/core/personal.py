"""Personal identifiers as stored: ciphertext, keyed hash and masked form, in one abstract model each."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from laoxiao.core import crypto
from laoxiao.core.identifiers import mask_account, mask_id_number, mask_phone

MASKERS = {"id_number": mask_id_number, "phone": mask_phone, "account": mask_account}


def sealed(field: str, value: str) -> dict[str, str]:
    """Column values for `field` holding `value`: {field_cipher, field_hash, field_masked}."""
    if not value:
        return {f"{field}_cipher": "", f"{field}_hash": "", f"{field}_masked": ""}
    return {
        f"{field}_cipher": crypto.encrypt(value),
        f"{field}_hash": crypto.blind_index(value),
        f"{field}_masked": MASKERS[field](value),
    }


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
