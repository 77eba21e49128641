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


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A store holding the bundled demo corpus, built once per test session (read it, don't write)."""
    from ghatna.demo import run_demo
    from ghatna.store import open_store

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with open_store(str(path)) as store:
        run_demo(store)
    return path
