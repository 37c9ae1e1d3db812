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
from typing import Any

import requests
from botocore.exceptions import BotoCoreError, ClientError

from local.client.http import Account, Api
from local.client.police import read_police_key, signed_callback
from local.token import parse_with_outputs


def callback_payload(
    request_id: str, result: str, case_refs: list[str], remarks: str | None
) -> dict[str, Any]:
    payload: dict[str, Any] = {"request_id": request_id, "result": result}
    if case_refs:
        payload["case_refs"] = case_refs
    if remarks:
        payload["remarks"] = remarks
    return payload


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
    args, outputs = parse_with_outputs(parser, argv)
    if outputs is None:
        return 1
    try:
        key = read_police_key(outputs)
    except (ClientError, BotoCoreError) as exc:
        print(f"could not read the police key: {exc}", file=sys.stderr)
        return 1
    raw, headers = signed_callback(
        key, callback_payload(args.request_id, args.result, args.case_ref, args.remarks)
    )
    police = Account(Api(str(outputs["ApiUrl"]), timeout_s=10, keep_alive=False))
    try:
        response = police.call("POST", "/verification/callback", data=raw, headers=headers)
    except requests.RequestException as exc:
        print(f"could not reach the API: {exc}", file=sys.stderr)
        return 1
    answer = response.json() if response.content else None
    print(response.status_code, json.dumps(answer, ensure_ascii=False))
    return 0 if response.status_code == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
