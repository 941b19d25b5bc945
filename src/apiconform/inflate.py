"""Decoding a response body's content-coding in bounded steps.

httpx inflates each network read whole before its caller sees a byte, so one 64 KiB read of a
gzip bomb becomes some 64 MiB at once. Here a read is inflated at most `STEP` bytes at a time
(zlib's `max_length`), and the caller stops as soon as the total passes its bound: the memory a
hostile body can take is the bound plus a step, whatever its compression ratio.

Codings handled: identity, gzip (x-gzip) and deflate (zlib-wrapped, or raw as some servers send
it), also stacked (`gzip, gzip`). Anything else is `supported()` False: the caller falls back to
its usual decoder.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

#: the most a single inflation step produces
STEP = 64 * 1024
_GZIP = frozenset({"gzip", "x-gzip"})
_KNOWN = _GZIP | {"deflate", "identity", ""}


class BodyTooLarge(Exception):
    """The decoded body passed the bound."""


class InflateError(Exception):
    """The body is not what its content-coding says."""


def codings(content_encoding: str) -> list[str]:
    """The codings of a Content-Encoding value, in the order they were applied."""
    return [part.strip().lower() for part in content_encoding.split(",") if part.strip()]


def supported(content_encoding: str) -> bool:
    return all(coding in _KNOWN for coding in codings(content_encoding))


class _Inflater:
    """One coding, undone in steps of at most STEP output bytes."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self._first = True
        self._obj: zlib._Decompress | None = None
        if coding in _GZIP:
            self._obj = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif coding == "deflate":
            self._obj = None  # zlib-wrapped or raw: decided on the first bytes

    def run(self, data: bytes) -> Iterator[bytes]:
        if self.coding in ("identity", ""):
            if data:
                yield data
            return
        if self._obj is None:
            raw = not data or (data[0] & 0x0F) != 8  # a zlib header starts with CM = 8
            self._obj = zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
        pending = data
        try:
            while True:
                out = self._obj.decompress(pending, STEP)
                pending = self._obj.unconsumed_tail
                if out:
                    yield out
                if self._obj.eof or (not pending and len(out) < STEP):
                    return
        except zlib.error as exc:
            raise InflateError(f"{self.coding} body does not decode: {exc}") from None


def inflate(chunks: Iterable[bytes], content_encoding: str, limit: int) -> Iterator[bytes]:
    """The decoded body of `chunks` (raw bytes as sent), in pieces of at most STEP bytes (the
    identity coding passes chunks through). BodyTooLarge as soon as more than `limit` bytes are
    decoded; InflateError when the body does not decode. Only `supported` codings."""
    stages = [_Inflater(coding) for coding in reversed(codings(content_encoding))]
    total = 0

    def through(data: bytes, index: int) -> Iterator[bytes]:
        if index == len(stages):
            yield data
            return
        for piece in stages[index].run(data):
            yield from through(piece, index + 1)

    for chunk in chunks:
        for piece in through(chunk, 0):
            total += len(piece)
            if total > limit:
                raise BodyTooLarge(f"decoded body exceeds {limit} bytes")
            yield piece


class BoundedDecoder:
    """Decodes a body fed chunk by chunk, keeping at most `limit` decoded bytes; `result()` is
    the decoded body, or None when it passed the bound, does not decode, or has a coding this
    module does not handle. Feeding never raises."""

    def __init__(self, content_encoding: str, limit: int) -> None:
        self.limit = limit
        self._ok = supported(content_encoding)
        self._stages = [_Inflater(coding) for coding in reversed(codings(content_encoding))]
        self._kept = bytearray()

    def _through(self, data: bytes, index: int) -> Iterator[bytes]:
        if index == len(self._stages):
            yield data
            return
        for piece in self._stages[index].run(data):
            yield from self._through(piece, index + 1)

    def feed(self, chunk: bytes) -> None:
        if not self._ok:
            return
        try:
            for piece in self._through(chunk, 0):
                if len(self._kept) + len(piece) > self.limit:
                    self._ok = False
                    self._kept = bytearray()
                    return
                self._kept.extend(piece)
        except InflateError:
            self._ok = False
            self._kept = bytearray()

    def result(self) -> bytes | None:
        return bytes(self._kept) if self._ok else None
