"""Events: PLOVER type and role accuracy on annotated Hindi sentences, and event recall,
precision and stated numbers on the multi-article stories.

    .venv/bin/python bench/events.py [--shared ../shared/data] [--errors N]

- `plover-hi/dev.jsonl` (160 Hindi news sentences, 135 gold events): an event is matched when a
  found event has the same type and its trigger overlaps the gold trigger (each gold event used
  once). Type micro-F1 over all events; actor and recipient span F1 over matched events (exact
  text; a found span counts toward precision, a gold span toward recall).
- `stories-hi` (articles with gold events and the sentences reporting them): a gold event is
  found when some found event of its type has its trigger inside one of its mention sentences;
  precision is the share of found events (asserted, not negated) whose sentence reports a gold
  event of their type; numbers: for found gold events with stated quantities, the share stated
  exactly.
"""
from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from ghatna.analyse import analyse_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def sentences(path: Path, show: int) -> dict:
    recs = [json.loads(line) for line in path.open(encoding="utf-8")]
    tp = n_pred = n_gold = 0
    role = {k: [0, 0, 0] for k in ("actor", "recipient")}
    confusions: Counter = Counter()
    misses, spurious = [], []
    t0 = time.perf_counter()
    for r in recs:
        found = [e for e in analyse_text(r["text"], lang="hi").events]
        n_pred += len(found)
        n_gold += len(r["events"])
        used: set[int] = set()
        for g in r["events"]:
            gs = r["text"].find(g["trigger"])
            ge = gs + len(g["trigger"])
            hit = next((i for i, e in enumerate(found) if i not in used and e.type == g["type"]
                        and e.trigger.start < ge and gs < e.trigger.end), None)
            if hit is None:
                other = next((e for e in found if e.trigger.start < ge and gs < e.trigger.end), None)
                confusions[(g["type"], other.type if other else "-")] += 1
                misses.append((g["type"], g["trigger"], r["text"][:80]))
                continue
            used.add(hit)
            tp += 1
            e = found[hit]
            for k in ("actor", "recipient"):
                ours = getattr(e, k).text if getattr(e, k) else None
                role[k][0] += ours is not None and ours == g[k]
                role[k][1] += ours is not None
                role[k][2] += g[k] is not None
        spurious += [(e.type, e.trigger.text) for i, e in enumerate(found) if i not in used]
    elapsed = time.perf_counter() - t0
    if show:
        print("missed (type, trigger):", misses[:show])
        print("spurious (type, trigger):", Counter(spurious).most_common(show))
        print("gold type -> our type at that trigger:", confusions.most_common(show))
    return {"type": prf(tp, n_pred, n_gold), "tp": tp, "pred": n_pred, "gold": n_gold,
            "actor": prf(*role["actor"]), "recipient": prf(*role["recipient"]),
            "sentences_per_s": len(recs) / elapsed}


def stories(folder: Path, show: int) -> dict:
    found_gold = gold_total = good = pred_total = q_right = q_total = 0
    wrong_numbers = []
    for gold_file in sorted(folder.glob("*.gold.json")):
        story = json.loads(gold_file.read_text(encoding="utf-8"))
        analysed = {}  # doc id -> (text, analysis): each article analysed once
        for doc in story["documents"]:
            text = (folder / doc["file"]).read_text(encoding="utf-8")
            analysed[doc["id"]] = (text, analyse_text(text, date=doc["date"], lang="hi"))
        for doc in story["documents"]:
            text, a = analysed[doc["id"]]
            events = [e for e in a.events if e.modality == "asserted" and not e.negated]
            sent_of = {id(e): text[s.start:s.end] for e in events if (s := a.sentence_of(e.trigger.start))}
            gold_here = [(g, [m["text"] for m in g["mentions"] if m["doc"] == doc["id"]])
                         for g in story["events"]]
            pred_total += len(events)
            good += sum(1 for e in events if any(
                g["type"] == e.type and any(m.strip() in sent_of.get(id(e), "") or sent_of.get(id(e), "").strip() in m
                                            for m in ms) for g, ms in gold_here))
        for g in story["events"]:
            gold_total += 1
            hit_events = []
            for m in g["mentions"]:
                text, a = analysed[m["doc"]]
                start = text.find(m["text"])
                hit_events += [e for e in a.events if e.type == g["type"]
                               and start <= e.trigger.start < start + len(m["text"])]
            if hit_events:
                found_gold += 1
                for kind, value in g["quantities"].items():
                    q_total += 1
                    ours = {e.quantities.get(kind) for e in hit_events} - {None}
                    if value in ours:
                        q_right += 1
                    else:
                        wrong_numbers.append((g["id"], kind, value, sorted(ours)))
    if show:
        print("numbers not stated exactly (event, kind, gold, ours):", wrong_numbers[:show])
    return {"recall": found_gold / max(1, gold_total), "found": found_gold, "gold": gold_total,
            "precision": good / max(1, pred_total), "good": good, "pred": pred_total,
            "numbers": (q_right, q_total)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--errors", type=int, default=0)
    args = ap.parse_args()
    s = sentences(args.shared / "plover-hi" / "dev.jsonl", args.errors)
    st = stories(args.shared / "stories-hi", args.errors)
    print("| measure | value |")
    print("|---|---:|")
    print(f"| PLOVER-hi dev: event type P / R / F1 ({s['tp']} of {s['gold']} gold, {s['pred']} found) | "
          f"{s['type'][0]:.3f} / {s['type'][1]:.3f} / {s['type'][2]:.3f} |")
    print(f"| actor span P / R / F1 | {s['actor'][0]:.3f} / {s['actor'][1]:.3f} / {s['actor'][2]:.3f} |")
    print(f"| recipient span P / R / F1 | {s['recipient'][0]:.3f} / {s['recipient'][1]:.3f} / {s['recipient'][2]:.3f} |")
    print(f"| stories: gold events found | {st['found']} / {st['gold']} = {st['recall']:.3f} |")
    print(f"| stories: precision of found events | {st['good']} / {st['pred']} = {st['precision']:.3f} |")
    q = st["numbers"]
    print(f"| stories: stated numbers exact | {q[0]} / {q[1]} = {q[0] / max(1, q[1]):.3f} |")
    print(f"| speed, whole map phase | {s['sentences_per_s']:.0f} sentences/s |")


if __name__ == "__main__":
    main()
