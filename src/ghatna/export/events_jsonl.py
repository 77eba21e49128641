"""ghatna's own event records, one JSON object a line, exactly as the contract describes."""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

from ..schema import Event


def write(events: Iterable[Event], out: IO[str]) -> int:
    n = 0
    for e in events:
        out.write(json.dumps(e.record(), ensure_ascii=False) + "\n")
        n += 1
    return n
