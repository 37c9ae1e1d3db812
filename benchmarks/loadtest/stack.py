"""The stack the load runs against: by default its own (``python -m local.server``, what
``make dev`` runs) on free ports with a temporary state directory, short booking expiry and a 1 s
scheduler, so the expiry sweep races the professionals' accepts; and its emulator's tables, read
directly afterwards for the invariants."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3

from local.client.launch import LocalStackProcess


@contextmanager
def own_stack(accept_timeout_s: int, log_path: Path | None = None) -> Iterator[dict[str, Any]]:
    """A local stack of its own for the run: its outputs."""
    with tempfile.TemporaryDirectory(prefix="seva-load-") as state_dir:
        knobs = {
            "BOOKING_ACCEPT_TIMEOUT_S": str(accept_timeout_s),
            # Offers time out (and move on) well inside that, so re-offers race accepts too.
            "OFFER_TIMEOUT_S": str(max(1, accept_timeout_s // 3)),
            "SCHEDULE_INTERVAL_S": "1",
            # A handful of citizens stands in for a city: their searches are not one person's.
            "MATCH_SEARCH_BURST": os.environ.get("MATCH_SEARCH_BURST", "100000"),
            "MATCH_SEARCH_SUSTAINED": os.environ.get("MATCH_SEARCH_SUSTAINED", "100000"),
        }
        with LocalStackProcess(Path(state_dir), env=knobs, log_path=log_path) as stack:
            yield stack.outputs


def dynamodb_resource(outputs: dict[str, Any]) -> Any:
    """The emulator's DynamoDB, to read the tables as they are."""
    return boto3.resource(
        "dynamodb",
        region_name=str(outputs.get("Region") or "ap-south-1"),
        endpoint_url=outputs["AwsEndpointUrl"],
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106 - the emulator's fake credentials
    )
