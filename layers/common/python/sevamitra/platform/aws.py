"""AWS clients for the functions: botocore's own, created on first use and kept for the life of
the execution environment (one session, so the service models load once).

Not boto3: ``import boto3`` adds its resource layer and s3transfer, about 80 ms of every cold
start, for nothing the functions use; a botocore client has the same methods (including S3's
``generate_presigned_post``). pynamodb talks to DynamoDB through botocore as well.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from botocore.config import Config
from botocore.session import Session, get_session

from sevamitra.platform.settings import settings


@cache
def _session() -> Session:
    return get_session()


@cache
def client(service: str) -> Any:
    """The client of ``service`` in the function's region (S3 signs with SigV4, as presigned
    POSTs with server-side encryption require)."""
    config = Config(signature_version="s3v4") if service == "s3" else None
    return _session().create_client(service, region_name=settings().aws_region, config=config)
