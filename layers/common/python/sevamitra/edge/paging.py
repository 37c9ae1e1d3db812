"""What every list route takes and answers (API.md, second wave): ``?limit=`` (default 20, at
most 100), ``?cursor=`` (opaque, from the previous page's ``next_cursor``), and ``next_cursor``."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import Field

from sevamitra.edge.cursors import MAX_CURSOR_CHARS

DEFAULT_LIMIT = 20
MAX_LIMIT = 100

PageLimit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page (default 20, at most 100)")]
PageCursor = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=MAX_CURSOR_CHARS,
        description="The previous page's next_cursor; a cursor from anywhere else is 422 invalid_cursor",
    ),
]
# The answer's field (required, null on the last page).
NextCursor = Annotated[
    str | None, Field(description="Pass as ?cursor= for the next page; null: the last page")
]
