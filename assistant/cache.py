"""The engine cache on disk: data only (JSON and raw float arrays), checked on load, never executed.

Layout: a magic line, one JSON manifest line (format version, section lengths, a SHA-256 of the body), then the
body: the knowledge base as JSON, the index as JSON, and the model's float32 weights. Anything unexpected —
wrong magic, bad lengths or digest, a type that does not fit — makes `read` return None, and the caller rebuilds.
A file planted in the cache folder can at worst be rejected; nothing in it is ever run.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from array import array
from pathlib import Path

from knowledge_base.locations import write_derived
from knowledge_base.view import View

MAGIC = b"weiquan-engine\n"
FORMAT = 2
_DATE_KEY = "$date"


class InvalidCache(ValueError):
    pass


def _encode(value):
    if isinstance(value, dt.date):
        return {_DATE_KEY: value.isoformat()}
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot cache {type(value).__name__}")


def _decode_object(data: dict):
    """Dates back to dates; every other object straight into a read-only view (one pass, not a second walk)."""
    if len(data) == 1 and _DATE_KEY in data:
        return dt.date.fromisoformat(data[_DATE_KEY])
    return View(data)


def _kb_payload(kb) -> dict:
    return {
        "scenarios": kb.scenarios,
        "facts": kb.facts,
        "parameters": kb.parameters,
        "compensation": kb.compensation,
        "out_of_scope": kb.out_of_scope,
        "user_words": kb.user_words,
        "synonyms": kb.synonyms,
        "stopwords": kb.stopwords,
        "fingerprint": kb.fingerprint,
    }


def _index_payload(index) -> dict:
    vocabulary = index.vocabulary
    rows = sorted(index.model.rows, key=index.model.rows.__getitem__)
    return {
        "classes": index.classes,
        "roles": index.roles,
        "freq": vocabulary.freq,
        "total": vocabulary.total,
        "synonyms": vocabulary.synonyms,
        "phrases": [[list(words), canonical] for words, canonical in vocabulary.phrases.items()],
        "stopwords": vocabulary.stopwords,
        "features": rows,
    }


def write(path: Path, kb, index) -> None:
    """Write atomically (temp file + rename); a failure leaves no temp file behind and costs only speed."""
    kb_json = json.dumps(_kb_payload(kb), ensure_ascii=False, default=_encode, allow_nan=False).encode("utf-8")
    index_json = json.dumps(_index_payload(index), ensure_ascii=False, default=_encode, allow_nan=False).encode("utf-8")
    weights = index.model.weights.tobytes()
    body = kb_json + index_json + weights
    manifest = {
        "format": FORMAT,
        "byteorder": sys.byteorder,
        "sections": [len(kb_json), len(index_json), len(weights)],
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    write_derived(path, MAGIC + json.dumps(manifest).encode("ascii") + b"\n" + body, prefix=".engine-")


def read(path: Path, root: Path):
    """(kb, index) from the file, or None when it is missing or not a valid cache of this format."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        return _parse(data, root)
    except (InvalidCache, ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError,
            RecursionError, MemoryError):
        return None


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise InvalidCache(what)


def _parse(data: bytes, root: Path):
    from knowledge_base.model import KnowledgeBase

    from .classify import LinearModel
    from .match import Index
    from .tokenize import Vocabulary

    _expect(data.startswith(MAGIC), "magic")
    end = data.index(b"\n", len(MAGIC))
    manifest = json.loads(data[len(MAGIC) : end])
    _expect(isinstance(manifest, dict) and manifest.get("format") == FORMAT, "format")
    _expect(manifest.get("byteorder") == sys.byteorder, "byte order")
    sections = manifest.get("sections")
    _expect(isinstance(sections, list) and len(sections) == 3 and all(isinstance(n, int) and n >= 0 for n in sections), "sections")
    body = data[end + 1 :]
    _expect(len(body) == sum(sections), "length")
    _expect(hashlib.sha256(body).hexdigest() == manifest.get("sha256"), "digest")
    kb_end = sections[0]
    index_end = kb_end + sections[1]
    stored = json.loads(body[:kb_end].decode("utf-8"), object_hook=_decode_object)
    payload = json.loads(body[kb_end:index_end].decode("utf-8"))
    _expect(isinstance(stored, dict) and isinstance(payload, dict), "payload")
    weights = array("f")
    weights.frombytes(body[index_end:])

    classes, roles, features = payload["classes"], payload["roles"], payload["features"]
    _expect(all(isinstance(x, list) for x in (classes, roles, features)), "index lists")
    _expect(len(roles) == len(classes), "index lists")
    _expect(len(weights) == len(features) * len(classes), "weights size")
    _expect(isinstance(payload["freq"], dict) and isinstance(payload["total"], int), "vocabulary")
    vocabulary = Vocabulary(
        freq=payload["freq"],
        total=payload["total"],
        synonyms=dict(payload["synonyms"]),
        phrases={tuple(words): canonical for words, canonical in payload["phrases"]},
        stopwords=frozenset(payload["stopwords"]),
    )
    model = LinearModel(list(classes), {f: i for i, f in enumerate(features)}, weights)
    index = Index(list(classes), list(roles), vocabulary, model)

    scenarios = stored["scenarios"]
    _expect(isinstance(scenarios, dict) and set(scenarios) | {"__out_of_scope__"} == set(classes), "scenarios")
    kb = KnowledgeBase(
        root=root,
        scenarios=dict(scenarios),
        facts=dict(stored["facts"]),
        parameters=dict(stored["parameters"]),
        compensation=dict(stored["compensation"]),
        out_of_scope=stored["out_of_scope"],
        user_words=list(stored["user_words"]),
        synonyms=dict(stored["synonyms"]),
        stopwords=set(stored["stopwords"]),
        fingerprint=str(stored["fingerprint"]),
    )
    return kb, index
