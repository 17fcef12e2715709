"""Properties of the case store with arbitrary Unicode, bytes-as-text and numbers: whatever is kept is read
back exactly or refused with a StoreError/ValueError — never lost, never silently changed, never a crash."""
import datetime as dt
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.cases import CaseStore, Event, StoreError, new_id

TODAY = dt.date(2026, 11, 21)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

any_text = st.text(min_size=1, max_size=200)  # every code point hypothesis can make: controls, surrogates, emoji
values = st.one_of(st.integers(min_value=-(10**30), max_value=10**30), st.floats(allow_nan=True, allow_infinity=True),
                   st.booleans(), st.text(max_size=50), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))


def fresh(tmp_path_factory) -> CaseStore:
    return CaseStore(tmp_path_factory.mktemp("store") / "cases.sqlite3")


def _same(stored, given_value):
    if isinstance(given_value, dt.date):
        return stored == given_value.isoformat()
    if isinstance(given_value, float):
        return stored == given_value or (isinstance(stored, int) and float(stored) == given_value)
    return stored == given_value


@SETTINGS
@given(title=any_text, note=any_text, value=values)
def test_what_is_kept_is_read_back_exactly_or_refused(tmp_path_factory, title, note, value):
    store = fresh(tmp_path_factory)
    try:
        case_id = store.create("fake_goods", title, "zh", {"price": (value, "flag")}, TODAY)
    except ValueError:
        assert isinstance(value, float) and not math.isfinite(value) or any("\ud800" <= ch <= "\udfff" for ch in title)
        assert store.list() == [] if store.path.exists() else True  # nothing half kept
        return
    case = store.get(case_id)
    assert case.title == title and _same(case.facts["price"][0], value)
    try:
        store.update(case_id, event=Event(TODAY, "note", note))
    except ValueError:
        assert any("\ud800" <= ch <= "\udfff" for ch in note)
        assert [e.note for e in store.get(case_id).events] == [title]
        return
    assert [e.note for e in store.get(case_id).events if e.kind == "note"] == [note]


@SETTINGS
@given(facts=st.dictionaries(st.text(min_size=1, max_size=30), values, max_size=8))
def test_a_failed_change_changes_nothing(tmp_path_factory, facts):
    store = fresh(tmp_path_factory)
    case_id = store.create("not_received", "t", "zh", {}, TODAY)
    before = store.get(case_id)
    try:
        store.update(case_id, facts={name: (value, "flag") for name, value in facts.items()})
    except ValueError:
        after = store.get(case_id)
        assert after.facts == before.facts and after.updated == before.updated
        return
    after = store.get(case_id)
    for name, value in facts.items():
        assert _same(after.facts[name][0], value)


@given(data=st.binary(min_size=1, max_size=4096))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_at_the_store_path_are_refused_and_left_untouched(tmp_path_factory, data):
    store = fresh(tmp_path_factory)
    store.path.write_bytes(data)
    for action in (store.list, lambda: store.create("not_received", "t", "zh", {}, TODAY)):
        try:
            action()
        except StoreError as exc:
            assert "\n" not in str(exc)
    assert store.path.read_bytes() == data


@given(taken=st.integers(min_value=0, max_value=200))
def test_new_ids_always_end(taken):
    seen = iter(range(10**6))
    case_id = new_id(TODAY, lambda i: next(seen) < taken)
    assert case_id.startswith("20261121-")
