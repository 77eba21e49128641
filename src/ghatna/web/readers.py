"""Which read-only store connection an API request reads through.

SQLite: a connection of its own per request (`mode=ro`, opened in well under a millisecond), so
no request holds a read snapshot past its end and a run may write and checkpoint meanwhile.

PostgreSQL: opening a connection costs a server process and a round of authentication, 10 ms or
more, on every request. Each of the server's worker threads instead keeps one read-only
connection, opened on its first request and reused by the next ones; each statement still runs
in a transaction of its own (autocommit), so every request sees what a run committed before it.
A connection idle for a while is checked with one round trip before it is used again (the
server may have restarted meanwhile), and one that failed is closed and replaced on the thread's
next request. `close()` (at the app's shutdown) closes them all.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from ..store import Store, is_server_url, open_store


class Readers:
    check_after = 2.0  # seconds idle after which a kept connection is checked before use

    def __init__(self, location: str) -> None:
        self.location = location
        self.kept = is_server_url(location)  # one connection per thread, kept between requests
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: set[Store] = set()

    @contextmanager
    def store(self) -> Iterator[Store]:
        """A read-only store for one request."""
        if not self.kept:
            with open_store(self.location, readonly=True) as s:
                yield s
            return
        s = self._kept_store()
        try:
            yield s
        finally:
            self._local.used = time.monotonic()
            if not s.usable():  # a broken connection is not handed to the next request
                self._discard(s)

    def _kept_store(self) -> Store:
        s = getattr(self._local, "store", None)
        if s is not None:
            idle = time.monotonic() - self._local.used
            if s.usable(check=idle >= self.check_after):
                return s
            self._discard(s)
        s = open_store(self.location, readonly=True)
        self._local.store = s
        with self._lock:
            self._open.add(s)
        return s

    def _discard(self, s: Store) -> None:
        self._local.store = None
        with self._lock:
            self._open.discard(s)
        try:
            s.close()
        except Exception:  # already gone with the connection
            pass

    def close(self) -> None:
        """Close every kept connection (their threads are done with them: the app is stopping)."""
        with self._lock:
            kept, self._open = self._open, set()
        for s in kept:
            try:
                s.close()
            except Exception:
                pass
