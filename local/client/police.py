"""The police department's side of verification: the shared callback key, and callbacks signed
with it (``X-Seva-Signature``, ``sevamitra.edge.signing``) as the department's system sends them."""

from __future__ import annotations

import json
import time
from typing import Any

import boto3

from local.client import Caller
from sevamitra.edge.signing import HEADER, sign


def read_police_key(outputs: dict[str, Any]) -> bytes:
    """The ``SecretString`` of ``PoliceSecretArn``, from Secrets Manager (region from the ARN); on
    the emulator (``AwsEndpointUrl``) with its fake credentials."""
    arn = str(outputs["PoliceSecretArn"])
    client: dict[str, Any] = {"region_name": arn.split(":")[3]}
    if outputs.get("AwsEndpointUrl"):
        # The emulator: any credentials do, and the shell's must never reach a real account.
        client.update(
            endpoint_url=outputs["AwsEndpointUrl"],
            aws_access_key_id="local",
            aws_secret_access_key="local",  # noqa: S106 - the emulator's fake credentials
        )
    secrets = boto3.client("secretsmanager", **client)
    return str(secrets.get_secret_value(SecretId=arn)["SecretString"]).encode()


def police_key(outputs: dict[str, Any]) -> bytes:
    """The key: the local stack's outputs carry it (``PoliceSecretValue``); else Secrets Manager."""
    if outputs.get("PoliceSecretValue"):
        return str(outputs["PoliceSecretValue"]).encode()
    return read_police_key(outputs)


def signed_callback(
    key: bytes, payload: dict[str, Any], *, at: int | None = None
) -> tuple[bytes, dict[str, str]]:
    """The raw body of a callback and its headers, signed with ``key`` at ``at`` (default now)."""
    raw = json.dumps(payload).encode()
    timestamp = int(time.time()) if at is None else at
    return raw, {"Content-Type": "application/json", HEADER: sign(key, timestamp, raw)}


class Police:
    """Answers police verification requests as the department's system does: a signed callback
    through ``caller`` (no account: the signature is the credential)."""

    def __init__(self, caller: Caller, key: bytes) -> None:
        self.caller = caller
        self.key = key

    def answer(self, request_id: str, result: str = "clear", **extra: Any) -> Any:
        """``POST /verification/callback``, which must answer 200: the answer."""
        raw, headers = signed_callback(self.key, {"request_id": request_id, "result": result, **extra})
        return self.caller.ok("POST", "/verification/callback", data=raw, headers=headers)
