"""Whether a change to the map phase changed its output: every document's analysis (JSON) and
near-duplicate signature, written one line per document, or compared with such a file.

    .venv/bin/python bench/map_outputs.py --out before.jsonl        # on the old code
    .venv/bin/python bench/map_outputs.py --against before.jsonl    # on the new: exit 1 if any differs

Documents: the 200 ILTIMEX articles, the 160 PLOVER-hi sentences, the stories' articles and every
third IL-NER dev sentence (../shared/data); speed work is expected to leave all of them as they were.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from ghatna.engine import map_document
from ghatna.schema import Document

DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared/data"


def documents(shared: Path) -> list[Document]:
    docs = []
    for name, date in (("iltimex-hi/dev.jsonl", "2012-06-01"), ("plover-hi/dev.jsonl", "2021-02-01")):
        for line in (shared / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                docs.append(Document(text=r["text"], name=r["id"], source=name, record_id=r["id"], date=date))
    for p in sorted((shared / "stories-hi").glob("*.txt")):
        docs.append(Document(text=p.read_text(encoding="utf-8"), name=p.name, source=p.name, record_id=p.name))
    sentences = (shared / "il-ner-hi/dev.txt").read_text(encoding="utf-8").split("\n\n")
    for k, block in enumerate(sentences[::3]):
        words = [line.split("\t")[0] for line in block.splitlines() if line.strip()]
        if words:
            docs.append(Document(text=" ".join(words), name=f"il-ner-{3 * k}", source="il-ner", record_id=f"il-ner-{3 * k}"))
    return docs


def outputs(docs: list[Document]) -> list[str]:
    lines = []
    for d in docs:
        r = map_document(d, "hi")
        signature = hashlib.sha1(str(r.signature).encode()).hexdigest()
        analysis = json.loads(r.analysis_json)  # as stored: without the text, kept with the document
        analysis["text"] = d.text
        lines.append(json.dumps({"analysis": analysis, "signature": signature, "bands": r.bands},
                                ensure_ascii=False, sort_keys=True))
    return lines


def out_or_against(ap: argparse.ArgumentParser) -> None:
    """--out FILE (write the outputs) or --against FILE (compare with outputs written before)."""
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", type=Path, help="write the outputs here")
    group.add_argument("--against", type=Path, help="compare with outputs written before")


def write_or_compare(args: argparse.Namespace, lines: list[str], names: list[str], what: str) -> None:
    """Write `lines` to --out, or compare them with --against line by line, naming the ones
    that differ (`names`, one a line) and exiting 1 if any does."""
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(lines)} {what} written to {args.out}")
        return
    before = args.against.read_text(encoding="utf-8").splitlines()
    differing = [name for name, a, b in zip(names, lines, before) if a != b]
    if len(before) != len(lines):
        differing.append(f"{len(before)} {what} before, {len(lines)} now")
    print(f"{len(lines)} {what}: {'identical' if not differing else str(len(differing)) + ' differ'}")
    for name in differing[:20]:
        print("  " + name)
    sys.exit(1 if differing else 0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    out_or_against(ap)
    args = ap.parse_args()
    if not args.shared.exists():
        raise SystemExit(f"no data at {args.shared} (the ../shared data sets are needed)")
    docs = documents(args.shared)
    write_or_compare(args, outputs(docs), [d.source + ":" + d.name for d in docs], "documents")


if __name__ == "__main__":
    main()
