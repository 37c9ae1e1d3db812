"""Print a Cognito ID token for a local account: ``python -m local.token <username> <password>``.

Signs in as a client would (``USER_PASSWORD_AUTH`` against the emulator's Cognito, with the
pool and client from ``outputs.json``), so ``curl -H "Authorization: Bearer $(...)"`` works.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from local.client import load_outputs, outputs_path
from local.client.cognito import Cognito


def read_outputs(path: Path | None) -> dict[str, Any] | None:
    """``outputs.json`` (default ``$LOCAL_STATE_DIR/outputs.json``), or None after saying it is missing."""
    path = path or outputs_path()
    try:
        return load_outputs(path)
    except FileNotFoundError:
        print(f"{path} not found: is `make dev` running?", file=sys.stderr)
        return None


def parse_with_outputs(
    parser: argparse.ArgumentParser, argv: list[str] | None
) -> tuple[argparse.Namespace, dict[str, Any] | None]:
    """The command line of a local helper, with ``--outputs``; and the outputs it names."""
    parser.add_argument("--outputs", type=Path, help="outputs.json (default: $LOCAL_STATE_DIR/outputs.json)")
    args = parser.parse_args(argv)
    return args, read_outputs(args.outputs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.token", description=__doc__.split("\n")[0])
    parser.add_argument("username", help="phone number, e.g. +919000000001")
    parser.add_argument("password")
    args, outputs = parse_with_outputs(parser, argv)
    if outputs is None:
        return 1
    try:
        print(Cognito.from_outputs(outputs).id_token(args.username, args.password))
    except (ClientError, BotoCoreError) as exc:
        print(f"sign-in failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
