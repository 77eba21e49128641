"""The bundled demo: eight Hindi articles about the January 2022 Kazakhstan unrest (see
corpus/README.md), run into a store exactly as `ghatna run` would, plain-text files with the
publication dates in dates.tsv."""
from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

from ..ingest import InputError
from ..langs import read_table
from ..pipeline import RunReport, run
from ..store import Store


def run_demo(store: Store, on_error: Callable[[InputError], None] | None = None) -> RunReport:
    here = resources.files(__package__)
    dated = {r["file"]: r["published"] for r in read_table(here.joinpath("dates.tsv"), "dates.tsv")}
    total = RunReport()
    with resources.as_file(here.joinpath("corpus")) as folder:
        files = sorted(p for p in Path(folder).iterdir() if p.suffix != ".md")
        groups = [([folder / f], d) for f, d in sorted(dated.items())]
        groups.append(([p for p in files if p.name not in dated], None))
        for paths, date in groups:
            report = run(paths, store, date=date, on_error=on_error)
            total.added += report.added
            total.duplicates += report.duplicates
            total.near_duplicates += report.near_duplicates
            total.resolved += report.resolved
            total.errors += report.errors
    return total
