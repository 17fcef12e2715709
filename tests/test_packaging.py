"""The wheel carries the knowledge base, so a non-editable install works from any directory."""
import os
import subprocess
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_exactly_the_tracked_data_files(wheel):
    with zipfile.ZipFile(wheel) as archive:
        shipped = {n.removeprefix("knowledge_base/") for n in archive.namelist() if n.startswith("knowledge_base/data/")}
        names = set(archive.namelist())
    assert shipped == _data_files()
    assert {"assistant/cli.py", "knowledge_base/loader.py"} <= names


def _data_files() -> set[str]:
    """The knowledge-base files of this source tree: tracked by git in a checkout, else (an unpacked sdist, which
    holds only what is shipped) every file under data/ that is not a build leftover."""
    if (ROOT / ".git").exists():
        listed = subprocess.run(["git", "ls-files", "data/"], cwd=ROOT, capture_output=True, text=True)
        if listed.returncode == 0:
            return set(listed.stdout.split())
    return {p.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(".pyc")}


def test_engine_modules_never_import_textual():
    import sys

    code = "import sys, assistant.cli, assistant.engine, assistant.dialogue, assistant.render, assistant.eligibility, knowledge_base.loader; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_a_cached_engine_loads_without_pydantic_or_yaml(weiquan_home):
    import sys

    from assistant.engine import load_engine

    load_engine(ROOT / "data")  # make sure the cache exists
    code = (
        "import sys; from assistant.engine import load_engine; load_engine();"
        "print(sorted(m for m in ('pydantic', 'yaml', 'textual') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_wheel_answers_its_first_question_without_training(wheel, tmp_path):
    """The wheel carries the shipped knowledge base already built (hatch_build.py): with an empty cache the first
    question is answered from it, without validating the YAML (pydantic) or training, and nothing is written."""
    import sys

    site = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(site)
    built = list((site / "assistant" / "prebuilt").glob("engine-*.bin"))
    assert len(built) == 1
    home = tmp_path / "home"
    code = (
        "import sys; from assistant.engine import load_engine; e = load_engine();"
        "print(e.matcher.match('淘宝买的鞋子是假货').scenario, 'pydantic' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "WEIQUAN_HOME": str(home)}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["fake_goods", "False"], out.stderr
    assert not list(home.rglob("engine-*"))


def test_a_prebuilt_engine_for_other_data_is_not_used(wheel, tmp_path):
    """An edited copy of the installed knowledge base has another key: it is built, not read from the wheel."""
    import sys

    site = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(site)
    data = site / "knowledge_base" / "data"
    with (data / "dict" / "user_words.txt").open("a", encoding="utf-8") as handle:
        handle.write("\n测试新词\n")
    home = tmp_path / "home"
    code = "import sys; from assistant.engine import load_engine; load_engine(); print('pydantic' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(site), "WEIQUAN_HOME": str(home)}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
    assert len(list(home.rglob("engine-*.bin"))) == 1
