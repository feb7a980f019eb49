"""Run-wide rule state in flat memory: fixed-size keys, a bounded cache, and the rest spilled to temporary files.

A rule that remembers every line of a run (``duplicate.line-item``) or every timekeeper's
day (``time.daily-hours``) would otherwise grow with the run: 1M line items kept over
600 MB of keys. Here each key is a 16-byte BLAKE2b digest of its canonical text; at
most ``capacity`` entries stay in memory, the least recently used spilling in batches
to sorted runs on disk (``ledes.rules.sortedruns``, temporary files removed when the run
ends); a Bloom filter of the spilled keys answers "never spilled" for a new key without
reading them. Memory is the cache, the filter and the runs' small indexes, whatever the
length of the run. The maps alive in a thread share one filter, made on the first spill
of any of them: a map that first spills late in a run adds no step to its memory. A rule
asks for an invoice's keys at once (``digests``, ``get_many``, ``set_many``): one
comprehension or C iterator a step instead of a few Python calls a line.
"""

from __future__ import annotations

import collections
import itertools
import marshal
import struct
import threading
import weakref
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import IO, Any, Generic, TypeVar, cast

from ledes.rules.sortedruns import SortedRuns

try:  # hashlib's blake2b is _blake2's; importing hashlib also loads OpenSSL (libcrypto): 11 M instructions of start-up
    from _blake2 import blake2b
except ImportError:  # an interpreter without the _blake2 module
    from hashlib import blake2b

Value = TypeVar("Value")

CAPACITY = 2_048  # entries in memory per map: full (so memory flat) a few thousand lines into a run
PER_LINE = 4  # times more for a map with a key per line (runs four times as long: fewer to merge, a tier less)
SPILL_SHARE = 2  # the least recently used half of a full cache spills as one run (a quarter: 30 % more merging)
_FILTER_BITS = 1 << 25  # 4 MiB: about 1 false "maybe" in 1,000 at 1.5M spilled keys of all maps (4 probes)
_MASK = _FILTER_BITS - 1
_MISSING = object()


def digest(key: tuple[Hashable, ...]) -> bytes:
    """A fixed-size key: the digest of the key's text (the caller's key spells equal values alike).

    A key of strings, integers and None is written by ``marshal`` (format 2: by value, never
    by reference to an equal object met before), a third of the cost of its ``repr``; any
    other key by its ``repr``. A one-byte mark of the way keeps the two apart.
    """
    try:
        text = b"m" + marshal.dumps(cast(Any, key), 2)
    except ValueError:  # a value marshal does not write (a date, a Decimal)
        text = b"r" + repr(key).encode("utf-8", "backslashreplace")
    return blake2b(text, digest_size=16).digest()


def digests(keys: Iterable[tuple[Hashable, ...]]) -> list[bytes]:
    """``digest`` of each key, in one comprehension (no Python call a key) when marshal writes them all."""
    keys = list(keys)
    try:
        return [_blake2b(b"m" + _dumps(cast(Any, key), 2), digest_size=16).digest() for key in keys]
    except ValueError:
        return list(map(digest, keys))


_blake2b, _dumps = blake2b, marshal.dumps


class _Filter:
    """The Bloom filter's bits (a weakly referenceable holder, shared by the maps of a thread)."""

    __slots__ = ("__weakref__", "bits")

    def __init__(self) -> None:
        self.bits = bytearray(_FILTER_BITS // 8)


_shared = threading.local()


def _shared_filter() -> _Filter:
    """The filter the spilling maps alive in this thread share; a new one once they are all gone.

    Another map's keys only make a "maybe" more likely, never a "no" wrong, and a new filter
    starts empty once no map holds the last one, so runs after it start clean.
    """
    held: weakref.ref[_Filter] | None = getattr(_shared, "filter", None)
    found = held() if held is not None else None
    if found is None:
        found = _Filter()
        _shared.filter = weakref.ref(found)
    return found


class SpillingMap(Generic[Value]):
    """A map from ``digest()`` keys to values for one run, in bounded memory (see the module's docstring).

    ``encode`` and ``decode`` turn a value into one line of ASCII text for the store and
    back; values live decoded in the cache. A ``per_line`` map (a key for most lines of a
    run) keeps ``PER_LINE`` times ``CAPACITY`` entries. ``spilled`` and ``queries`` count
    the store's work, for tests.
    """

    def __init__(self, encode: Callable[[Value], str], decode: Callable[[str], Value],
                 capacity: int | None = None, per_line: bool = False) -> None:
        self.encode, self.decode = encode, decode
        self.capacity = capacity if capacity is not None else CAPACITY * PER_LINE if per_line else CAPACITY
        self.cache: dict[bytes, Value] = {}
        self.filter: bytearray | None = None  # the shared filter's bits, from the first spill
        self._holder: _Filter | None = None
        self.store: SortedRuns | None = None  # made on the first spill
        self.spilled = self.queries = 0

    def get(self, key: bytes, default: Any = None) -> Any:
        """The value of ``key``, or ``default`` when the run has not set it."""
        cache = self.cache
        value = cache.get(key, _MISSING)
        if value is not _MISSING:
            return value
        if self.store is None or not self._maybe_spilled(key):
            return default
        self.queries += 1
        text = self.store.get(key)
        if text is None:
            return default
        found = cache[key] = self.decode(text)
        self._bound()
        return found

    def get_many(self, keys: Sequence[bytes], default: Any = None) -> list[Any]:
        """``get`` of each key, in order: the cache and the filter are asked for all of them at once."""
        found = list(map(self.cache.get, keys, itertools.repeat(_MISSING)))
        if self.store is not None:
            absent = [index for index, value in enumerate(found) if value is _MISSING]
            for index in itertools.compress(absent, self._maybe_spilled_many([keys[index] for index in absent])):
                found[index] = self.get(keys[index], _MISSING)
        return [default if value is _MISSING else value for value in found]

    def set(self, key: bytes, value: Value) -> None:
        """Set ``key``'s value (the store's copy, if any, is replaced when the key spills again)."""
        cache = self.cache
        cache.pop(key, None)  # to the end: the most recently used
        cache[key] = value
        if len(cache) > self.capacity:
            self._bound()

    def set_many(self, entries: Sequence[tuple[bytes, Value]]) -> None:
        """``set`` of each entry, in order, at once."""
        cache = self.cache
        collections.deque(map(cache.pop, [key for key, _ in entries], itertools.repeat(None)), maxlen=0)
        cache.update(entries)
        self._bound()

    def close(self) -> None:
        """Remove the temporary files."""
        if self.store is not None:
            self.store.close()
            self.store = None

    def _bound(self) -> None:
        """While the cache is over capacity, spill its least recently used part (``SPILL_SHARE``) as one run."""
        cache = self.cache
        while len(cache) > self.capacity:
            if self.store is None:
                self.store = SortedRuns()
                self._holder = _shared_filter()
                self.filter = self._holder.bits
            oldest = list(itertools.islice(cache, max(self.capacity // SPILL_SHARE, 1)))
            self.store.add(list(zip(oldest, map(self.encode, map(cache.pop, oldest)), strict=True)))
            self.spilled += len(oldest)
            bits = self.filter
            assert bits is not None
            # A key's four probes are its four 32-bit little-endian words, masked (as _maybe_spilled reads them).
            for word in struct.unpack(f"<{4 * len(oldest)}I", b"".join(oldest)):
                position = word & _MASK
                bits[position >> 3] |= 1 << (position & 7)

    def _maybe_spilled(self, key: bytes) -> bool:
        """Whether ``key`` may have spilled: its four bits (from four slices of the digest) are all set."""
        bits = self.filter
        assert bits is not None
        whole = int.from_bytes(key, "little")  # a new key's first probe usually finds its bit clear: test in turn
        position = whole & _MASK
        if not bits[position >> 3] & (1 << (position & 7)):
            return False
        position = (whole >> 32) & _MASK
        if not bits[position >> 3] & (1 << (position & 7)):
            return False
        position = (whole >> 64) & _MASK
        if not bits[position >> 3] & (1 << (position & 7)):
            return False
        position = (whole >> 96) & _MASK
        return bool(bits[position >> 3] & (1 << (position & 7)))

    def _maybe_spilled_many(self, keys: list[bytes]) -> list[bool]:
        """``_maybe_spilled`` of each key (its first probe, usually clear for a new key, tested inline)."""
        bits = self.filter
        assert bits is not None
        maybe = self._maybe_spilled
        found = []
        for key, word in zip(keys, struct.unpack(f"<{4 * len(keys)}I", b"".join(keys))[::4], strict=True):
            position = word & _MASK
            found.append(bool(bits[position >> 3] & (1 << (position & 7))) and maybe(key))
        return found


class Journal(Generic[Value]):
    """Records a run writes once and reads back once at its end, in order: pickled to a temporary file, not held.

    For what a rule's ``finish`` reports from (each day over ``time.daily-hours``' limit,
    one a finding): memory is the file's buffer, however many there are.
    """

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None  # made on the first record

    def append(self, record: Value) -> None:
        import pickle  # only a run with a finding to keep needs it

        if self._file is None:
            import tempfile

            self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        pickle.dump(record, self._file, pickle.HIGHEST_PROTOCOL)

    def __iter__(self) -> Iterator[Value]:
        """The records in the order they were written."""
        if self._file is None:
            return
        import pickle

        self._file.seek(0)
        while True:
            try:
                yield pickle.load(self._file)
            except EOFError:
                return

    def close(self) -> None:
        """Remove the temporary file."""
        if self._file is not None:
            self._file.close()
            self._file = None
