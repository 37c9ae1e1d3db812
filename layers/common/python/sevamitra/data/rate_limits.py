"""Counting an account's requests against a ``RateLimit``: one conditional ``UpdateItem`` per
request on the item of its sustained window (``RateWindowModel``).

``ADD hits 1, b<k> 1`` only while ``hits < sustained`` and ``b<k> < burst`` (``b<k>``: the count of
the current burst window): concurrent requests cannot overshoot, and a refused request writes
nothing (its failed condition still costs the write unit). On refusal the item as it was
(``ReturnValuesOnConditionCheckFailure``) says which allowance ran out, for ``Retry-After``.
Raw botocore, not pynamodb: the burst counter's attribute name depends on the time.
"""

from __future__ import annotations

from typing import Any, cast

from botocore.exceptions import ClientError

from sevamitra.data import dynamo
from sevamitra.data.errors import dependency_errors
from sevamitra.data.models import RateWindowModel
from sevamitra.edge.ratelimit import RateLimit, Refused
from sevamitra.platform import aws


def window_key(scope: str, sub: str, start_s: int) -> str:
    return f"{scope}#{sub}#{start_s}"


def take(scope: str, sub: str, limit: RateLimit, now_s: int) -> Refused | None:
    """Count one request of ``sub`` under ``scope`` at ``now_s``: None when allowed, else when
    to retry. SDK failures are ``Throttled``/``DependencyFailed`` (the caller decides)."""
    windows = limit.windows(now_s)
    with dependency_errors("The request counter"):
        try:
            aws.client("dynamodb").update_item(
                TableName=RateWindowModel.Meta.table_name,
                Key={"pk": {"S": window_key(scope, sub, windows.start_s)}},
                UpdateExpression="ADD #hits :one, #burst :one SET #expires = :expires",
                ConditionExpression=(
                    "(attribute_not_exists(#hits) OR #hits < :sustained)"
                    " AND (attribute_not_exists(#burst) OR #burst < :burst)"
                ),
                ExpressionAttributeNames={
                    "#hits": "hits",
                    "#burst": f"b{windows.burst_index}",
                    "#expires": "expires",
                },
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":sustained": {"N": str(limit.sustained)},
                    ":burst": {"N": str(limit.burst)},
                    ":expires": {"N": str(windows.end_s)},
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if not dynamo.condition_failed(exc):
                raise
            held = cast(dict[str, Any], exc.response.get("Item") or {})
            hits = int(held.get("hits", {}).get("N", "0"))
            until = windows.end_s if hits >= limit.sustained else windows.burst_end_s
            return Refused(retry_after_s=max(1, until - now_s))
    return None
