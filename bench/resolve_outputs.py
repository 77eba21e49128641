"""Whether a change to the reduce phase changed its output: the merged events, entities and
stories of whole runs, written one JSON line each, or compared with such a file.

    .venv/bin/python bench/resolve_outputs.py --out before.jsonl        # on the old code
    .venv/bin/python bench/resolve_outputs.py --against before.jsonl    # on the new: exit 1 if any differs

Runs: each multi-article story of ../shared/data/stories-hi, the demo corpus, `--synthetic`
synthetic mentions resolved in batches of 2,000 (bench/resolve.py), and `--replicated` ILTIMEX
articles copied with variations (bench/scale.py). Speed work is expected to leave all of them as
they were; a change meant to alter outputs shows which records it altered.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import resolve as resolve_bench  # noqa: E402  (bench/resolve.py)
import scale  # noqa: E402  (bench/scale.py)
from map_outputs import out_or_against, write_or_compare  # noqa: E402

from ghatna.pipeline import run  # noqa: E402
from ghatna.resolve import add_events, merge_mentions  # noqa: E402
from ghatna.store import Resolution  # noqa: E402
from ghatna.store.sqlite import SQLiteStore  # noqa: E402

DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared/data"


def _line(kind: str, record: dict) -> str:
    return json.dumps({"run": kind, **record}, ensure_ascii=False, sort_keys=True)


def _store_lines(kind: str, store: SQLiteStore, everything: bool = True) -> Iterator[str]:
    for e in store.events():
        yield _line(kind, e.to_json())
    if everything:
        for ent in store.entities():
            yield _line(kind, ent)
        for s in store.stories():
            yield _line(kind, s)


def outputs(shared: Path, synthetic: int, replicated: int) -> list[str]:
    lines: list[str] = []
    stories = shared / "stories-hi"
    for gold_file in sorted(stories.glob("*.gold.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory() as tmp:
            jsonl = Path(tmp) / "s.jsonl"
            with jsonl.open("w", encoding="utf-8") as fh:
                for d in gold["documents"]:
                    fh.write(json.dumps({"id": d["id"], "date": d["date"],
                                         "text": (stories / d["file"]).read_text(encoding="utf-8")},
                                        ensure_ascii=False) + "\n")
            with SQLiteStore(Path(tmp) / "s.db") as store:
                run([jsonl], store)
                lines += _store_lines(gold_file.name, store)
    with resources.as_file(resources.files("ghatna.demo").joinpath("corpus")) as demo, \
            tempfile.TemporaryDirectory() as tmp, SQLiteStore(Path(tmp) / "d.db") as store:
        run(sorted(demo.iterdir()), store)
        lines += _store_lines("demo", store)
    if synthetic:
        records = list(resolve_bench.synthetic_records(synthetic))
        with tempfile.TemporaryDirectory() as tmp, SQLiteStore(Path(tmp) / "x.db") as store:
            for i in range(0, len(records), 2000):
                batch = records[i:i + 2000]
                res = Resolution(doc_ids=[])
                add_events(res, merge_mentions(store, batch), batch)
                store.save_resolution(res)
            lines += _store_lines("synthetic", store, everything=False)
    if replicated:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = scale.make_corpus(shared / "iltimex-hi/dev.jsonl", replicated, Path(tmp) / "c.jsonl")
            with SQLiteStore(Path(tmp) / "r.db") as store:
                run([corpus], store)
                lines += _store_lines("replicated", store)
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--synthetic", type=int, default=20000, help="synthetic mentions (0: none)")
    ap.add_argument("--replicated", type=int, default=400, help="replicated ILTIMEX articles (0: none)")
    out_or_against(ap)
    args = ap.parse_args()
    if not args.shared.exists():
        raise SystemExit(f"no data at {args.shared} (the ../shared data sets are needed)")
    lines = outputs(args.shared, args.synthetic, args.replicated)
    names = [f"{r['run']}: {r.get('id', '?')}" for r in map(json.loads, lines)]
    write_or_compare(args, lines, names, "records")


if __name__ == "__main__":
    main()
