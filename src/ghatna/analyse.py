"""The map phase: `analyse(document) -> DocAnalysis`, a pure function of one document and its
language pack (no store, no network, no globals that change), run in-process, in a process pool
or on Dask workers alike.

It runs an ordered list of extractors over one `DocAnalysis`; each adds its own spans. The order
matters: time expressions first (events take their dates from them), then entities and
quantities (event roles are filled from them), then events, then claims.
"""
from __future__ import annotations

from collections.abc import Callable

from .extract import claims, entities, events, quantities, timex
from .langs import DEFAULT_LANG, LanguagePack, UnknownLanguage, detect_language, load_pack
from .schema import DocAnalysis, Document
from .text import split_sentences, tokenize

Extractor = Callable[[DocAnalysis, LanguagePack], None]

# Filled in as the extractors land (extract/timex.py, entities.py, quantities.py, events.py,
# claims.py); until then their lists stay empty rather than holding made-up output.
EXTRACTORS: list[Extractor] = [timex.extract, entities.extract, quantities.extract, events.extract, claims.extract]


def resolve_language(text: str, lang: str | None) -> tuple[str, LanguagePack | None]:
    """The language code to report and the pack to use. `None`/"auto" detects from the script;
    a detected language with no pack gets sentence splitting only."""
    if lang in (None, "", "auto"):
        detected = detect_language(text)
        if detected is None:
            return "und", None
        lang = detected
    try:
        return lang, load_pack(lang)
    except UnknownLanguage:
        return lang, None


def prepare(document: Document, lang: str | None = None) -> tuple[DocAnalysis, LanguagePack | None]:
    """The analysis before any extractor ran (text, sentences, tokens), and the pack to use."""
    text = document.nfc_text()
    code, pack = resolve_language(text, lang if lang is not None else document.lang)
    analysis = DocAnalysis(id=document.record_id if document.record_id is not None else document.id,
                           lang=code, date=document.date, text=text)
    analysis.sentences = split_sentences(text, pack.abbreviations if pack else ())
    analysis.tokens = tokenize(text)
    return analysis, pack


def analyse(document: Document, lang: str | None = None) -> DocAnalysis:
    """Analyse one document. `lang` overrides the document's own language ("auto" detects)."""
    analysis, pack = prepare(document, lang)
    if pack is not None:
        for extract in EXTRACTORS:
            extract(analysis, pack)
    return analysis


def analyse_text(text: str, *, id: str | None = None, date: str | None = None,
                 lang: str | None = DEFAULT_LANG) -> DocAnalysis:
    """`ghatna tag` on a string: the annotation object for one text."""
    doc = Document(text=text, name=id or "-", source="-", date=date, record_id=id)
    result = analyse(doc, lang)
    result.id = id
    return result
