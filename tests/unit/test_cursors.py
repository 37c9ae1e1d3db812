"""Page cursors: what a client gets back works for its own next page and for nothing else."""

from __future__ import annotations

import base64
import json

import pytest

from sevamitra.edge import cursors
from sevamitra.edge.errors import Unprocessable

LAST_KEY = {"pk": {"S": "citizen-1"}, "sk": {"S": "2026-12-01T10:00:00Z#bkg_1"}}
MINE = cursors.scope_of("GET /bookings", "citizen-1", "role=citizen", "status=")


class _FixedKey:
    def __init__(self, key: bytes) -> None:
        self.key = key

    def get(self) -> bytes:
        return self.key


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cursors, "_KEY", _FixedKey(b"k" * 64))


def _invalid(cursor: str, scope: str = MINE) -> None:
    with pytest.raises(Unprocessable) as refused:
        cursors.decode(cursor, scope)
    assert refused.value.code == "invalid_cursor"


def test_a_cursor_gives_back_the_key_it_was_made_from_for_the_same_query() -> None:
    cursor = cursors.encode(LAST_KEY, MINE)
    assert cursor is not None
    assert cursors.decode(cursor, MINE) == LAST_KEY


def test_no_more_rows_is_no_cursor_and_no_cursor_is_the_first_page() -> None:
    assert cursors.encode(None, MINE) is None
    assert cursors.encode({}, MINE) is None
    assert cursors.decode(None, MINE) is None
    assert cursors.decode("", MINE) is None


def test_another_callers_or_another_querys_cursor_is_invalid_here() -> None:
    cursor = cursors.encode(LAST_KEY, MINE)
    assert cursor
    _invalid(cursor, cursors.scope_of("GET /bookings", "citizen-2", "role=citizen", "status="))
    _invalid(cursor, cursors.scope_of("GET /bookings", "citizen-1", "role=citizen", "status=requested"))


def test_an_edited_payload_with_the_old_signature_is_invalid() -> None:
    cursor = cursors.encode(LAST_KEY, MINE)
    assert cursor
    _, mac = cursor.split(".")
    forged = {**LAST_KEY, "pk": {"S": "citizen-2"}}
    payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    _invalid(f"{payload}.{mac}")


def test_a_cursor_made_with_another_key_is_invalid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cursors, "_KEY", _FixedKey(b"x" * 64))
    cursor = cursors.encode(LAST_KEY, MINE)
    monkeypatch.setattr(cursors, "_KEY", _FixedKey(b"k" * 64))
    assert cursor
    _invalid(cursor)


@pytest.mark.parametrize(
    "garbage",
    [
        "x",
        "a.b.c",
        ".",
        "not base64!.abc",
        "e30.AAAA",
        "%%%.%%%",
        "é.é",
        "A" * 5000,
        "W10.AAAAAAAAAAAAAAAAAAAAAA",
    ],
)
def test_garbage_is_invalid_never_an_error(garbage: str) -> None:
    _invalid(garbage)


def test_the_cursor_is_url_safe() -> None:
    cursor = cursors.encode({"pk": {"S": "ख+/=?&"}}, MINE)
    assert cursor
    assert all(c.isalnum() or c in "-_." for c in cursor)
