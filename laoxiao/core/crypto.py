"""Personal identifiers at rest: SM4-GCM ciphertext plus an HMAC-SM3 keyed hash to find by exact value.

Keys come from the environment (LAOXIAO_SM4_KEYS, LAOXIAO_HASH_KEYS) as "id:hex,id:hex"; the first key
of each list is current. Ciphertext carries the id of the key that made it, so older keys keep
decrypting until `laoxiao rotate-keys` has re-encrypted everything; lookups hash with every hash key
so a record stays findable while rotation runs.
"""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12
TAG_BYTES = 16
CHUNK = 1 << 20


def parse_keys(spec: str, *, name: str, length: int) -> list[tuple[str, bytes]]:
    keys = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        key_id, _, hex_key = part.partition(":")
        try:
            key = bytes.fromhex(hex_key)
        except ValueError:
            raise ImproperlyConfigured(f"{name}: key {key_id!r} is not hexadecimal") from None
        if len(key) != length or not key_id or "." in key_id:
            raise ImproperlyConfigured(f"{name}: each key is 'id:{length * 2} hex digits'")
        keys.append((key_id, key))
    if not keys:
        raise ImproperlyConfigured(f"{name} is not set (see docs/deploy.md)")
    return keys


@cache
def _cipher_keys() -> list[tuple[str, bytes]]:
    return parse_keys(settings.LAOXIAO_SM4_KEYS, name="LAOXIAO_SM4_KEYS", length=16)


@cache
def _hash_keys() -> list[tuple[str, bytes]]:
    return parse_keys(settings.LAOXIAO_HASH_KEYS, name="LAOXIAO_HASH_KEYS", length=32)


def reset_key_cache() -> None:
    _cipher_keys.cache_clear()
    _hash_keys.cache_clear()


def encrypt(plaintext: str) -> str:
    return seal_bytes(plaintext.encode())


def decrypt(token: str) -> str:
    return unseal_bytes(token).decode()


def seal_bytes(data: bytes) -> str:
    """SM4-GCM with the current key, as "key-id.base64": the form identifiers are stored in."""
    key_id, sealed = seal_raw(data)
    return f"{key_id}.{base64.b64encode(sealed).decode()}"


def unseal_bytes(token: str) -> bytes:
    key_id, _, payload = token.partition(".")
    return unseal_raw(key_id, base64.b64decode(payload))


class Sealer:
    """SM4-GCM over data that arrives in pieces (an upload as it is received), into one growing buffer
    laid out as nonce | ciphertext | tag: the plaintext is never held whole."""

    def __init__(self) -> None:
        self.key_id, key = _cipher_keys()[0]
        nonce = os.urandom(NONCE_BYTES)
        self._encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
        self.sealed = bytearray(nonce)

    def update(self, data: bytes | bytearray | memoryview) -> None:
        self.sealed += self._encryptor.update(data)

    def finish(self) -> tuple[str, bytearray]:
        self.sealed += self._encryptor.finalize()
        self.sealed += self._encryptor.tag
        return self.key_id, self.sealed


def seal_raw(data: bytes | bytearray | memoryview) -> tuple[str, bytearray]:
    """(current key id, nonce | ciphertext | tag), encrypted a megabyte at a time into one buffer."""
    sealer = Sealer()
    view = memoryview(data)
    for start in range(0, len(view), CHUNK):
        sealer.update(view[start : start + CHUNK])
    return sealer.finish()


def _key(key_id: str) -> bytes:
    keys = dict(_cipher_keys())
    if key_id not in keys:
        raise ImproperlyConfigured(f"SM4 key {key_id!r} is no longer configured; it is needed to decrypt")
    return keys[key_id]


def unseal_raw(key_id: str, sealed: bytes | bytearray | memoryview) -> bytes:
    return b"".join(unsealed_stream(key_id, [sealed]))


def unsealed_chunks(key_id: str, sealed: bytes | bytearray | memoryview) -> Iterator[bytes]:
    """The plaintext of a sealed buffer a megabyte at a time (a file read as a stream)."""
    view = memoryview(sealed)
    return unsealed_stream(key_id, (view[start : start + CHUNK] for start in range(0, len(view), CHUNK)))


def unsealed_stream(key_id: str, pieces: Iterable[bytes | bytearray | memoryview]) -> Iterator[bytes]:
    """The plaintext of nonce | ciphertext | tag arriving in pieces (a kept file's rows, read one at a
    time), decrypted as they come; the tag, the last 16 bytes, is checked at the end."""
    key = _key(key_id)
    decryptor: Any = None
    pending = b""  # what may still be the tag
    for piece in pieces:
        pending += bytes(piece)
        if decryptor is None:
            if len(pending) < NONCE_BYTES:
                continue
            decryptor = Cipher(algorithms.SM4(key), modes.GCM(pending[:NONCE_BYTES])).decryptor()
            pending = pending[NONCE_BYTES:]
        if len(pending) > TAG_BYTES:
            yield decryptor.update(pending[:-TAG_BYTES])
            pending = pending[-TAG_BYTES:]
    if decryptor is None or len(pending) != TAG_BYTES:
        raise ValueError("the sealed data is truncated")
    tail = decryptor.finalize_with_tag(pending)
    if tail:
        yield tail


class UnsealedReader(io.RawIOBase):
    """Decrypted chunks (`unsealed_stream`) read as a binary stream."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = next(self._chunks, b"")
            if not chunk:
                return 0
            self._pending = memoryview(chunk)
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def current_key_id() -> str:
    return _cipher_keys()[0][0]


def is_current(token: str) -> bool:
    return token.partition(".")[0] == current_key_id()


def _hmac(key: bytes, value: str) -> str:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(value.encode())
    return mac.finalize().hex()


def blind_index(value: str) -> str:
    """The keyed SM3 hash stored beside the ciphertext, made with the current hash key."""
    return _hmac(_hash_keys()[0][1], value)


def blind_indexes(value: str) -> list[str]:
    """Hashes of `value` under every configured hash key: what a lookup searches for."""
    return [_hmac(key, value) for _, key in _hash_keys()]
