"""When two written names are the same name: transliteration keys and fuzzy matching.

A Hindi article may write one name several ways (`अल्माटी` / `अलमाटी`, `कजाकिस्तान` /
`कज़ाख़स्तान`, `टोकायव` / `Tokayev`). `name_key` maps each spelling to a Latin key that ignores
what spellings of one name disagree on: nukta, chandrabindu versus anusvara, virama, vowel
length, aspiration, the inherent vowel Hindi does not pronounce (schwa deletion), and Latin
romanisation quirks (w/v, y/i, c/k, z/j, doubled letters). Latin names go through the same
fold, so `Almaty` and `अल्माटी` share a key. `same_name` adds a fuzzy match on top (rapidfuzz),
so spellings that still differ by a letter fall together while different names of similar
shape (`अल्माटी` / `अस्ताना`) do not.

`skeleton` (consonants of the key) is the blocking key: candidates for a fuzzy match are only
ever looked for among names with the same skeleton or the same first key letters, never all pairs.
"""
from __future__ import annotations

import importlib
import unicodedata
from functools import lru_cache

import regex
from rapidfuzz.distance import Indel

_DEVANAGARI = regex.compile(r"\p{Devanagari}")
_WORDS = regex.compile(r"[\p{L}\p{M}\p{N}\u200c\u200d]+")
# Spelling differences that carry no identity: nukta, chandrabindu ~ anusvara, the English
# vowels ऑ/ॅ written as plain ओ/े, joiners.
_DEVANAGARI_FOLD = str.maketrans({
    "\u093c": None, "\u200c": None, "\u200d": None,
    "\u0901": "\u0902",  # chandrabindu -> anusvara
    "\u0911": "\u0913", "\u0949": "\u094b",  # ऑ ॉ -> ओ ो
    "\u090d": "\u090f", "\u0945": "\u0947",  # ऍ ॅ -> ए े
    "\u0904": "\u090f", "\u0946": "\u0947",
})
_IAST_VOWELS = ("ai", "au", "a", "ā", "i", "ī", "u", "ū", "ṛ", "ṝ", "e", "o")
_IAST_SINGLE_CONSONANT = regex.compile(r"^(?:[kgcjṭḍtdpb]h|[kgṅcjñṭḍṇtdnpbmyrlvśṣshzfq])$")
_IAST_SYLLABLE = regex.compile(r"ai|au|[aāiīuūṛṝeo]ṃ?|[^aāiīuūṛṝeo]+")

# Folds applied to every romanisation (Devanagari-born and Latin alike), in order.
_COMMON_FOLD = [
    ("kh", "k"), ("gh", "g"), ("jh", "j"), ("th", "t"), ("dh", "d"), ("ph", "f"), ("bh", "b"),
    ("sh", "s"), ("zh", "j"), ("z", "j"), ("q", "k"), ("x", "ks"), ("w", "v"),
    ("ai", "e"), ("au", "o"), ("ee", "i"), ("oo", "u"), ("ou", "u"),
]
_Y_AS_VOWEL = regex.compile(r"y(?![aeiou])")
_DOUBLED = regex.compile(r"(.)\1+")
_VOWELS = regex.compile(r"[aeiou]")


def _schwa_deleted(iast: str) -> str:
    """Drop the inherent vowel Hindi does not pronounce: word-finally after a consonant, and in
    the middle in a V C _ C V context (right to left, never two in a row)."""
    parts = _IAST_SYLLABLE.findall(iast)
    is_vowel = [p[0] in "aāiīuūṛṝeo" for p in parts]
    if len(parts) >= 2 and parts[-1] == "a" and not is_vowel[-2]:
        parts[-1], is_vowel[-1] = "", False
    i = len(parts) - 3
    while i >= 2:
        if (parts[i] == "a" and not is_vowel[i - 1] and not is_vowel[i + 1] and is_vowel[i - 2]
                and i + 2 < len(parts) and is_vowel[i + 2]
                and _IAST_SINGLE_CONSONANT.match(parts[i - 1])
                and _IAST_SINGLE_CONSONANT.match(parts[i + 1])):
            parts[i] = ""
            i -= 3
        else:
            i -= 1
    return "".join(parts)


def _plain(s: str) -> str:
    s = s.replace("ṃ", "n").replace("ṁ", "n")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def load_transliteration() -> None:
    """Import the transliteration tables (0.2-0.3 s: its schemes are read from TOML files)."""
    importlib.import_module("indic_transliteration.sanscript")


@lru_cache(maxsize=20_000)  # bounded memory, however many words a run meets
def word_key(word: str) -> str:
    """The key of one word (see the module docstring)."""
    if _DEVANAGARI.search(word):
        folded = unicodedata.normalize("NFD", word).translate(_DEVANAGARI_FOLD)
        from indic_transliteration import sanscript  # 0.2 s to import: only when first needed

        iast = sanscript.transliterate(unicodedata.normalize("NFC", folded), sanscript.DEVANAGARI,
                                       sanscript.IAST)
        s = _plain(_schwa_deleted(iast.casefold()))
    else:
        s = _plain(word.casefold())
        s = s.replace("ch", "\x00").replace("ck", "k").replace("c", "k").replace("\x00", "c")
    for a, b in _COMMON_FOLD:
        s = s.replace(a, b)
    s = _Y_AS_VOWEL.sub("i", s)
    s = _DOUBLED.sub(r"\1", s)
    return "".join(ch for ch in s if ch.isalnum())


def name_key(name: str) -> str:
    """The key of a whole name: the keys of its words, space-separated (hyphens split words)."""
    return " ".join(k for k in (word_key(w) for w in _WORDS.findall(name)) if k)


def skeleton(key: str) -> str:
    """The consonants of a key, words run together: the blocking key for fuzzy matching."""
    return _VOWELS.sub("", key.replace(" ", ""))


def key_similarity(a: str, b: str) -> float:
    """Similarity of two keys in [0, 1] (normalised Indel, spaces ignored)."""
    return Indel.normalized_similarity(a.replace(" ", ""), b.replace(" ", ""))


def same_name(a: str, b: str) -> bool:
    """Whether two keys are spellings of one name: equal, or close enough for their length."""
    if a == b:
        return True
    a2, b2 = a.replace(" ", ""), b.replace(" ", "")
    if a2 == b2:
        return True
    shortest = min(len(a2), len(b2))
    if shortest < 4 or a2[0] != b2[0]:
        return False
    threshold = 0.86 if shortest < 7 else 0.8
    return key_similarity(a2, b2) >= threshold


def is_part_of(short: str, full: str) -> bool:
    """Whether the words of name key `short` are a part of `full`'s words (a surname or a
    first name alone, `टोकायव` in `कसीम-ज़ोमार्ट टोकायव`), matched word by word with `same_name`."""
    sw, fw = short.split(), full.split()
    if not sw or len(sw) >= len(fw):
        return False
    return all(any(same_name(s, f) for f in fw) for s in sw)
