"""Named-entity accuracy and speed: span F1 on IL-NER dev, F1 and B-cubed clustering on the
Hindi stories, sentences/second, model load time.

    .venv/bin/python bench/ner.py [--shared ../shared/data]

- IL-NER dev (../shared/data/il-ner-hi/dev.txt): each sentence's tokens joined by spaces and run
  through the whole entity extractor (model + name lists + title rules); exact-span P/R/F1 per
  label (PER, LOC, ORG; other IL-NER tags dropped, malformed tags cleaned as in training).
- stories (../shared/data/stories-hi/): gold mentions are every occurrence of a gold surface
  form in the article (longest first); exact-span micro F1 against the extractor ("BBC style").
- B-cubed F1 of clustering: the stories and the demo corpus are run into a fresh store; every
  distinct gold surface form found among an entity's variants is an item; its predicted cluster
  is that entity, its gold cluster the gold entity (demo: the gold table below).
- speed: IL-NER dev sentences (each its own document) through `entities.extract` on one core,
  after a warm-up pass; and the 200 ILTIMEX news articles, the entity extractor alone.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from train_ner import prf, read_conll, span_scores  # noqa: E402

from ghatna.analyse import analyse_text  # noqa: E402
from ghatna.extract import entities as entity_extractor  # noqa: E402
from ghatna.langs import load_pack  # noqa: E402
from ghatna.pipeline import run as run_pipeline  # noqa: E402
from ghatna.schema import DocAnalysis  # noqa: E402
from ghatna.store.sqlite import SQLiteStore  # noqa: E402
from ghatna.text import split_sentences, tokenize  # noqa: E402

# The demo corpus's entities with their spellings (written for the project, like the corpus).
DEMO_GOLD = {
    "Kazakhstan": ["कजाकिस्तान", "कज़ाख़स्तान", "कजाखस्तान"],
    "Almaty": ["अल्माटी", "अलमाटी", "अल्माती"],
    "Tokayev": ["कसीम-जोमार्ट टोकायेव", "कसीम-जोमार्ट टोकायव", "कसीम-जोमार्ट तोकायेव", "टोकायेव",
                "टोकायव", "तोकायेव", "Tokayev"],
    "CSTO": ["सीएसटीओ", "सामूहिक सुरक्षा संधि संगठन", "CSTO"],
    "KNB": ["केएनबी", "राष्ट्रीय सुरक्षा समिति"],
    "Nazarbayev": ["नूरसुल्तान नज़रबायेव", "नज़रबायेव"],
    "Astana": ["नूर-सुल्तान"],
    "Zhanaozen": ["झानाओज़ेन"],
    "Mangystau": ["मंगिस्तौ"],
    "Masimov": ["करीम मासिमोव", "मासिमोव"],
    "Putin": ["व्लादिमीर पुतिन", "पुतिन"],
}


def token_tags(words: list[str], analysis: DocAnalysis) -> list[str]:
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    tags = ["O"] * len(words)
    index = {s: i for i, s in enumerate(starts)}
    ends = {s + len(w): i for i, (s, w) in enumerate(zip(starts, words))}
    for e in analysis.entities:
        a, b = index.get(e.start), ends.get(e.end)
        if a is None or b is None:
            continue
        tags[a] = "B-" + e.label
        for j in range(a + 1, b + 1):
            tags[j] = "I-" + e.label
    return tags


def il_ner(dev: Path) -> tuple[dict, float, int]:
    pack = load_pack("hi")
    sents = read_conll(dev)
    texts = [" ".join(w) for w, _ in sents]
    analyses = []
    for t in texts:  # warm-up (caches), then the timed pass: only the entity extractor
        analyses.append(DocAnalysis(id=None, lang="hi", date=None, text=t,
                                    sentences=split_sentences(t, pack.abbreviations), tokens=tokenize(t)))
    for a in analyses:
        entity_extractor.extract(a, pack)
    for a in analyses:
        a.entities.clear()
    t0 = time.perf_counter()
    for a in analyses:
        entity_extractor.extract(a, pack)
    seconds = time.perf_counter() - t0
    pred = [token_tags(w, a) for (w, _), a in zip(sents, analyses)]
    return span_scores([t for _, t in sents], pred), seconds, len(sents)


def iltimex_speed(path: Path) -> tuple[int, float]:
    pack = load_pack("hi")
    analyses = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            t = json.loads(line)["text"]
            analyses.append(DocAnalysis(id=None, lang="hi", date=None, text=t,
                                        sentences=split_sentences(t, pack.abbreviations), tokens=tokenize(t)))
    for a in analyses:
        entity_extractor.extract(a, pack)
        a.entities.clear()
    t0 = time.perf_counter()
    for a in analyses:
        entity_extractor.extract(a, pack)
    return len(analyses), time.perf_counter() - t0


def gold_spans(text: str, forms: dict[str, str]) -> set[tuple[int, int, str]]:
    taken = [False] * len(text)
    out = set()
    for form in sorted(forms, key=len, reverse=True):
        start = text.find(form)
        while start >= 0:
            end = start + len(form)
            boundary = (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum()
                                                                          or text[end] in "़्ािीुूृेैोौंँः")
            if boundary and not any(taken[start:end]):
                out.add((start, end, forms[form]))
                for k in range(start, end):
                    taken[k] = True
            start = text.find(form, end)
    return out


def b_cubed(items: dict[str, tuple[str, str]]) -> tuple[float, float, float]:
    """items: form -> (gold cluster, predicted cluster)."""
    if not items:
        return 0.0, 0.0, 0.0
    gold, pred = defaultdict(set), defaultdict(set)
    for form, (g, p) in items.items():
        gold[g].add(form)
        pred[p].add(form)
    p_sum = r_sum = 0.0
    for form, (g, p) in items.items():
        both = len(gold[g] & pred[p])
        p_sum += both / len(pred[p])
        r_sum += both / len(gold[g])
    p, r = p_sum / len(items), r_sum / len(items)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def clustered_items(inputs: list[Path], gold: dict[str, list[str]], tag: str) -> dict[str, tuple[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "b.db")
        run_pipeline(inputs, store)
        form_to_entity = {}
        for ent in store.entities():
            for v in ent["variants"]:
                form_to_entity.setdefault(v, ent["id"])
        store.close()
    items = {}
    for g, forms in gold.items():
        for f in forms:
            if f in form_to_entity:
                items[f"{tag}:{f}"] = (f"{tag}:{g}", form_to_entity[f])
    return items


def load_seconds() -> tuple[float, float]:
    """Fresh process: (seconds for the model and the name lists, once the package is imported;
    seconds from nothing to an entity extractor ready to run, all imports included)."""
    code = ("import time; t=time.perf_counter(); from ghatna.langs import load_pack; p=load_pack('hi'); "
            "t1=time.perf_counter(); from ghatna.extract.ner_model import ner_model; ner_model(p); "
            "t2=time.perf_counter(); import ghatna.extract.entities; from ghatna.resolve.names import name_key; "
            "name_key('अल्माटी'); print(t2-t1, time.perf_counter()-t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    model, total = (float(x) for x in out.split())
    return model, total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(ROOT.parent / "shared/data"))
    args = ap.parse_args()
    shared = Path(args.shared)

    runs = [load_seconds() for _ in range(3)]
    model, total = min(r[0] for r in runs), min(r[1] for r in runs)
    print(f"model load, fresh process (best of 3): model + name lists {model:.2f} s; "
          f"everything from a bare interpreter to a ready extractor {total:.2f} s")
    scores, seconds, n = il_ner(shared / "il-ner-hi/dev.txt")
    print(f"\nIL-NER dev, {n} sentences, exact spans, whole extractor\n")
    print("| label | P | R | F1 | gold |\n|---|---:|---:|---:|---:|")
    for label, c in sorted(scores.items()):
        print(f"| {label} | " + " | ".join(f"{x:.3f}" for x in prf(*c)) + f" | {c[2]} |")
    tot = [sum(v[i] for v in scores.values()) for i in range(3)]
    print("| micro | " + " | ".join(f"{x:.3f}" for x in prf(*tot)) + f" | {tot[2]} |")
    print(f"\nspeed: {n / seconds:,.0f} sentences/s on one core ({seconds:.2f} s for {n})")
    iltimex = shared / "iltimex-hi/dev.jsonl"
    if iltimex.exists():
        docs, secs = iltimex_speed(iltimex)
        print(f"speed, ILTIMEX news articles, entity extractor alone: {docs / secs:,.0f} articles/s "
              f"({secs:.2f} s for {docs})")

    stories = sorted((shared / "stories-hi").glob("*.gold.json"))
    tp = npred = ngold = 0
    items: dict[str, tuple[str, str]] = {}
    for gpath in stories:
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        story = gpath.name.split(".")[0]
        forms = {v: e["kind"] for e in gold["entities"] for v in e["variants"] if e["kind"] in ("PER", "LOC", "ORG")}
        docs = sorted(gpath.parent.glob(f"{story}-d*.txt"))
        for d in docs:
            text = d.read_text(encoding="utf-8")
            a = analyse_text(text)
            g = gold_spans(a.text, forms)
            p = {(e.start, e.end, e.label) for e in a.entities}
            tp, npred, ngold = tp + len(g & p), npred + len(p), ngold + len(g)
        items.update(clustered_items(docs, {e["canonical"]: e["variants"] for e in gold["entities"]}, story))
    if stories:
        print(f"\nstories ({len(stories)}): exact-span micro P/R/F1 = " + "/".join(f"{x:.3f}" for x in prf(tp, npred, ngold)))
    demo = sorted((ROOT / "src/ghatna/demo/corpus").glob("*"))
    items_demo = clustered_items([p for p in demo if p.name != "README.md"], DEMO_GOLD, "demo")
    for name, it in (("stories", {k: v for k, v in items.items()}), ("demo", items_demo),
                     ("stories + demo", {**items, **items_demo})):
        p, r, f = b_cubed(it)
        print(f"B-cubed clustering, {name}: P={p:.3f} R={r:.3f} F1={f:.3f} ({len(it)} surface forms)")


if __name__ == "__main__":
    main()
