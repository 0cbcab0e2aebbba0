"""Personal identifiers at rest: SM4-GCM ciphertext plus an HMAC-SM3 keyed hash to find by exact value.

Keys come from the environment (LAOXIAO_SM4_KEYS, LAOXIAO_HASH_KEYS) as "id:hex,id:hex"; the first key
of each list is current. Ciphertext carries the id of the key that made it, so older keys keep
decrypting until `laoxiao rotate-keys` has re-encrypted everything; lookups hash with every hash key
so a record stays findable while rotation runs.
"""

from __future__ import annotations

import base64
import os
from functools import cache

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12
TAG_BYTES = 16


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


def seal_raw(data: bytes) -> tuple[str, bytearray]:
    """(current key id, nonce | ciphertext | tag), encrypted into one buffer: a 50 MB upload is held
    twice at most, not four times over through base64 and string copies."""
    key_id, key = _cipher_keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    out = bytearray(NONCE_BYTES + len(data) + 15 + TAG_BYTES)  # update_into wants a block's slack
    out[:NONCE_BYTES] = nonce
    written = encryptor.update_into(data, memoryview(out)[NONCE_BYTES:])
    encryptor.finalize()
    end = NONCE_BYTES + written
    out[end : end + TAG_BYTES] = encryptor.tag
    del out[end + TAG_BYTES :]
    return key_id, out


def unseal_raw(key_id: str, sealed: bytes | bytearray | memoryview) -> bytes:
    keys = dict(_cipher_keys())
    if key_id not in keys:
        raise ImproperlyConfigured(f"SM4 key {key_id!r} is no longer configured; it is needed to decrypt")
    view = memoryview(sealed)
    nonce, body, tag = view[:NONCE_BYTES], view[NONCE_BYTES:-TAG_BYTES], view[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(keys[key_id]), modes.GCM(bytes(nonce), bytes(tag))).decryptor()
    return decryptor.update(body) + decryptor.finalize()


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
