"""Hostile text for the extractors: hypothesis strategies shared by tests/test_fuzz.py and
bench/fuzz.py.

Random Unicode alone rarely reaches an extractor's inner code (no trigger word, no number, no
month), so texts are built from pieces: words and whole example sentences of the language pack's
own tables (which do trigger every extractor), glued with pathological punctuation, digits of
other scripts, stray combining marks and joiners, other scripts' letters and arbitrary Unicode.
"""
from __future__ import annotations

from functools import cache

from hypothesis import strategies as st

from ghatna.langs import available_packs, load_pack

PUNCTUATION = list("।॥?!.,;:-–—…\"'“”‘’()[]{}«»/\\|*#@%&+=<>~^_`") + ["।।", "...", "?!", "॰", "॥॥"]
DIGITS = list("0123456789०१२३४५६७८९০১২৩৪৫৬৭৮৯٠١٢٣٤٥٦٧٨٩")
MARKS = ["\u093c", "\u094d", "\u0902", "\u0901", "\u093e", "\u0947", "\u0300", "\u200c", "\u200d",
         "\ufeff", "\u00ad", "\u200b", "\u2028", "\u2029", "\x85", "\r", "\t", "\x0b", "\x0c"]
OTHER_SCRIPTS = ["Almaty", "CSTO", "U.S.A.", "J.", "Алматы", "القاهرة", "ঢাকা", "ਪੰਜਾਬ", "北京",
                 "ⅻ", "½", "²", "𝟘𝟙", "🙂", "Dr.", "e.g.", "3.5", "1,50,000", "2022-01-05"]
_REGEX_SYNTAX = set("\\{}()[]|?*+^$")
SEPARATORS = [" ", " ", " ", "", "\n", "\n\n", "  ", "। ", ", ", "\u200c", "-"]


@cache
def pack_words() -> tuple[list[str], list[str]]:
    """(words, sentences) from every `example` and pattern-free cell of every pack table."""
    words: set[str] = set()
    sentences: set[str] = set()
    for code in available_packs():
        pack = load_pack(code)
        for table in pack.tables():
            for row in pack.table(table):
                example = row.get("example", "")
                if example:
                    sentences.add(example)
                    words.update(example.split())
                for key, cell in row.items():
                    if key not in ("example", "_line") and not _REGEX_SYNTAX.intersection(cell):
                        words.update(cell.split())
    return sorted(words), sorted(sentences)


@cache
def piece() -> st.SearchStrategy[str]:
    """One piece of a hostile text (built once: hypothesis labels big sampled lists slowly)."""
    words, sentences = pack_words()
    return st.one_of(
        st.sampled_from(words),
        st.sampled_from(words),
        st.sampled_from(sentences),
        st.sampled_from(PUNCTUATION),
        st.lists(st.sampled_from(PUNCTUATION), min_size=2, max_size=12).map("".join),
        st.lists(st.sampled_from(DIGITS), min_size=1, max_size=8).map("".join),
        st.sampled_from(MARKS),
        st.sampled_from(OTHER_SCRIPTS),
        st.text(max_size=6),
        st.characters(min_codepoint=0x0900, max_codepoint=0x097F).map(str),
    )


@st.composite
def hostile_texts(draw: st.DrawFn, max_pieces: int = 40) -> str:
    """A text of pack words, example sentences and junk, joined by random separators."""
    parts = draw(st.lists(st.tuples(piece(), _SEPARATOR), max_size=max_pieces))
    return "".join(p + sep for p, sep in parts)


def texts() -> st.SearchStrategy[str]:
    """Arbitrary Unicode, mixed-script pack text, and a sentence-per-line article of it."""
    return st.one_of(
        st.text(max_size=200),
        hostile_texts(),
        st.lists(hostile_texts(max_pieces=12), min_size=1, max_size=6).map("\n".join),
    )


_SEPARATOR = st.sampled_from(SEPARATORS)
DATES = st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()))
