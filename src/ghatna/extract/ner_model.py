"""Which tokens of a sentence are a person, an organisation or a place, by a statistical model:
a linear-chain CRF (CRFsuite) over word, affix, shape, context and name-list features.

The model is trained by scripts/train_ner.py on IL-NER Hindi (Bahad et al., NAACL SRW 2024,
CC-BY-4.0) and committed as langs/<code>/ner/model.bin; it runs on one CPU core and loads in
milliseconds. `features` is shared by training and tagging, so the two cannot drift.
"""
from __future__ import annotations

from functools import cache
from importlib import resources

import pycrfsuite
import regex

from ..langs import LanguagePack
from .known_names import KnownNames, fold

LABELS = ("PER", "LOC", "ORG")
_LATIN = regex.compile(r"^\p{Latin}")
_DEVANAGARI = regex.compile(r"^\p{Devanagari}")


def _shape(w: str) -> str:
    if w[0].isdigit():
        return "num"
    if _DEVANAGARI.match(w):
        return "deva"
    if _LATIN.match(w):
        if w.isupper() and len(w) > 1:
            return "LAT"
        return "Lat" if w[0].isupper() else "lat"
    return "punct" if len(w) == 1 else "other"


def features(words: list[str], names: KnownNames) -> list[list[str]]:
    """The CRF features of every token of one sentence."""
    folded = [fold(w) for w in words]
    known = names.scan(folded)
    n = len(words)
    shapes = [_shape(w) for w in words]
    out = []
    for i, w in enumerate(folded):
        prev = folded[i - 1] if i > 0 else "<s>"
        prev2 = folded[i - 2] if i > 1 else "<s>"
        nxt = folded[i + 1] if i + 1 < n else "</s>"
        nxt2 = folded[i + 2] if i + 2 < n else "</s>"
        f = [
            "b", "w=" + w, "s1=" + w[-1:], "s2=" + w[-2:], "s3=" + w[-3:], "p2=" + w[:2], "p3=" + w[:3],
            "sh=" + shapes[i], "len=" + str(min(len(w), 8)),
            "w-1=" + prev, "w+1=" + nxt, "w-2=" + prev2, "w+2=" + nxt2,
            "w-1w=" + prev + "|" + w, "ww+1=" + w + "|" + nxt, "w+1w+2=" + nxt + "|" + nxt2,
            "s2+1=" + nxt[-2:], "s2-1=" + prev[-2:],
            "sh-1=" + (shapes[i - 1] if i > 0 else "<s>"), "sh+1=" + (shapes[i + 1] if i + 1 < n else "</s>"),
            "k=" + known[i], "k-1=" + (known[i - 1] if i > 0 else "<s>"),
            "k+1=" + (known[i + 1] if i + 1 < n else "</s>"),
        ]
        if i == 0:
            f.append("BOS")
        if i + 1 == n:
            f.append("EOS")
        out.append(f)
    return out


def spans_of(tags: list[str]) -> list[tuple[int, int, str]]:
    """(first token, end token, label) of each BIO span; a stray I- starts a span."""
    spans, start, label = [], None, None
    for i, t in enumerate([*tags, "O"]):
        if t.startswith("I-") and label == t[2:]:
            continue
        if start is not None:
            spans.append((start, i, label))
            start, label = None, None
        if t.startswith(("B-", "I-")):
            start, label = i, t[2:]
    return spans


class NerModel:
    def __init__(self, path: str, names: KnownNames) -> None:
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(path)
        self.names = names

    def tag(self, words: list[str]) -> list[str]:
        if not words:
            return []
        return self.tagger.tag(features(words, self.names))


@cache
def ner_model(pack: LanguagePack) -> NerModel | None:
    """The pack's trained model, or None for a pack that has none."""
    from .known_names import known_names

    path = resources.files("ghatna.langs").joinpath(pack.code, "ner", "model.bin")
    if not path.is_file():
        return None
    return NerModel(str(path), known_names(pack))
