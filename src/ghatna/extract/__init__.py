"""The extractors of the map phase; each module exposes `extract(analysis, pack)`."""
