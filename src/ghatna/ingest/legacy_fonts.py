"""Text typed in a legacy font encoding: ASCII or Latin-1 characters that a font (KrutiDev,
Chanakya) draws as Devanagari. Read as Unicode it is gibberish (`ljdkj us dgk` for सरकार ने
कहा), so such a document is reported, never analysed.

The evidence is data: each language pack's `legacy_fonts.tsv` lists its commonest words as those
fonts spell them. Function words make up a fifth or more of any news text, so a text in which
they are frequent, and whose letters are mostly not in the pack's own script, is in that
encoding; ordinary English or Hindi text almost never spells them this way.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cache

from ..langs import available_packs, load_pack
from ..text import script_profile

__all__ = ["legacy_font", "legacy_font_of_chunks"]

MIN_FORMS = 3  # different legacy-font words needed, however short the text ("us" alone is English)
MIN_SHARE = 0.08  # ... and their share of the text's words
SAMPLE_WORDS = 2000  # words looked at (the start of the text decides)
SAMPLE_CHARS = 4000  # characters whose scripts are counted (script_profile's sample)


@cache
def _forms() -> dict[str, tuple[str, frozenset[str]]]:
    """Legacy-font spelling -> (encoding name, the scripts of the pack it spells)."""
    out: dict[str, tuple[str, frozenset[str]]] = {}
    for code in available_packs():
        pack = load_pack(code)
        if "legacy_fonts.tsv" not in pack.tables():
            continue
        for row in pack.table("legacy_fonts.tsv"):
            out[row["form"]] = (row["encoding"], frozenset(pack.scripts))
    return out


def legacy_font(text: str) -> str | None:
    """The legacy font encoding the text is typed in ("KrutiDev"), or None for real Unicode."""
    forms = _forms()
    words = text.split(maxsplit=SAMPLE_WORDS)[:SAMPLE_WORDS]
    hits = Counter(forms[w] for w in words if w in forms)
    if not hits:
        return None
    (encoding, scripts), n = hits.most_common(1)[0]
    distinct = {w for w in words if forms.get(w) == (encoding, scripts)}
    if len(distinct) < MIN_FORMS or n < MIN_SHARE * len(words):
        return None
    profile = script_profile(text, SAMPLE_CHARS)
    native = sum(profile.get(s, 0) for s in scripts)
    return encoding if native < 0.2 * sum(profile.values()) else None


def legacy_font_of_chunks(chunks: Iterable[str]) -> str | None:
    """`legacy_font` of the text the chunks make up, read only as far as its decision looks:
    SAMPLE_CHARS characters and SAMPLE_WORDS whole words."""
    head = ""
    for chunk in chunks:
        head += chunk
        if len(head) >= SAMPLE_CHARS and len(head.split(maxsplit=SAMPLE_WORDS)) > SAMPLE_WORDS:
            break
    return legacy_font(head)
