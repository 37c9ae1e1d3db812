"""Answer a police verification request as a police department system would (``make dev`` demo).

    python -m local.police <request_id> clear
    python -m local.police <request_id> adverse --case-ref "FIR 112/2025"

Reads ``outputs.json`` (``$LOCAL_STATE_DIR/outputs.json``, default ``.local/outputs.json``:
ApiUrl, PoliceSecretArn, AwsEndpointUrl), takes the shared key from Secrets Manager (the
emulator's, with fake credentials, when the outputs name one), signs the raw body
(``X-Seva-Signature``) and posts it to ``/verification/callback``. Prints the status and answer;
exit code 0 on 200.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from local.token import read_outputs
from sevamitra.signing import HEADER, sign


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - a local URL
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def police_key(outputs: dict[str, Any]) -> bytes:
    """The ``SecretString`` of ``PoliceSecretArn`` (region from the ARN)."""
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


def callback_body(request_id: str, result: str, case_refs: list[str], remarks: str | None) -> bytes:
    payload: dict[str, Any] = {"request_id": request_id, "result": result}
    if case_refs:
        payload["case_refs"] = case_refs
    if remarks:
        payload["remarks"] = remarks
    return json.dumps(payload).encode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m local.police",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("request_id")
    parser.add_argument("result", choices=["clear", "adverse"])
    parser.add_argument("--case-ref", action="append", default=[])
    parser.add_argument("--remarks")
    parser.add_argument("--outputs", type=Path, help="outputs.json (default: $LOCAL_STATE_DIR/outputs.json)")
    args = parser.parse_args(argv)

    outputs = read_outputs(args.outputs)
    if outputs is None:
        return 1
    try:
        key = police_key(outputs)
    except (ClientError, BotoCoreError) as exc:
        print(f"could not read the police key: {exc}", file=sys.stderr)
        return 1
    body = callback_body(args.request_id, args.result, args.case_ref, args.remarks)
    status, answer = _post(
        str(outputs["ApiUrl"]).rstrip("/") + "/verification/callback",
        body,
        {"Content-Type": "application/json", HEADER: sign(key, int(time.time()), body)},
    )
    print(status, json.dumps(answer, ensure_ascii=False))
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
