"""Imported once by the process a local Dask cluster's workers are forked from (engine/dask.py):
loads the default language pack and its models there, so every worker starts with them."""
from . import preload

preload()
