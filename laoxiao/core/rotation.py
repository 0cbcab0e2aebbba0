"""Re-encrypt personal identifiers under the current keys (after adding a new key at the head of the
LAOXIAO_SM4_KEYS / LAOXIAO_HASH_KEYS lists). Retire an old key only after this has run."""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.db import models

from laoxiao.core import crypto
from laoxiao.core.importing import import_file_keep, kept_pieces
from laoxiao.core.models import ImportBatch
from laoxiao.core.personal import SealedAccount, SealedIdNumber, SealedPhone, sealed
from laoxiao.core.writes import writing

CHUNK = 2000


def sealed_fields(model: type[models.Model]) -> list[str]:
    kinds = ((SealedIdNumber, "id_number"), (SealedPhone, "phone"), (SealedAccount, "account"))
    return [name for base, name in kinds if issubclass(model, base)]


def sealed_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if sealed_fields(m) and not m.__name__.startswith("Historical")]


def keys_rotate(*, log: Callable[[str], None] = lambda _: None) -> int:
    """Rewrite every ciphertext and keyed hash not made with the current keys; returns rows changed.

    History rows keep the ciphertext they were written with, so retired keys stay needed to read old
    history; the re-encryption itself is a technical change and writes no history of its own."""
    changed = 0
    for model in sealed_models():
        fields = sealed_fields(model)
        columns = [f"{f}_{part}" for f in fields for part in ("cipher", "hash", "masked")]
        last = 0
        while True:
            rows = list(model._default_manager.filter(pk__gt=last).order_by("pk").only("pk", *columns)[:CHUNK])
            if not rows:
                break
            last = rows[-1].pk
            stale = []
            for row in rows:
                updated = False
                for field in fields:
                    token = getattr(row, f"{field}_cipher")
                    if not token:
                        continue
                    plain = crypto.decrypt(token)
                    if not crypto.is_current(token) or getattr(row, f"{field}_hash") != crypto.blind_index(plain):
                        for name, value in sealed(field, plain).items():
                            setattr(row, name, value)
                        updated = True
                if updated:
                    stale.append(row)
            if stale:
                with writing():
                    model._default_manager.bulk_update(stale, columns, batch_size=500)
                changed += len(stale)
        log(f"{model._meta.label}: done")
    return changed + _import_files_rotate()


def _import_files_rotate() -> int:
    """Uploaded files kept for their rejected-rows report are sealed too; one at a time (they are large),
    decrypted and sealed again a row at a time."""
    stale = ImportBatch.objects.exclude(content_key="").exclude(content_key=crypto.current_key_id())
    changed = 0
    for pk in stale.values_list("pk", flat=True):
        with writing():
            batch = ImportBatch.objects.select_for_update().get(pk=pk)
            sealer = crypto.Sealer()
            for plain in crypto.unsealed_stream(batch.content_key, kept_pieces(batch)):
                sealer.update(plain)
            batch.content_key, sealed = sealer.finish()
            batch.chunks.all().delete()
            import_file_keep(batch, sealed)
            batch.save(update_fields=["content_key"])
        changed += 1
    return changed
