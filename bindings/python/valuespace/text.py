"""Unicode text (``valuespace/text.h``): normalisation, word tokens and hashed n-gram features.

Text arguments are ``str`` (encoded as UTF-8) or ``bytes`` (passed as they are, so ill-formed
UTF-8 reaches the library: Utf8Error, or U+FFFD with ``replace_invalid=True``). Byte offsets
(:meth:`Tokens.span`) refer to the UTF-8 bytes of the input.
"""

from __future__ import annotations

import ctypes
from ctypes import POINTER, byref, c_int64, c_size_t, c_uint32, c_void_p
from typing import Union

from ._lib import Handle, TokensPtr, lib

__all__ = ["normalize", "tokenize", "features", "text_hash", "Tokens", "NFKC", "CASEFOLD",
           "STRIP_ACCENTS", "REPLACE_INVALID", "LUMP", "HASH_SIGNED", "MAX_NGRAM"]

NFKC = 1 << 0
CASEFOLD = 1 << 1
STRIP_ACCENTS = 1 << 2
REPLACE_INVALID = 1 << 3
LUMP = 1 << 4
HASH_SIGNED = 1 << 8
MAX_NGRAM = 3

Text = Union[str, bytes]


def _bytes(text: Text) -> bytes:
    if isinstance(text, str):
        return text.encode("utf-8", "surrogatepass")
    return bytes(text)


def _flags(flags: int, nfkc=False, casefold=False, strip_accents=False, lump=False,
           replace_invalid=False) -> int:
    return (int(flags) | (NFKC if nfkc else 0) | (CASEFOLD if casefold else 0)
            | (STRIP_ACCENTS if strip_accents else 0) | (LUMP if lump else 0)
            | (REPLACE_INVALID if replace_invalid else 0))


def normalize(text: Text, flags: int = 0, *, nfkc: bool = False, casefold: bool = False,
              strip_accents: bool = False, lump: bool = False,
              replace_invalid: bool = False) -> str:
    """NFC (or NFKC) normalisation, optionally case-folded, accent-stripped and with look-alike
    punctuation mapped to ASCII. Flags may be given as an int or as keywords."""
    data = _bytes(text)
    out = c_void_p()
    lib.vs_text_normalize(byref(out), data, len(data),
                          _flags(flags, nfkc, casefold, strip_accents, lump, replace_invalid))
    try:
        return ctypes.string_at(out).decode("utf-8")
    finally:
        lib.vs_free(out)


def text_hash(data: Text, seed: int = 0) -> int:
    """The library's stable 64-bit feature hash (FNV-1a then MurmurHash3's fmix64)."""
    b = _bytes(data)
    return lib.vs_text_hash(b, len(b), seed)


def _take_features(idx, cnt, n) -> dict:
    try:
        return {idx[k]: cnt[k] for k in range(n.value)}
    finally:
        lib.vs_free(idx)
        lib.vs_free(cnt)


def features(text: Text, max_n: int = 1, n_buckets: int = 1 << 20, seed: int = 0,
             flags: int = 0, *, signed: bool = False, nfkc: bool = False,
             casefold: bool = False, strip_accents: bool = False, lump: bool = False,
             replace_invalid: bool = False) -> dict:
    """Hashed word n-gram counts (n = 1..max_n) as {bucket: count}, buckets increasing."""
    data = _bytes(text)
    idx, cnt, n = POINTER(c_uint32)(), POINTER(c_int64)(), c_size_t()
    f = _flags(flags, nfkc, casefold, strip_accents, lump, replace_invalid)
    lib.vs_text_features(byref(idx), byref(cnt), byref(n), data, len(data),
                         f | (HASH_SIGNED if signed else 0), max_n, n_buckets, seed)
    return _take_features(idx, cnt, n)


class Tokens(Handle):
    """The words of a text (immutable): a sequence of normalised token strings with their
    byte spans in the input. Create with :func:`tokenize`."""

    _free_name = "vs_tokens_free"
    _kind = "tokens"
    _shared = True  # immutable after creation

    def __init__(self, text: Text, flags: int = 0) -> None:
        data = _bytes(text)
        out = TokensPtr()
        lib.vs_text_tokenize(byref(out), data, len(data), int(flags))
        Handle.__init__(self, out)

    def __len__(self) -> int:
        with self._use() as p:
            return lib.vs_tokens_count(p)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return self.tolist()[i]
        with self._use() as p:
            n = lib.vs_tokens_count(p)
            if i < 0:
                i += n
            if not 0 <= i < n:
                raise IndexError("token index out of range")
            return lib.vs_tokens_get(p, i)

    def tolist(self) -> list:
        with self._use() as p:
            return [lib.vs_tokens_get(p, i) for i in range(lib.vs_tokens_count(p))]

    def __iter__(self):
        return iter(self.tolist())

    def span(self, i: int) -> tuple[int, int]:
        """Byte offsets [start, end) of token i in the UTF-8 input."""
        start, end = c_size_t(), c_size_t()
        with self._use() as p:
            lib.vs_tokens_span(byref(start), byref(end), p, i)
        return start.value, end.value

    def spans(self) -> list:
        return [self.span(i) for i in range(len(self))]

    def byte_length(self, i: int) -> int:
        with self._use() as p:
            return lib.vs_tokens_length(p, i)

    def features(self, max_n: int = 1, n_buckets: int = 1 << 20, seed: int = 0, *,
                 signed: bool = False) -> dict:
        """Hashed n-gram counts of these tokens, as features()."""
        idx, cnt, n = POINTER(c_uint32)(), POINTER(c_int64)(), c_size_t()
        with self._use() as p:
            lib.vs_tokens_features(byref(idx), byref(cnt), byref(n), p,
                                   HASH_SIGNED if signed else 0, max_n, n_buckets, seed)
        return _take_features(idx, cnt, n)

    def __repr__(self) -> str:
        return "<valuespace.Tokens (closed)>" if self.closed else f"<valuespace.Tokens {self.tolist()!r}>"


def tokenize(text: Text, flags: int = 0, *, nfkc: bool = False, casefold: bool = False,
             strip_accents: bool = False, lump: bool = False,
             replace_invalid: bool = False) -> Tokens:
    """Splits text into words (letters and digits, joined by apostrophes and hyphens) and
    normalises each; see text.h for the exact rule."""
    return Tokens(text, _flags(flags, nfkc, casefold, strip_accents, lump, replace_invalid))
