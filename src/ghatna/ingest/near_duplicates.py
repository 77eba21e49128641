"""Which documents are near-copies of each other: MinHash signatures and LSH blocking keys.

A signature is 128 MinHash values over the word 3-gram shingles of a document's NFC text
(tokens: runs of letters, marks and digits -- `\\p{M}` matters, Python's `\\w` misses Devanagari
vowel signs; case-folded, digits of any script as ASCII). It is deterministic across processes
and machines (fixed seed, SHA-1 based hashing), so signatures can be stored and compared later.
The permutations are the classic universal hashes (a·h + b) mod (2^61 - 1), truncated to 32 bits,
computed with numpy in blocks so a 20 MB document needs no more memory than a short one.

`lsh_bands` cuts a signature into 16 bands of 8 rows; two documents sharing any band key are
candidates (probability ~0.95 at Jaccard 0.8, ~0.06 at 0.5), confirmed with `estimated_jaccard`
against `NEAR_DUPLICATE_THRESHOLD`.
"""
from __future__ import annotations

import hashlib
import struct

import numpy as np

from ..schema import nfc
from ..text import tokenize, word_norms

__all__ = ["NEAR_DUPLICATE_THRESHOLD", "NUM_PERM", "BANDS", "ROWS", "SEED", "shingles",
           "minhash_signature", "lsh_bands", "estimated_jaccard", "estimated_jaccards"]

NEAR_DUPLICATE_THRESHOLD = 0.8
NUM_PERM = 128
BANDS = 16
ROWS = 8
SEED = 1
SHINGLE_SIZE = 3
_EMPTY = (1 << 32) - 1  # the value of a position no shingle reached
_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64(_EMPTY)
_TOP = np.uint64(61)
_BLOCK = 128  # shingles permuted at a time (128 x 128 values: 128 KB, in cache)

_rng = np.random.RandomState(SEED)  # fixed generator: the same permutations everywhere, forever
_A = _rng.randint(1, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)
_B = _rng.randint(0, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)

assert BANDS * ROWS == NUM_PERM


def shingles(text: str) -> set[str]:
    """The word 3-grams of the NFC text (a text of 1-2 words is one shingle; no words, none)."""
    return shingles_of(word_norms(tokenize(nfc(text))))


def shingles_of(words: list[str]) -> set[str]:
    if len(words) < SHINGLE_SIZE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + SHINGLE_SIZE]) for i in range(len(words) - SHINGLE_SIZE + 1)}


def minhash_signature(text: str, words: list[str] | None = None) -> list[int]:
    """128 MinHash values (ints < 2**32) of the text's word 3-gram shingles (`words`: the text's
    normalised words when the caller has already tokenised it)."""
    sh = list(shingles_of(words) if words is not None else shingles(text))  # any order: a minimum
    result = np.full(NUM_PERM, _MAX_HASH, dtype=np.uint64)
    sha1, first4 = hashlib.sha1, int.from_bytes
    hashes = np.array([first4(sha1(s.encode("utf-8")).digest()[:4], "little") for s in sh], dtype=np.uint64)
    for i in range(0, len(hashes), _BLOCK):
        np.minimum(result, _permuted(hashes[i:i + _BLOCK]).min(axis=0), out=result)
    return result.tolist()


def _permuted(hashes: np.ndarray) -> np.ndarray:
    """Each of the 128 permutations of each shingle hash: (a·h + b) mod (2^61 − 1), its low 32
    bits (a shingles x 128 array; computed in place, in blocks small enough to stay in cache)."""
    v = np.empty((len(hashes), NUM_PERM), dtype=np.uint64)
    top = np.empty_like(v)
    np.multiply(hashes[:, None], _A, out=v)  # the products wrap modulo 2^64 by design
    v += _B
    # v mod (2^61 - 1) without a division: 2^61 is 1 modulo it, so the top three bits add to
    # the rest, and what then reaches 2^61 - 1 or more (one value in 2^58) takes it away once
    np.right_shift(v, _TOP, out=top)
    v &= _MERSENNE
    v += top
    if v.max(initial=0) >= _MERSENNE:
        v -= _MERSENNE * (v >= _MERSENNE)
    return v.view(np.uint32)[:, ::2] if np.little_endian else v & _MAX_HASH  # the low 32 bits


def _is_empty(signature: list[int]) -> bool:
    return all(v == _EMPTY for v in signature)


def lsh_bands(signature: list[int]) -> list[str]:
    """16 blocking keys "b{i}:{hex}", one per band of 8 values; none for an empty text's signature."""
    if len(signature) != NUM_PERM:
        raise ValueError(f"signature has {len(signature)} values, expected {NUM_PERM}")
    if _is_empty(signature):
        return []
    keys = []
    for i in range(BANDS):
        band = signature[i * ROWS:(i + 1) * ROWS]
        digest = hashlib.blake2b(struct.pack(f"<{ROWS}I", *band), digest_size=8).hexdigest()
        keys.append(f"b{i}:{digest}")
    return keys


def estimated_jaccards(signature: list[int], others: np.ndarray) -> np.ndarray:
    """`estimated_jaccard` of one signature against each row of `others` (a candidates x 128
    array), all at once."""
    mine = np.asarray(signature, dtype=np.uint64)
    if others.shape[1:] != mine.shape:
        raise ValueError(f"signatures differ in length ({len(mine)} vs {others.shape[1:]})")
    if not len(mine) or _is_empty(signature):
        return np.zeros(len(others))
    scores = (others == mine).sum(axis=1) / len(mine)
    scores[(others == _EMPTY).all(axis=1)] = 0.0  # a text with no words matches nothing
    return scores


def estimated_jaccard(a: list[int], b: list[int]) -> float:
    """The share of positions where the signatures agree (0.0 if either text had no words)."""
    if len(a) != len(b):
        raise ValueError(f"signatures differ in length ({len(a)} vs {len(b)})")
    if not a or _is_empty(a) or _is_empty(b):
        return 0.0
    return sum(1 for x, y in zip(a, b) if x == y) / len(a)
