"""Train the Hindi NER model (a CRF, trained with CRFsuite) on IL-NER and write
langs/hi/ner/model.bin (a numpy archive).

    .venv/bin/python scripts/train_ner.py [--data ../shared/data/il-ner-hi] [--c1 0.05 --c2 0.01]
    .venv/bin/python scripts/train_ner.py --tune      # choose c1/c2 on a held-out sixth of train

Reads train.txt (token TAB tag, blank line between sentences), cleans malformed tags (`-NEL` ->
continues or starts an NEL span, a bare `-` -> O), keeps persons (NEP -> PER), locations
(NEL -> LOC) and organisations (NEO -> ORG), and drops every other tag. The CRFsuite model is
exported to a numpy archive (feature strings, their weights per label, transitions) that
extract/ner_model.py tags with, and the script checks that both taggers agree on every dev
sentence. Prints exact-span precision/recall/F1 on dev.txt (the model alone, without the name
lists' corrections: bench/ner.py measures the whole extractor). IL-NER: Bahad et al., NAACL SRW
2024, CC-BY-4.0; the data is never committed, only the trained weights.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pycrfsuite

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from ghatna.extract.known_names import known_names  # noqa: E402
from ghatna.extract.ner_model import DEFAULT_TEMPLATES, WORD_TEMPLATES, NerModel, features, spans_of  # noqa: E402
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


def micro_f1(scores: dict[str, tuple[int, int, int]]) -> float:
    return prf(*[sum(v[i] for v in scores.values()) for i in range(3)])[2]


def train_crfsuite(train_feats, train_tags, path: str, c1: float, c2: float, iterations: int,
                   min_freq: float) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for f, t in zip(train_feats, train_tags):
        trainer.append(f, t)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.minfreq": min_freq,
                        "feature.possible_transitions": True})
    trainer.train(path)


def export(crf_path: str, out: Path, templates: tuple[str, ...]) -> None:
    """CRFsuite model -> numpy archive: feature strings, weights per label, transitions, and the
    names of the word templates the features came from."""
    tagger = pycrfsuite.Tagger()
    tagger.open(crf_path)
    info = tagger.info()
    labels = sorted(info.labels, key=lambda lab: int(info.labels[lab]))
    li = {lab: i for i, lab in enumerate(labels)}
    attrs = sorted({a for a, _ in info.state_features})
    ai = {a: i for i, a in enumerate(attrs)}
    weights = np.zeros((len(attrs), len(labels)), dtype=np.float32)
    for (a, lab), w in info.state_features.items():
        weights[ai[a], li[lab]] = w
    trans = np.zeros((len(labels), len(labels)), dtype=np.float32)
    for (a, b), w in info.transitions.items():
        trans[li[a], li[b]] = w
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as fh:
        np.savez_compressed(fh, attributes=np.frombuffer("\n".join(attrs).encode("utf-8"), dtype=np.uint8),
                            labels=np.frombuffer("\n".join(labels).encode("utf-8"), dtype=np.uint8),
                            weights=weights, transitions=trans,
                            templates=np.frombuffer("\n".join(templates).encode("utf-8"), dtype=np.uint8))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data/il-ner-hi"))
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--min-freq", type=float, default=0)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--tune", action="store_true", help="grid-search c1/c2 on a held-out sixth of train")
    ap.add_argument("--out", default=str(ROOT / "src/ghatna/langs/hi/ner/model.bin"))
    ap.add_argument("--templates", default=",".join(DEFAULT_TEMPLATES),
                    help="word templates, comma-separated, of: " + ", ".join(WORD_TEMPLATES))
    args = ap.parse_args()

    names = known_names(load_pack("hi"))
    train = read_conll(Path(args.data) / "train.txt")
    dev = read_conll(Path(args.data) / "dev.txt")
    templates = tuple(args.templates.split(","))
    feats = [features(w, names, templates) for w, _ in train]
    tags = [t for _, t in train]
    tmp = tempfile.mkdtemp()
    if args.tune:
        cut = len(train) * 5 // 6
        for c1 in (0.01, 0.05, 0.2):
            for c2 in (0.001, 0.05):
                path = f"{tmp}/tune.crf"
                train_crfsuite(feats[:cut], tags[:cut], path, c1, c2, args.iterations, args.min_freq)
                tagger = pycrfsuite.Tagger()
                tagger.open(path)
                pred = [tagger.tag(f) for f in feats[cut:]]
                print(f"c1={c1} c2={c2}: held-out micro F1 {micro_f1(span_scores(tags[cut:], pred)):.3f}", flush=True)
        return

    t0 = time.time()
    crf = f"{tmp}/model.crf"
    train_crfsuite(feats, tags, crf, args.c1, args.c2, args.iterations, args.min_freq)
    out = Path(args.out)
    export(crf, out, templates)
    print(f"trained on {len(train)} sentences in {time.time() - t0:.0f}s -> {out} ({out.stat().st_size / 1e6:.1f} MB)")
    tagger = pycrfsuite.Tagger()
    tagger.open(crf)
    pred = [tagger.tag(features(w, names, templates)) for w, _ in dev]
    ours = NerModel(str(out), names)
    same = sum(ours.tag(w) == p for (w, _), p in zip(dev, pred))
    print(f"numpy tagger agrees with CRFsuite on {same} of {len(dev)} dev sentences")
    scores = span_scores([t for _, t in dev], pred)
    tot = [sum(v[i] for v in scores.values()) for i in range(3)]
    for label, c in sorted(scores.items()):
        print(label, "P=%.3f R=%.3f F1=%.3f" % prf(*c), c)
    print("micro", "P=%.3f R=%.3f F1=%.3f" % prf(*tot))


if __name__ == "__main__":
    main()
