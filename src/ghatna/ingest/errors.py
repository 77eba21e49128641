"""How a bad input is reported: an `InputError` naming where it is and why, never an exception."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["InputError"]


@dataclass
class InputError:
    """One input (a file, a JSONL line, an item in a container) that gave no document."""

    source: str  # file path, "path:LINE" for a JSONL line, "path#N" for an item in a container
    reason: str  # short human reason, e.g. "line 3: not valid JSON (Expecting value)"

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"
