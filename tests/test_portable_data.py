"""Every shipped YAML file reads the same with PyYAML's pure-Python SafeLoader (used where libyaml is missing)."""
import pytest
import yaml

from conftest import ROOT

SHIPPED = sorted((ROOT / "data").rglob("*.yaml"))
FIXTURES = sorted(p for p in (ROOT / "tests" / "fixtures" / "kb").rglob("*.yaml"))


def test_there_is_something_to_check():
    assert len(SHIPPED) >= 20 and any(p.name == "facts.yaml" for p in SHIPPED)


def read(text: str, loader: type):
    reader = loader(text)
    try:
        return reader.get_single_data()
    finally:
        reader.dispose()


@pytest.mark.parametrize("path", SHIPPED + FIXTURES, ids=lambda p: str(p.relative_to(ROOT)))
def test_loads_with_the_pure_python_safe_loader(path):
    text = path.read_text(encoding="utf-8")
    data = read(text, yaml.SafeLoader)
    assert data is not None
    if hasattr(yaml, "CSafeLoader"):
        assert data == read(text, yaml.CSafeLoader)
