"""Answer a police verification request as a police department system would (``make dev`` demo).

    python -m local.police <request_id> clear
    python -m local.police <request_id> adverse --case-ref "FIR 112/2025"

Reads ``.local/outputs.json`` (ApiUrl, AwsEndpointUrl, PoliceSecretArn), takes the shared key from
the local Secrets Manager, signs the raw body and posts it to ``/verification/callback``.
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

from verify.signature import HEADER, sign

OUTPUTS = Path(".local/outputs.json")


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - a local URL
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("request_id")
    parser.add_argument("result", choices=["clear", "adverse"])
    parser.add_argument("--case-ref", action="append", default=[])
    parser.add_argument("--remarks")
    parser.add_argument("--outputs", type=Path, default=OUTPUTS)
    args = parser.parse_args(argv)

    outputs = json.loads(args.outputs.read_text())
    secrets = boto3.client("secretsmanager", endpoint_url=outputs.get("AwsEndpointUrl"))
    key = secrets.get_secret_value(SecretId=outputs["PoliceSecretArn"])["SecretString"].encode()
    payload: dict[str, Any] = {"request_id": args.request_id, "result": args.result}
    if args.case_ref:
        payload["case_refs"] = args.case_ref
    if args.remarks:
        payload["remarks"] = args.remarks
    body = json.dumps(payload).encode()
    status, answer = _post(
        outputs["ApiUrl"].rstrip("/") + "/verification/callback",
        body,
        {"Content-Type": "application/json", HEADER: sign(key, int(time.time()), body)},
    )
    print(status, json.dumps(answer, ensure_ascii=False))
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
