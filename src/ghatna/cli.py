"""The `ghatna` command line: a thin layer over the library (every command calls one function).

Exit status: 0 success, 1 some inputs failed (each named on stderr with its reason; the rest was
processed), 2 usage error. Data goes to stdout; messages and progress (only on a terminal) to stderr.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from . import __version__
from .analyse import analyse_text
from .export import BINARY_FORMATS, FORMATS, UnavailableFormat, export as export_events
from .ingest.decode import DecodeError, decode_text
from .schema import Event, nfc
from .store import EmptyQuery, StoreError, is_server_url, open_store

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="ghatna: Hindi-first event timelines from news articles.")
# a table piped to a file or another program is not squeezed to 80 columns
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, soft_wrap=True)

LANGS = ("hi", "auto")


def _usage(message: str) -> typer.Exit:
    err.print(f"ghatna: {message}", markup=False)
    return typer.Exit(2)


def _check_date(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat() if len(value) == 10 else _bad_date(value)
    except ValueError:
        return _bad_date(value)


def _bad_date(value: str) -> str:
    raise typer.BadParameter(f"{value!r} is not a date of the form YYYY-MM-DD")


def _check_lang(value: Optional[str]) -> Optional[str]:
    if value is not None and value not in LANGS:
        raise typer.BadParameter(f"{value!r}: choose one of {', '.join(LANGS)}")
    return value


DateOpt = Annotated[Optional[str], typer.Option("--date", callback=_check_date,
                                                help="Publication date (YYYY-MM-DD) of inputs that carry none.")]
LangOpt = Annotated[Optional[str], typer.Option("--lang", callback=_check_lang,
                                                help="hi, or auto to detect (default: the input's own, else auto).")]
DbOpt = Annotated[str, typer.Option("--db", help="Store: a SQLite file path, or postgresql://... (the postgres extra).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="JSON instead of a table.")]


def _open_existing(db: str):
    if not is_server_url(db) and not Path(db).exists():
        raise _usage(f"no store at {db} (create one with: ghatna run --db {db} INPUT...)")
    try:
        return open_store(db, readonly=True)
    except (StoreError, OSError) as e:
        raise _usage(str(e)) from e


def _read_input(path: str) -> str:
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as e:
        raise _usage(f"{path}: {e.strerror or e}") from e
    try:
        return decode_text(data)
    except DecodeError as e:
        raise _usage(f"{path}: {e}") from e


def _dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


@app.command()
def tag(
    file: Annotated[str, typer.Argument(help="Text file, or - for standard input.")] = "-",
    lang: LangOpt = None,
    date: DateOpt = None,
    jsonl: Annotated[bool, typer.Option("--jsonl", help='Each input line is {"id","text","date"?,"lang"?}.')] = False,
) -> None:
    """Analyse text without a store and print the annotation object(s) as JSON."""
    text = _read_input(file)
    if not jsonl:
        print(_dump(analyse_text(text, date=date, lang=lang or "auto").to_json()))
        return
    failed = 0
    for lineno, line in enumerate(text.splitlines(), 1):
        result, problem = _tag_line(line, date, lang)
        if problem:
            failed += 1
            err.print(f"{file}:{lineno}: {problem}", markup=False)
        print(_dump(result))
        sys.stdout.flush()
    if failed:
        raise typer.Exit(1)


def _tag_line(line: str, date: Optional[str], lang: Optional[str]) -> tuple[dict, Optional[str]]:
    """One `tag --jsonl` line: (annotation object, None) or ({"id", "error"}, reason)."""
    if not line.strip():
        return {"id": None, "error": "empty line"}, "empty line"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        return {"id": None, "error": f"not valid JSON ({e.msg})"}, f"not valid JSON ({e.msg})"
    if not isinstance(record, dict):
        return {"id": None, "error": "not a JSON object"}, "not a JSON object"
    rid = record.get("id")
    rid = None if rid is None else str(rid)
    reason = None
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        reason = "missing or empty \"text\""
    rec_date = record.get("date", date)
    if reason is None and rec_date is not None:
        try:
            rec_date = _check_date(str(rec_date)[:10])
        except typer.BadParameter:
            reason = f"bad \"date\" {record.get('date')!r} (want YYYY-MM-DD)"
    if reason:
        return {"id": rid, "error": reason}, reason
    rec_lang = lang or record.get("lang") or "auto"
    return analyse_text(nfc(text), id=rid, date=rec_date, lang=rec_lang).to_json(), None


@app.command()
def run(
    inputs: Annotated[list[str], typer.Argument(help="Files or folders: .txt .html .htm .jsonl .warc .warc.gz .xml (RSS/Atom).")],
    db: DbOpt = "ghatna.db",
    date: DateOpt = None,
    lang: LangOpt = None,
    jobs: Annotated[int, typer.Option("--jobs", min=1, help="Worker processes for the map phase.")] = 1,
    engine: Annotated[str, typer.Option("--engine", help="local (process pool) or dask.")] = "local",
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="Address of a running Dask scheduler (tcp://host:8786) for --engine dask; default: a local cluster of --jobs workers.")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Documents analysed, stored and resolved together (at most 250,000 characters); every 4 batches are one transaction.")] = 64,
) -> None:
    """Ingest, extract, resolve across all documents in the store, and save."""
    from .pipeline import run as run_pipeline

    from .engine import ENGINES, EngineUnavailable, require_engine

    if engine not in ENGINES:
        raise _usage(f"--engine {engine!r}: choose local or dask")
    if scheduler and engine != "dask":
        raise _usage("--scheduler needs --engine dask")
    try:
        require_engine(engine)
    except EngineUnavailable as e:
        raise _usage(str(e)) from e
    try:
        store = open_store(db)
    except (StoreError, OSError) as e:
        raise _usage(str(e)) from e
    with store, _progress() as progress:
        try:
            report = run_pipeline(
                inputs, store, date=date, lang=lang, jobs=jobs, engine=engine, scheduler=scheduler,
                batch_size=batch_size, on_error=lambda e: err.print(f"ghatna: {e}", markup=False),
                on_progress=progress)
        except EngineUnavailable as e:
            raise _usage(str(e)) from e
        stats = store.stats()
    err.print(
        f"added {report.added} document(s); {report.duplicates} already stored or repeated, "
        f"{report.near_duplicates} near-duplicate(s), {len(report.errors)} input error(s). "
        f"Store {db}: {stats['documents']} documents, {stats['sentences']} sentences, "
        f"{stats['events']} events, {stats['entities']} entities, {stats['claims']} claims.",
        markup=False)
    if report.errors:
        raise typer.Exit(1)


class _progress:
    """A progress counter on stderr, only when stderr is a terminal."""

    def __enter__(self):
        self.bar = None
        if sys.stderr.isatty():
            from rich.progress import Progress

            self.bar = Progress(console=err, transient=True)
            self.bar.start()
            self.task = self.bar.add_task("documents", total=None)
        return self

    def __call__(self, n: int) -> None:
        if self.bar is not None:
            self.bar.advance(self.task, n)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


@app.command()
def export(
    db: DbOpt = "ghatna.db",
    format: Annotated[str, typer.Option("--format", help="events-jsonl | plover-jsonl | acled-csv | parquet")] = "events-jsonl",
    output: Annotated[Optional[str], typer.Option("-o", "--output", help="File, or - for stdout.")] = None,
) -> None:
    """Write the merged events."""
    if format not in FORMATS:
        raise _usage(f"--format {format!r}: choose one of {', '.join(FORMATS)}")
    if format in BINARY_FORMATS and output in (None, "-"):
        raise _usage(f"{format} needs -o FILE")
    store = _open_existing(db)
    with store:
        try:
            if output in (None, "-"):
                export_events(store.events(), format, sys.stdout)
            elif format in BINARY_FORMATS:
                with open(output, "wb") as fh:
                    export_events(store.events(), format, fh)
            else:
                with open(output, "w", encoding="utf-8", newline="") as fh:
                    export_events(store.events(), format, fh)
        except UnavailableFormat as e:
            raise _usage(str(e)) from e


@app.command()
def entities(db: DbOpt = "ghatna.db", json_: JsonOpt = False) -> None:
    """Canonical entities with every surface form seen."""
    with _open_existing(db) as store:
        rows = store.entities()
    if json_:
        print(_dump(rows))
        return
    table = Table("entity", "label", "mentions", "spellings seen", "place")
    for r in rows:
        place = f"{r['lat']:.3f}, {r['lon']:.3f} {r['country_code'] or ''}" if r["lat"] is not None else ""
        table.add_row(r["name"], r["label"], str(r["mentions"]), " · ".join(r["variants"]), place)
    out.print(table if rows else "no entities in this store")


@app.command()
def claims(db: DbOpt = "ghatna.db", json_: JsonOpt = False) -> None:
    """Attributed statements: who said what, when."""
    with _open_existing(db) as store:
        rows = store.claims()
    if json_:
        print(_dump(rows))
        return
    table = Table("date", "speaker", "claim", "source")
    for r in rows:
        table.add_row(r["date"] or "", (r["speaker"] or {}).get("name", ""), r["text"], r["doc_name"])
    out.print(table if rows else "no claims in this store")


def _matches_entity(event: Event, name: str) -> bool:
    name = nfc(name).casefold()
    refs = [*event.actors, *event.recipients]
    if event.location:
        refs_names = [event.location.get("name") or "", event.location.get("entity_id") or ""]
    else:
        refs_names = []
    names = [r.name for r in refs] + [r.entity_id for r in refs] + refs_names
    return any(name == n.casefold() or name in n.casefold() for n in names if n)


@app.command()
def timeline(db: DbOpt = "ghatna.db", entity: Annotated[Optional[str], typer.Option("--entity", help="Only events with this participant or place (any spelling, or its id).")] = None,
             story: Annotated[Optional[str], typer.Option("--story", help="Only events of this story (its id: see `ghatna stories`).")] = None,
             json_: JsonOpt = False) -> None:
    """Events in date order (undated last), with their sources; conflicts marked."""
    with _open_existing(db) as store:
        events = [e for e in store.events() if (entity is None or _matches_entity(e, entity))
                  and (story is None or e.story_id == story)]
    if json_:
        print(_dump([e.record() for e in events]))
        return
    print_timeline(events)


def print_timeline(events: list[Event]) -> None:
    if not events:
        out.print("no events in this store")
        return
    table = Table("#", "date", "event", "who → whom", "where", "numbers", "sources", "flags")
    notes: list[str] = []

    def names(refs: list, most: int = 2) -> str:
        shown = ", ".join(r.name for r in refs[:most])
        return shown + (f" +{len(refs) - most}" if len(refs) > most else "")

    for n, e in enumerate(events, 1):
        kind = e.type + (f"/{e.mode}" if e.mode else "")
        if e.negated:
            kind = "NOT " + kind
        if e.modality != "asserted":
            kind += f" ({e.modality})"
        whom = names(e.recipients)
        docs = sorted({m.doc_name for m in e.mentions})
        table.add_row(
            str(n), e.date or "undated", kind,
            (names(e.actors) or "?") + (f" → {whom}" if whom else ""),
            (e.location or {}).get("name") or "",
            " ".join(f"{k}={v}" for k, v in sorted(e.quantities.items())),
            f"{len(docs)}: " + ", ".join(docs[:3]) + (" …" if len(docs) > 3 else ""),
            " ".join(f"⚠ {f.kind}" for f in e.flags))
        notes += [f"#{n} {f.kind}: {f.detail}" for f in e.flags]
    out.print(table)
    for note in notes:
        out.print(note, markup=False, highlight=False)


@app.command()
def search(query: Annotated[str, typer.Argument(help="Words; end one with * for a prefix: प्रदर्शन*")],
           db: DbOpt = "ghatna.db", json_: JsonOpt = False,
           limit: Annotated[int, typer.Option("--limit", min=1, max=10000)] = 50) -> None:
    """Full-text search over sentences (whole Devanagari words; prefix with *)."""
    with _open_existing(db) as store:
        try:
            hits = store.search(query, limit=limit)
        except EmptyQuery as e:
            raise _usage(str(e)) from e
    if json_:
        print(_dump([h.to_json() for h in hits]))
        return
    if not hits:
        out.print("no matches")
    for h in hits:
        out.print(f"[bold]{h.doc_name}[/bold] {h.start}-{h.end}: ", end="")
        out.print(h.highlighted, markup=False)


HostOpt = Annotated[str, typer.Option("--host", help="Address to listen on (loopback unless told otherwise).")]
PortOpt = Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")]


@app.command()
def serve(db: DbOpt = "ghatna.db", host: HostOpt = "127.0.0.1", port: PortOpt = 8000) -> None:
    """Serve the dashboard at / and the JSON API under /api/ (read-only)."""
    _open_existing(db).close()  # a clear message for a missing or unreadable store
    _serve(db, host, port)


def _serve(db: str, host: str, port: int) -> None:
    from .web import serve  # imported here: the other commands start without the web stack

    err.print(f"ghatna: serving {db} at http://{host}:{port}/ (API docs at /api/docs); Ctrl-C stops",
              markup=False)
    try:
        serve(db, host, port)
    except OSError as e:  # the port is taken, or the address is not ours
        raise _usage(f"cannot listen on {host}:{port}: {e.strerror or e}") from e


@app.command()
def demo(serve: Annotated[bool, typer.Option("--serve", help="Then serve the dashboard over demo.db.")] = False,
         host: HostOpt = "127.0.0.1", port: PortOpt = 8000) -> None:
    """Run the bundled demo corpus into demo.db and print the timeline."""
    from .demo import run_demo

    with open_store("demo.db") as store:
        report = run_demo(store, on_error=lambda e: err.print(f"ghatna: {e}", markup=False))
        stats = store.stats()
        docs = store.documents()
        events = list(store.events())
    err.print(f"demo.db: {report.added} new document(s), {stats['documents']} documents, "
              f"{stats['sentences']} sentences, {stats['events']} events", markup=False)
    table = Table("document", "published", "title")
    for d in docs:
        table.add_row(d["name"], d["date"] or "unknown", (d["title"] or "")[:70])
    out.print(table)
    print_timeline(events)
    if report.errors:
        raise typer.Exit(1)
    if serve:
        _serve("demo.db", host, port)


def _version(value: bool) -> None:
    if value:
        print(f"ghatna {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False) -> None:
    pass


def main() -> None:
    app()
