"""Every uploaded file is sealed (SM4) as it arrives: Django would otherwise write uploads above 2.5 MB
to a plaintext temporary file, and a people import is ID numbers and phones. The plaintext is only
ever decrypted a megabyte at a time, except where a reader needs the whole file (a workbook)."""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers

from laoxiao.core.crypto import Sealer, seal_raw, unseal_raw


class SealedUpload(UploadedFile):
    """An upload held sealed. `too_large` when it exceeded the limit: its content was dropped unread."""

    _plain: Any = None

    def __init__(self, *, name: str, size: int, content_type: str, key_id: str, sealed: bytearray | None) -> None:
        super().__init__(file=None, name=name, content_type=content_type, size=size)
        self.key_id, self.sealed = key_id, sealed
        self.too_large = sealed is None

    @property  # type: ignore[override]
    def file(self) -> Any:
        """For a form that reads the file whole (a bank result, a plan table): decrypted on first use."""
        if self._plain is None:
            self._plain = io.BytesIO(unseal_raw(self.key_id, self.sealed) if self.sealed else b"")
        return self._plain

    @file.setter
    def file(self, value: Any) -> None:
        self._plain = value

    @property
    def closed(self) -> bool:
        return self._plain is None or self._plain.closed

    def close(self) -> None:
        """Django closes every upload when the response is done; opening the plaintext to close it
        would decrypt the whole file once more."""
        if self._plain is not None:
            self._plain.close()
        self.sealed = None


def sealed_file(upload: UploadedFile) -> tuple[str, ContentFile[bytes]]:
    """(key id, the upload sealed as a file to store under a random name): an upload that arrived
    through the handler is already sealed; one made in code is sealed now."""
    if isinstance(upload, SealedUpload) and upload.sealed is not None:
        key_id, sealed = upload.key_id, upload.sealed
    else:
        key_id, sealed = seal_raw(upload.read())
    return key_id, ContentFile(bytes(sealed), name=f"{uuid.uuid4().hex}.sm4")


class SealingUploadHandler(FileUploadHandler):
    """The only upload handler: seals each file as its chunks arrive, in memory, up to the limit."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.sealer: Sealer | None = Sealer()
        self.received = 0
        raise StopFutureHandlers

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received > settings.LAOXIAO_UPLOAD_MAX_MB * 1024 * 1024:
            self.sealer = None  # beyond the limit the rest is counted, not kept
        elif self.sealer is not None:
            self.sealer.update(raw_data)

    def file_complete(self, file_size: int) -> SealedUpload:
        key_id, sealed = self.sealer.finish() if self.sealer is not None else ("", None)
        return SealedUpload(
            name=self.file_name or "",
            size=file_size,
            content_type=self.content_type or "",
            key_id=key_id,
            sealed=sealed,
        )
