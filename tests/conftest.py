import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)

    def jsonl(self):
        return [json.loads(line) for line in self.stdout.splitlines()]


@pytest.fixture
def ghatna(tmp_path):
    """Run the real command line, as a user would, in a temporary working directory."""

    def run(*args: str, input: str | None = None, cwd: Path | None = None) -> Result:
        p = subprocess.run([sys.executable, "-m", "ghatna", *map(str, args)], input=input,
                           capture_output=True, text=True, encoding="utf-8", cwd=cwd or tmp_path,
                           timeout=300)
        return Result(p.returncode, p.stdout, p.stderr)

    return run


# -- a real PostgreSQL server for the storage tests ----------------------------------------------

def _postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    return found[-1].parent if found else None


def _server_user() -> tuple[int, int] | None:
    """The (uid, gid) the server runs as: ours, or as root (which PostgreSQL refuses) the
    `postgres` user that Debian's package creates."""
    import os
    import pwd

    if os.geteuid() != 0:
        return None
    try:
        pw = pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no `postgres` user to run PostgreSQL as")
    return pw.pw_uid, pw.pw_gid


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server from the Debian binaries (`make system` installs them) on a temporary
    directory, reachable only through a unix socket there; stopped and removed at the end.
    Yields the libpq URL of its `ghatna` database."""
    import os
    import shutil
    import tempfile

    bin_dir = _postgres_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries not found (make system installs them)")
    owner = _server_user()
    as_owner = {"user": owner[0], "group": owner[1]} if owner else {}
    root = Path(tempfile.mkdtemp(prefix="ghatna-pg-"))  # short: a socket path has ~100 bytes
    if owner:
        os.chown(root, *owner)
    data = root / "data"

    def pg(*args: str) -> None:
        p = subprocess.run([str(bin_dir / args[0]), *args[1:]], capture_output=True, text=True,
                           timeout=120, **as_owner)
        if p.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {p.stderr or p.stdout}")

    try:
        pg("initdb", "-D", str(data), "-U", "ghatna", "-E", "UTF8", "--locale=C.UTF-8",
           "-A", "trust", "--no-sync")
        pg("pg_ctl", "-D", str(data), "-l", str(root / "log"), "-w", "-t", "60", "-o",
           f"-k {root} -c listen_addresses='' -F -c max_connections=50", "start")
        try:
            pg("createdb", "-h", str(root), "-U", "ghatna", "ghatna")
            yield f"postgresql://ghatna@/ghatna?host={root}"
        finally:
            pg("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)


_schemas = iter(range(1, 1_000_000))


@pytest.fixture
def pg_url(postgres_server):
    """An empty PostgreSQL store: a fresh schema of the test server's database."""
    import psycopg

    name = f"t{next(_schemas)}"
    with psycopg.connect(postgres_server, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {name}")
    return f"{postgres_server}&options=-csearch_path%3D{name}"


@pytest.fixture(params=["sqlite", "postgres"])
def db_location(request, tmp_path):
    """Where a store goes, once per kind of store: a SQLite file, a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "g.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A store holding the bundled demo corpus, built once per test session (read it, don't write)."""
    from ghatna.demo import run_demo
    from ghatna.store import open_store

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with open_store(str(path)) as store:
        run_demo(store)
    return path
