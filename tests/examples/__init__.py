"""Example checkers for language-pack tables, one module per part of the pack.

Each module defines `CHECKERS = {"table/path.tsv": check(pack, row)}`; a checker asserts that the
row's `example` shows the row's behaviour. tests/test_language_examples.py collects them all and
fails for any table without one."""
import importlib
import pkgutil


def all_checkers():
    checkers = {}
    for mod in pkgutil.iter_modules(__path__):
        checkers.update(importlib.import_module(f"{__name__}.{mod.name}").CHECKERS)
    return checkers
