"""Publish the built portal to a deployed stage: ``python -m infra.publish_portal <outputs.json>``
(``make deploy`` runs it after ``cdk deploy``, with the outputs file that deploy wrote).

The build (``web/dist``, ``make web``) goes to the stage's portal bucket under ``app/``: hashed
assets first, cached for a year; then ``index.html`` and ``config.json`` (the stage's API URL
and Cognito ids, from the outputs), revalidated on every load; then CloudFront is told to drop
its copies of those two. Old hashed assets stay, so a page opened before the deployment keeps
working. Needs the deployer's AWS credentials (s3:PutObject on the bucket,
cloudfront:CreateInvalidation on the distribution)."""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from infra import portal_policy
from infra.constants import PORTAL_DIST

PREFIX = portal_policy.PORTAL_PATH.strip("/") + "/"
PAGES = ("index.html",)


def files_in_order(dist: Path) -> Iterator[tuple[str, Path]]:
    """(path relative to the build, file): every asset before the pages that load them."""
    files = sorted(path for path in dist.rglob("*") if path.is_file())
    relative = [(path.relative_to(dist).as_posix(), path) for path in files]
    yield from ((name, path) for name, path in relative if name not in PAGES)
    yield from ((name, path) for name, path in relative if name in PAGES)


def publish(outputs: Mapping[str, Any], dist: Path, *, s3: Any, cloudfront: Any) -> dict[str, Any]:
    """Upload ``dist`` and config.json, invalidate the pages: what was done."""
    if not (dist / "index.html").is_file():
        raise FileNotFoundError(f"{dist / 'index.html'} is missing: run `make web` first")
    bucket = str(outputs["PortalBucket"])
    uploaded = []
    for name, path in files_in_order(dist):
        s3.put_object(
            Bucket=bucket,
            Key=PREFIX + name,
            Body=path.read_bytes(),
            ContentType=portal_policy.content_type(name),
            CacheControl=portal_policy.cache_control(name),
        )
        uploaded.append(name)
    config = json.dumps(portal_policy.portal_config(outputs), ensure_ascii=False).encode()
    s3.put_object(
        Bucket=bucket,
        Key=PREFIX + "config.json",
        Body=config,
        ContentType=portal_policy.content_type("config.json"),
        CacheControl=portal_policy.cache_control("config.json"),
    )
    uploaded.append("config.json")
    paths = [f"/{PREFIX}{name}" for name in (*PAGES, "config.json")]
    invalidation = cloudfront.create_invalidation(
        DistributionId=str(outputs["PortalDistributionId"]),
        InvalidationBatch={
            "Paths": {"Quantity": len(paths), "Items": paths},
            "CallerReference": uuid.uuid4().hex,
        },
    )["Invalidation"]
    return {
        "bucket": bucket,
        "uploaded": uploaded,
        "invalidated": paths,
        "invalidation_id": invalidation["Id"],
    }


def _stack_outputs(path: Path) -> dict[str, Any]:
    """The outputs of the one stack in a ``cdk deploy --outputs-file`` file (or a flat file)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if "PortalBucket" in data:
        return dict(data)
    stacks = [value for value in data.values() if isinstance(value, dict) and "PortalBucket" in value]
    if len(stacks) != 1:
        raise ValueError(f"{path} has no single stack with a PortalBucket output")
    return dict(stacks[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outputs", type=Path, help="cdk deploy's outputs file (.local/outputs-<stage>.json)")
    parser.add_argument("--dist", type=Path, default=PORTAL_DIST, help="the built portal (default web/dist)")
    args = parser.parse_args(argv)
    import boto3

    outputs = _stack_outputs(args.outputs)
    region = portal_policy.portal_config(outputs)["cognito"]["region"]
    try:
        s3 = boto3.client("s3", region_name=region)
        done = publish(outputs, args.dist, s3=s3, cloudfront=boto3.client("cloudfront"))
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(
        f"published {len(done['uploaded'])} files to s3://{done['bucket']}/{PREFIX}; "
        f"invalidation {done['invalidation_id']} for {', '.join(done['invalidated'])}"
    )
    print(f"portal: {outputs.get('PortalUrl')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
