import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_KB = ROOT / "tests" / "fixtures" / "kb"
SHIPPED_KB = ROOT / "data"


@pytest.fixture(scope="session", autouse=True)
def weiquan_home(tmp_path_factory):
    """Keep every test away from the real user folders (one cache per session keeps the suite fast), and from the
    shell's locale: the chat greets in the locale's language."""
    home = tmp_path_factory.mktemp("weiquan-home")
    pinned = {"WEIQUAN_HOME": str(home), "LANG": "C.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}
    old = {name: os.environ.get(name) for name in pinned}
    for name, value in pinned.items():
        os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)
    yield home
    for name, value in old.items():
        os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """The wheel `pip install .` would install, built once per session."""
    from hatchling.builders.wheel import WheelBuilder

    folder = tmp_path_factory.mktemp("wheel")
    return Path(next(iter(WheelBuilder(str(ROOT)).build(directory=str(folder), versions=["standard"]))))


@pytest.fixture(scope="session")
def engine(weiquan_home):
    from assistant.engine import load_engine

    return load_engine(SHIPPED_KB)


@pytest.fixture(scope="session")
def fixture_engine(weiquan_home):
    from assistant.engine import load_engine

    return load_engine(FIXTURE_KB)


@pytest.fixture(scope="session")
def definitions_all(engine):
    """Every fact definition of the shipped knowledge base: the standard facts and each scenario's own."""
    found = dict(engine.kb.facts)
    for scenario in engine.kb.scenarios.values():
        found.update(scenario.facts)
    return found


@pytest.fixture(scope="session")
def definition_of(definitions_all):
    return definitions_all.__getitem__


def run_cli(*args: str, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real command in a new process, as a person would."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env=full_env,
        timeout=120,
    )


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the file where text first occurs: what a message must point at."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first occurrence of old (which must be there) in a copied fixture file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
