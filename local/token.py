"""Print a Cognito ID token for a local account: ``python -m local.token <username> <password>``.

Signs in as a client would (``USER_PASSWORD_AUTH`` against the emulator's Cognito, with the
pool and client from ``outputs.json``), so ``curl -H "Authorization: Bearer $(...)"`` works.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError


def outputs_path() -> Path:
    return Path(os.environ.get("LOCAL_STATE_DIR", ".local")) / "outputs.json"


def read_outputs(path: Path | None) -> dict[str, Any] | None:
    """``outputs.json`` (default ``outputs_path()``), or None after saying it is missing."""
    path = path or outputs_path()
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        print(f"{path} not found: is `make dev` running?", file=sys.stderr)
        return None


def id_token(outputs: dict[str, Any], username: str, password: str) -> str:
    idp = boto3.client(
        "cognito-idp",
        region_name=outputs.get("Region", "ap-south-1"),
        endpoint_url=outputs.get("AwsEndpointUrl"),
        # Sign-in is an unauthenticated Cognito call, as from a phone: no AWS credentials.
        config=Config(signature_version=UNSIGNED),
    )
    result = idp.initiate_auth(
        ClientId=outputs["UserPoolClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )
    return str(result["AuthenticationResult"]["IdToken"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.token", description=__doc__.split("\n")[0])
    parser.add_argument("username", help="phone number, e.g. +919000000001")
    parser.add_argument("password")
    parser.add_argument("--outputs", type=Path, help="outputs.json (default: $LOCAL_STATE_DIR/outputs.json)")
    args = parser.parse_args(argv)
    outputs = read_outputs(args.outputs)
    if outputs is None:
        return 1
    try:
        print(id_token(outputs, args.username, args.password))
    except (ClientError, BotoCoreError) as exc:
        print(f"sign-in failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
