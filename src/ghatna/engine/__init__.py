"""Executors of the map phase. Each turns a stream of documents into (document, MapResult) pairs
in input order with bounded memory; the pipeline does not care which one ran them."""
from __future__ import annotations

from dataclasses import dataclass

from ..analyse import analyse
from ..ingest import lsh_bands, minhash_signature
from ..schema import DocAnalysis, Document
from ..text import word_norms


@dataclass
class MapResult:
    analysis: DocAnalysis
    signature: list[int]
    bands: list[str]


def map_document(document: Document, lang: str | None) -> MapResult:
    """Everything per-document and pure: the analysis and the near-duplicate signature."""
    analysis = analyse(document, lang)
    signature = minhash_signature(analysis.text, word_norms(analysis.tokens))
    analysis.tokens = []  # internal to the map phase: not stored, and costly to ship between processes
    return MapResult(analysis, signature, lsh_bands(signature))
