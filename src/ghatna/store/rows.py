"""How records become rows and back, the same for every SQL store (sqlite.py, postgres.py)."""
from __future__ import annotations

import json
from array import array
from collections.abc import Iterable
from typing import Any

from ..schema import DocAnalysis, Event

DOCUMENT_COLUMNS = ("id", "name", "source", "url", "title", "date", "lang", "text",
                    "near_duplicate_of", "near_duplicate_score")
LISTED_DOCUMENT_COLUMNS = tuple(c for c in DOCUMENT_COLUMNS if c != "text")
ENTITY_COLUMNS = ("id", "name", "label", "kb_id", "lat", "lon", "country_code", "mentions")


def pack_signature(signature: list[int]) -> bytes:
    return array("Q", signature).tobytes()


def unpack_signature(blob: bytes) -> list[int]:
    a = array("Q")
    a.frombytes(bytes(blob))
    return a.tolist()


def best_near_duplicate(rows: Iterable[tuple[str, bytes]], signature: list[int],
                        threshold: float) -> tuple[str, float] | None:
    """Of (doc id, packed signature) rows, the most similar at or above `threshold`."""
    from ..ingest import estimated_jaccard

    best: tuple[str, float] | None = None
    for doc_id, blob in rows:
        score = estimated_jaccard(signature, unpack_signature(blob))
        if score >= threshold and (best is None or score > best[1]):
            best = (doc_id, score)
    return best


def analysis_json(analysis: DocAnalysis) -> str:
    """The stored analysis: its JSON without the text (kept once, in documents)."""
    payload = analysis.to_json()
    del payload["text"]
    return json.dumps(payload, ensure_ascii=False)


def analysis_from(stored: str, text: str) -> DocAnalysis:
    payload = json.loads(stored)
    payload["text"] = text
    return DocAnalysis.from_json(payload)


def event_json(event: Event) -> str:
    return json.dumps(event.to_json(), ensure_ascii=False)


def claim_json(claim: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in claim.items() if k != "_seq"}, ensure_ascii=False)


def entity_records(rows: Iterable[tuple], variant_rows: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """Entity dicts from ENTITY_COLUMNS rows and (entity id, variant) rows in variant order."""
    variants: dict[str, list[str]] = {}
    for eid, v in variant_rows:
        variants.setdefault(eid, []).append(v)
    out = []
    for row in rows:
        record = dict(zip(ENTITY_COLUMNS, row))
        record["variants"] = variants.get(record["id"], [])
        out.append({k: record[k] for k in ("id", "name", "label", "variants", "kb_id", "lat", "lon",
                                           "country_code", "mentions")})
    return out
