"""Language packs: everything ghatna knows about a language, as data files in `langs/<code>/`.

The engines in `extract/` know no language. A pack is a folder of tab-separated tables; every
table has an `example` column, and `tests/test_language_examples.py` runs every example, so the
data documents and tests itself. Adding a language means adding a folder, not code.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from ..text import script_profile

DEFAULT_LANG = "hi"


class UnknownLanguage(ValueError):
    pass


def read_table(source: Traversable, name: str) -> list[dict[str, str]]:
    """Rows of a pack table: a header line of column names, then tab-separated rows;
    lines starting with '#' and blank lines are comments."""
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for lineno, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if header is None:
            header = cells
            continue
        if len(cells) > len(header):
            raise ValueError(f"{name}:{lineno}: {len(cells)} cells for {len(header)} columns")
        row = dict(zip(header, cells + [""] * (len(header) - len(cells))))
        row["_line"] = str(lineno)
        rows.append(row)
    return rows


@dataclass(frozen=True)
class LanguagePack:
    code: str
    name: str
    scripts: tuple[str, ...]
    abbreviations: frozenset[str] = field(default_factory=frozenset)

    @property
    def folder(self) -> Traversable:
        return resources.files(__package__).joinpath(self.code)

    def table(self, name: str) -> list[dict[str, str]]:
        return _table(self.code, name)

    def tables(self) -> list[str]:
        """Every table of the pack, as paths relative to its folder ("timex/months.tsv")."""
        found: list[str] = []

        def walk(folder: Traversable, prefix: str) -> None:
            for p in folder.iterdir():
                if p.is_dir() and not p.name.startswith(("_", ".")):
                    walk(p, f"{prefix}{p.name}/")
                elif p.name.endswith(".tsv"):
                    found.append(prefix + p.name)

        walk(self.folder, "")
        return sorted(found)


@cache
def _table(code: str, name: str) -> list[dict[str, str]]:
    return read_table(resources.files(__package__).joinpath(code, *name.split("/")), f"{code}/{name}")


def available_packs() -> list[str]:
    return list(_pack_codes())


@cache
def _pack_codes() -> tuple[str, ...]:
    """The packs installed (package files: read once a process, not once a document)."""
    root = resources.files(__package__)
    return tuple(sorted(p.name for p in root.iterdir() if p.joinpath("pack.toml").is_file()))


@cache
def load_pack(code: str) -> LanguagePack:
    folder = resources.files(__package__).joinpath(code)
    if not folder.joinpath("pack.toml").is_file():
        raise UnknownLanguage(f"no language pack for {code!r} (have: {', '.join(available_packs())})")
    meta = tomllib.loads(folder.joinpath("pack.toml").read_text(encoding="utf-8"))
    abbrs = frozenset(r["abbreviation"].casefold().rstrip(".") for r in _table(code, "abbreviations.tsv"))
    return LanguagePack(code=code, name=meta["name"], scripts=tuple(meta["scripts"]), abbreviations=abbrs)


def detect_language(text: str) -> str | None:
    """The pack whose script dominates the text's letters, or None if no pack fits.

    Script is decisive for the packs we have (one per script); packs sharing a script will need
    a word-frequency tie-break (Hindi vs Marathi vs Nepali) when the second one arrives."""
    profile = script_profile(text)
    total = sum(profile.values())
    if not total:
        return None
    best_script, count = max(profile.items(), key=lambda kv: kv[1])
    if count / total < 0.5:
        return None
    for code in available_packs():
        if best_script in load_pack(code).scripts:
            return code
    return None
