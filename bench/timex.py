"""Hindi time expressions: span F1 on ILTIMEX news, value accuracy on the multi-article stories,
and speed.

    .venv/bin/python bench/timex.py [--shared ../shared/data] [--errors N]

- ILTIMEX (`iltimex-hi/dev.jsonl`, 200 real Hindi news articles, gold spans only): strict F1
  (exact start and end) and relaxed F1 (any overlap, each gold span matched at most once).
- Stories (`stories-hi/*.gold.json`): the gold time expressions of each article, normalised
  against its publication date; a found expression is aligned to a gold one with the same text
  (in document order), and its value is compared.
- Speed: sentences and articles per second for time expressions alone (one core).
"""
from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from ghatna.analyse import analyse_text
from ghatna.extract import timex
from ghatna.langs import load_pack
from ghatna.schema import DocAnalysis
from ghatna.text import split_sentences

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def f1(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def iltimex(path: Path, show_errors: int) -> dict:
    records = [json.loads(line) for line in path.open(encoding="utf-8")]
    strict = relaxed = n_pred = n_gold = 0
    misses: Counter = Counter()
    spurious: Counter = Counter()
    for r in records:
        pred = [(t.start, t.end) for t in analyse_text(r["text"], lang="hi").timexes]
        gold = [(g["start"], g["end"]) for g in r["gold"]]
        n_pred += len(pred)
        n_gold += len(gold)
        strict += len(set(pred) & set(gold))
        used: set[int] = set()
        for ps, pe in pred:
            for i, (gs, ge) in enumerate(gold):
                if i not in used and ps < ge and gs < pe:
                    used.add(i)
                    relaxed += 1
                    break
        for g in set(gold) - set(pred):
            misses[r["text"][g[0]:g[1]] + " | " + "; ".join(
                r["text"][p[0]:p[1]] for p in pred if p[0] < g[1] and g[0] < p[1])] += 1
        for p in set(pred) - set(gold):
            if not any(p[0] < g[1] and g[0] < p[1] for g in gold):
                spurious[r["text"][p[0]:p[1]]] += 1
    if show_errors:
        print("missed or wrong span (gold | ours):", misses.most_common(show_errors))
        print("spurious:", spurious.most_common(show_errors))
    return {"strict": f1(strict, n_pred, n_gold), "relaxed": f1(relaxed, n_pred, n_gold),
            "pred": n_pred, "gold": n_gold}


def stories(folder: Path, show_errors: int) -> dict:
    right = aligned = gold_total = 0
    wrong = []
    for gold_file in sorted(folder.glob("*.gold.json")):
        story = json.loads(gold_file.read_text(encoding="utf-8"))
        for doc in story["documents"]:
            text = (folder / doc["file"]).read_text(encoding="utf-8")
            found = analyse_text(text, date=doc["date"], lang="hi").timexes
            gold = [t for t in story["timexes"] if t["doc"] == doc["id"]]
            gold_total += len(gold)
            i = 0
            for g in gold:  # align in document order by text
                for j in range(i, len(found)):
                    if found[j].text == g["text"]:
                        aligned += 1
                        if found[j].value == g["value"]:
                            right += 1
                        else:
                            wrong.append((doc["id"], g["text"], g["value"], found[j].value))
                        i = j + 1
                        break
    if show_errors:
        print("wrong values (doc, text, gold, ours):", wrong[:show_errors])
    return {"aligned": aligned, "gold": gold_total, "right": right}


def speed(path: Path, repeat: int = 3) -> tuple[float, float]:
    pack = load_pack("hi")
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    docs = []
    for t in texts:
        a = DocAnalysis(id=None, lang="hi", date="2012-06-01", text=t)
        a.sentences = split_sentences(t, pack.abbreviations)
        docs.append(a)
    n_sent = sum(len(a.sentences) for a in docs)
    timex.extract(docs[0], pack)
    t0 = time.perf_counter()
    for _ in range(repeat):
        for a in docs:
            timex.extract(a, pack)
    dt = time.perf_counter() - t0
    return repeat * len(docs) / dt, repeat * n_sent / dt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--errors", type=int, default=0, help="show the N commonest errors")
    args = ap.parse_args()
    il = iltimex(args.shared / "iltimex-hi" / "dev.jsonl", args.errors)
    st = stories(args.shared / "stories-hi", args.errors)
    docs_s, sents_s = speed(args.shared / "iltimex-hi" / "dev.jsonl")
    print("| measure | value |")
    print("|---|---:|")
    print(f"| ILTIMEX dev strict P / R / F1 | {il['strict'][0]:.3f} / {il['strict'][1]:.3f} / {il['strict'][2]:.3f} |")
    print(f"| ILTIMEX dev relaxed P / R / F1 | {il['relaxed'][0]:.3f} / {il['relaxed'][1]:.3f} / {il['relaxed'][2]:.3f} |")
    print(f"| ILTIMEX expressions found / gold | {il['pred']} / {il['gold']} |")
    print(f"| stories: values exact / found (of gold) | {st['right']} / {st['aligned']} ({st['gold']}) "
          f"= {st['right'] / max(1, st['aligned']):.3f} |")
    print(f"| speed, time expressions alone (1 core) | {docs_s:.0f} articles/s, {sents_s:.0f} sentences/s |")


if __name__ == "__main__":
    main()
