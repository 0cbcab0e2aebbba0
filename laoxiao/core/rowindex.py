"""The first row each key (an ID number's hash, a credit code) was seen on, across a whole import file.

A dict of Python objects costs about 150 bytes an entry and scatters them over the heap between the
chunks' short-lived rows: for a 50 MB file (440,000 rows) that was the largest part of the server's
memory. Here a key is reduced to 63 bits (BLAKE2b) and kept with its row in two flat arrays, 16 bytes
an entry, found by linear probing. Two different keys in one file share 63 bits once in 10^8 files."""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Hashable


def _bits(key: Hashable) -> int:
    digest = hashlib.blake2b(f"{type(key).__name__}:{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1  # fits a signed 64-bit slot


class RowIndex:
    def __init__(self, capacity: int = 1024) -> None:
        self._keys = array("q", [0]) * capacity
        self._rows = array("q", [0]) * capacity  # 0 marks an empty slot: row numbers start at 1
        self._count = 0

    def _slot(self, bits: int) -> int:
        mask = len(self._keys) - 1
        slot = bits & mask
        while self._rows[slot] and self._keys[slot] != bits:
            slot = (slot + 1) & mask
        return slot

    def __contains__(self, key: Hashable) -> bool:
        return bool(self._rows[self._slot(_bits(key))])

    def __getitem__(self, key: Hashable) -> int:
        row = self._rows[self._slot(_bits(key))]
        if not row:
            raise KeyError(key)
        return row

    def __setitem__(self, key: Hashable, row: int) -> None:
        if row < 1:
            raise ValueError("row numbers start at 1")
        if 4 * (self._count + 1) > 3 * len(self._keys):  # kept at most three quarters full
            self._grow()
        bits = _bits(key)
        slot = self._slot(bits)
        if not self._rows[slot]:
            self._count += 1
        self._keys[slot], self._rows[slot] = bits, row

    def __len__(self) -> int:
        return self._count

    def _grow(self) -> None:
        keys, rows = self._keys, self._rows
        self._keys = array("q", [0]) * (2 * len(keys))
        self._rows = array("q", [0]) * (2 * len(rows))
        for bits, row in zip(keys, rows, strict=True):
            if row:
                slot = self._slot(bits)
                self._keys[slot], self._rows[slot] = bits, row
