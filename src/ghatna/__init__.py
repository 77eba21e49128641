"""ghatna (घटना, "event"): source-linked, cross-document event timelines from news articles."""
__version__ = "0.1.0"
