"""``pretty_json`` (Rust, pydantic-core) writes what ``json.dumps(…, ensure_ascii=False, indent=2)`` wrote."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.output.tables import pretty_json

# Floats as the tool writes them; below 1e-4 Python writes 1e-05 where Rust writes 1e-5 (the same number).
_FLOATS = st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: x == 0 or abs(x) >= 1e-4)
_SCALARS = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | _FLOATS | st.text()
_PAYLOADS = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=20
)


@settings(max_examples=300, deadline=None)
@given(_PAYLOADS)
def test_same_text_as_json_dumps(payload: Any) -> None:
    assert pretty_json(payload) == json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_float_reads_back(value: float) -> None:
    assert json.loads(pretty_json({"value": value})) == {"value": value}
