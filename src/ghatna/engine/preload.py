"""Imported once by the process a local Dask cluster's workers are forked from (engine/dask.py):
loads the default language pack and its models there, so every worker starts with them."""
from .dask import _warm

try:
    _warm(None)
except Exception:  # noqa: BLE001 — the server must start whatever happens here: a pack that
    # cannot be loaded fails again, with its message, in the first task that needs it
    pass
