"""Claims and quantities against the gold of the multi-article stories (../shared/data/stories-hi).

    .venv/bin/python bench/claims.py [--show]

Claims: a gold claim (speaker, verbatim sentence) is found when a claim lies inside that
sentence; its speaker matches when the found speaker's text contains one of the gold speaker's
surface forms (from the gold entities) or is contained in one. Quantities: per story, the set of
(kind, value) the extractor reports (kind other left out) against the stated quantities of the
gold events, precision and recall by kind.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from ghatna.analyse import analyse_text

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "stories-hi"
KINDS = ("dead", "injured", "arrested", "participants", "troops", "money")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", action="store_true", help="print every gold claim and what was found")
    args = ap.parse_args()
    golds = sorted(DATA.glob("*.gold.json"))
    if not golds:
        print(f"no stories under {DATA}", file=sys.stderr)
        return 1
    n_gold = n_sent = n_speaker = n_found = n_found_in_gold = 0
    q_tp, q_fp, q_fn = Counter(), Counter(), Counter()
    for gold_path in golds:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        forms = {e["canonical"]: [e["canonical"], *e.get("variants", [])] for e in gold.get("entities", [])}
        found_q: set[tuple[str, float]] = set()
        for doc in gold["documents"]:
            text = (DATA / doc["file"]).read_text(encoding="utf-8")
            a = analyse_text(text, id=doc["id"], date=doc["date"])
            found_q |= {(q.kind, float(q.value)) for q in a.quantities if q.kind != "other"}
            gold_claims = [c for c in gold.get("claims", []) if c["doc"] == doc["id"]]
            spans = []
            for c in gold_claims:
                at = a.text.find(c["text"])
                spans.append((at, at + len(c["text"])) if at >= 0 else None)
            n_found += len(a.claims)
            n_found_in_gold += sum(1 for f in a.claims
                                   if any(s and s[0] <= f.start < s[1] for s in spans))
            for c, span in zip(gold_claims, spans):
                n_gold += 1
                inside = [f for f in a.claims if span and span[0] <= f.start < span[1]]
                ok_speaker = [f for f in inside if f.speaker and _speaker_ok(f.speaker.text, forms.get(c["speaker"], [c["speaker"]]))]
                n_sent += bool(inside)
                n_speaker += bool(ok_speaker)
                if args.show:
                    mark = "OK " if ok_speaker else ("s  " if inside else "-- ")
                    got = "; ".join(f"{f.speaker.text if f.speaker else None} => {f.text[:50]}" for f in inside)
                    print(f"{mark}{c['speaker']}: {c['text'][:70]}\n     {got}")
        gold_q = {(k, float(v)) for e in gold["events"] for k, v in e.get("quantities", {}).items()}
        for kind in KINDS:
            f = {x for x in found_q if x[0] == kind}
            g = {x for x in gold_q if x[0] == kind}
            q_tp[kind] += len(f & g)
            q_fp[kind] += len(f - g)
            q_fn[kind] += len(g - f)
    print("| claims (stories-hi) | value |\n|---|---:|")
    print(f"| gold claims | {n_gold} |")
    print(f"| claims found | {n_found} |")
    print(f"| gold sentences with a claim found (recall) | {n_sent} / {n_gold} = {n_sent / n_gold:.2f} |")
    print(f"| … with the right speaker | {n_speaker} / {n_gold} = {n_speaker / n_gold:.2f} |")
    print(f"| found claims inside a gold claim sentence (precision) | {n_found_in_gold} / {n_found} = {n_found_in_gold / max(n_found, 1):.2f} |")
    print()
    print("| quantities (stories-hi) | found ∩ gold | found | gold | P | R |\n|---|---:|---:|---:|---:|---:|")
    for kind in [*KINDS, "all"]:
        tp = sum(q_tp.values()) if kind == "all" else q_tp[kind]
        fp = sum(q_fp.values()) if kind == "all" else q_fp[kind]
        fn = sum(q_fn.values()) if kind == "all" else q_fn[kind]
        if tp + fp + fn == 0:
            continue
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        print(f"| {kind} | {tp} | {tp + fp} | {tp + fn} | {p:.2f} | {r:.2f} |")
    return 0


def _speaker_ok(found: str, forms: list[str]) -> bool:
    return any(f and (f in found or found in f) for f in forms)


if __name__ == "__main__":
    raise SystemExit(main())
