"""The nesting check that runs before any body reaches the JSON parser (issue 13, item 1)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sevamitra.edge.api import MAX_JSON_DEPTH, json_too_deep


def arrays(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def test_exactly_the_limit_passes_and_one_more_level_is_too_deep() -> None:
    assert not json_too_deep(arrays(MAX_JSON_DEPTH))
    assert json_too_deep(arrays(MAX_JSON_DEPTH + 1))
    assert not json_too_deep(b'{"a":' * (MAX_JSON_DEPTH - 1) + b"[]" + b"}" * (MAX_JSON_DEPTH - 1))
    assert json_too_deep(b'{"a":' * MAX_JSON_DEPTH + b"[]" + b"}" * MAX_JSON_DEPTH)


def test_objects_and_arrays_count_alike_and_siblings_do_not_add_up() -> None:
    assert json_too_deep(b'{"x":' + b'[{"y":' * 17 + b"1" + b"}]" * 17 + b"}")  # 35 levels
    assert not json_too_deep(b"[" + b"[[[]]]," * 10_000 + b"[]]")  # wide, 4 deep


def test_an_unclosed_pile_of_brackets_is_too_deep() -> None:
    assert json_too_deep(b'{"x":' + b"[" * 1000)


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"remarks": "[" * 1000}).encode(),
        json.dumps({"remarks": '"[' * 500}).encode(),  # escaped quotes: \"[\"[...
        json.dumps({"remarks": "\\" * 3 + '"' + "{" * 500}).encode(),  # \\\\\\\" then braces
        json.dumps({"नाम": "ठीक [" * 100}, ensure_ascii=False).encode(),  # UTF-8 around the brackets
        json.dumps({"k" + "[" * 100: 1}).encode(),  # brackets in a key
    ],
)
def test_brackets_inside_strings_are_not_nesting(body: bytes) -> None:
    assert json.loads(body)  # a valid document
    assert not json_too_deep(body)


def test_a_string_that_ends_in_an_escaped_backslash_closes_before_the_brackets() -> None:
    # "a\\" is a complete string (its backslash is escaped), so the arrays after it are real.
    body = b'["a\\\\",' + arrays(40) + b"]"
    assert depth_of(json.loads(body)) == 41
    assert json_too_deep(body)


def test_brackets_after_an_unterminated_string_are_not_reached_by_a_parser() -> None:
    body = b'{"x": "never closed ' + arrays(1000)
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)
    assert not json_too_deep(body)


def depth_of(value: object) -> int:
    """The nesting of a parsed JSON value: a scalar is 0, ``[]`` and ``{}`` are 1."""
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    return 0


_BRACKETY_TEXT = st.text(alphabet='[]{}"\\ a\u0915,:', max_size=12)
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | _BRACKETY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_BRACKETY_TEXT, inner, max_size=3),
    max_leaves=60,
)


@settings(max_examples=300, deadline=None)
@given(value=_JSON_VALUES, ensure_ascii=st.booleans())
def test_agrees_with_the_depth_of_what_a_parser_builds(value: object, ensure_ascii: bool) -> None:
    body = json.dumps(value, ensure_ascii=ensure_ascii).encode()
    for limit in (0, 1, 3, max(depth_of(value) - 1, 0), depth_of(value), MAX_JSON_DEPTH):
        assert json_too_deep(body, limit) == (depth_of(value) > limit)
