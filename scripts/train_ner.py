"""Train the Hindi NER model (a CRFsuite CRF) on IL-NER and write langs/hi/ner/model.bin.

    .venv/bin/python scripts/train_ner.py [--data ../shared/data/il-ner-hi] [--c1 0.05 --c2 0.01]

Reads train.txt (token TAB tag, blank line between sentences), cleans malformed tags (`-NEL` ->
continues or starts an NEL span, a bare `-` -> O), keeps persons (NEP -> PER), locations
(NEL -> LOC) and organisations (NEO -> ORG), and drops every other tag. Prints exact-span
precision/recall/F1 on dev.txt. IL-NER: Bahad et al., NAACL SRW 2024, CC-BY-4.0; the data is
never committed, only the trained weights.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pycrfsuite

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from ghatna.extract.known_names import known_names  # noqa: E402
from ghatna.extract.ner_model import features, spans_of  # noqa: E402
from ghatna.langs import load_pack  # noqa: E402

KEEP = {"NEP": "PER", "NEL": "LOC", "NEO": "ORG"}


def clean_tags(raw: list[str]) -> list[str]:
    out: list[str] = []
    for t in raw:
        t = t.strip()
        prefix, _, kind = t.partition("-")
        if t.startswith("-") and t[1:]:  # "-NEL": a lost B/I; continue the span if one is open
            prefix, kind = ("I" if out and out[-1].endswith(KEEP.get(t[1:], "?")) else "B"), t[1:]
        label = KEEP.get(kind)
        if label is None or prefix not in ("B", "I"):
            out.append("O")
        elif prefix == "I" and not (out and out[-1][2:] == label):
            out.append("B-" + label)
        else:
            out.append(f"{prefix}-{label}")
    return out


def read_conll(path: Path) -> list[tuple[list[str], list[str]]]:
    sents, words, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if words:
                sents.append((words, clean_tags(tags)))
            words, tags = [], []
            continue
        w, _, t = line.partition("\t")
        if w.strip():
            words.append(w.strip())
            tags.append(t)
    if words:
        sents.append((words, clean_tags(tags)))
    return sents


def span_scores(gold: list[list[str]], pred: list[list[str]]) -> dict[str, tuple[int, int, int]]:
    """label -> (true positives, predicted, gold), exact spans."""
    counts: dict[str, list[int]] = {}
    for g, p in zip(gold, pred):
        gs, ps = set(spans_of(g)), set(spans_of(p))
        for label in {s[2] for s in gs | ps}:
            c = counts.setdefault(label, [0, 0, 0])
            c[0] += len({s for s in gs & ps if s[2] == label})
            c[1] += len({s for s in ps if s[2] == label})
            c[2] += len({s for s in gs if s[2] == label})
    return {k: tuple(v) for k, v in counts.items()}


def prf(tp: int, np_: int, ng: int) -> tuple[float, float, float]:
    p = tp / np_ if np_ else 0.0
    r = tp / ng if ng else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data/il-ner-hi"))
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iterations", type=int, default=150)
    ap.add_argument("--out", default=str(ROOT / "src/ghatna/langs/hi/ner/model.bin"))
    args = ap.parse_args()

    names = known_names(load_pack("hi"))
    train = read_conll(Path(args.data) / "train.txt")
    dev = read_conll(Path(args.data) / "dev.txt")
    trainer = pycrfsuite.Trainer(verbose=False)
    for words, tags in train:
        trainer.append(features(words, names), tags)
    trainer.set_params({"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations,
                        "feature.possible_transitions": True})
    t0 = time.time()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    trainer.train(args.out)
    print(f"trained on {len(train)} sentences in {time.time() - t0:.0f}s -> {args.out} "
          f"({Path(args.out).stat().st_size / 1e6:.1f} MB)")
    tagger = pycrfsuite.Tagger()
    tagger.open(args.out)
    pred = [tagger.tag(features(w, names)) for w, _ in dev]
    scores = span_scores([t for _, t in dev], pred)
    tot = [sum(v[i] for v in scores.values()) for i in range(3)]
    for label, c in sorted(scores.items()):
        print(label, "P=%.3f R=%.3f F1=%.3f" % prf(*c), c)
    print("micro", "P=%.3f R=%.3f F1=%.3f" % prf(*tot))


if __name__ == "__main__":
    main()
