"""make deploy publishes web/dist to the stage's portal bucket (on moto here): assets before the
page, the caching each kind of file needs, config.json from the stack's outputs, and the
CloudFront invalidation of the two files that are not hashed."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from infra import portal_policy
from infra.publish_portal import main, publish

REGION = "ap-south-1"
OUTPUTS = {
    "ApiUrl": "https://abc123.execute-api.ap-south-1.amazonaws.com/dev/",
    "UserPoolId": "ap-south-1_Pool1",
    "UserPoolClientId": "client1",
    "PortalBucket": "sevamitra-dev-portal",
    "PortalUrl": "https://d111.cloudfront.net/app/",
}


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text('<script type="module" src="/app/assets/index-abc.js"></script>')
    (tmp_path / "assets" / "index-abc.js").write_text("console.log(1)")
    (tmp_path / "assets" / "index-def.css").write_text("body{}")
    return tmp_path


@pytest.fixture
def stage():
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(
            Bucket=OUTPUTS["PortalBucket"], CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        cloudfront = boto3.client("cloudfront", region_name="us-east-1")
        distribution = cloudfront.create_distribution(
            DistributionConfig={
                "CallerReference": "portal",
                "Comment": "portal",
                "Enabled": True,
                "Origins": {
                    "Quantity": 1,
                    "Items": [
                        {
                            "Id": "bucket",
                            "DomainName": f"{OUTPUTS['PortalBucket']}.s3.amazonaws.com",
                            "S3OriginConfig": {"OriginAccessIdentity": ""},
                        }
                    ],
                },
                "DefaultCacheBehavior": {
                    "TargetOriginId": "bucket",
                    "ViewerProtocolPolicy": "redirect-to-https",
                    "MinTTL": 0,
                },
            }
        )["Distribution"]
        yield {**OUTPUTS, "PortalDistributionId": distribution["Id"]}, s3, cloudfront


def test_publish_uploads_assets_then_pages_with_their_caching_and_invalidates_the_pages(dist, stage):
    outputs, s3, cloudfront = stage
    done = publish(outputs, dist, s3=s3, cloudfront=cloudfront)

    assert done["uploaded"] == ["assets/index-abc.js", "assets/index-def.css", "index.html", "config.json"]
    bucket = outputs["PortalBucket"]
    script = s3.head_object(Bucket=bucket, Key="app/assets/index-abc.js")
    assert script["CacheControl"] == portal_policy.IMMUTABLE_CACHE
    assert script["ContentType"] == "text/javascript; charset=utf-8"
    page = s3.head_object(Bucket=bucket, Key="app/index.html")
    assert (page["CacheControl"], page["ContentType"]) == ("no-cache", "text/html; charset=utf-8")
    config = s3.get_object(Bucket=bucket, Key="app/config.json")
    assert config["CacheControl"] == "no-cache"
    assert json.loads(config["Body"].read()) == {
        "apiUrl": "https://abc123.execute-api.ap-south-1.amazonaws.com/dev",
        "cognito": {"region": "ap-south-1", "userPoolId": "ap-south-1_Pool1", "clientId": "client1"},
        "languages": ["hi", "en"],
    }
    invalidation = cloudfront.get_invalidation(
        DistributionId=outputs["PortalDistributionId"], Id=done["invalidation_id"]
    )["Invalidation"]
    assert invalidation["InvalidationBatch"]["Paths"]["Items"] == ["/app/index.html", "/app/config.json"]


def test_publish_reads_the_outputs_file_cdk_deploy_writes(dist, stage, tmp_path, monkeypatch, capsys):
    outputs, s3, _ = stage
    outputs_file = tmp_path / "outputs-dev.json"
    outputs_file.write_text(json.dumps({"SevaMitra-dev": outputs}))
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    assert main([str(outputs_file), "--dist", str(dist)]) == 0
    assert "https://d111.cloudfront.net/app/" in capsys.readouterr().out
    assert s3.head_object(Bucket=outputs["PortalBucket"], Key="app/index.html")


def test_publish_without_a_build_says_how_to_make_one(tmp_path, stage, capsys):
    outputs, _, _ = stage
    outputs_file = tmp_path / "outputs.json"
    outputs_file.write_text(json.dumps(outputs))
    assert main([str(outputs_file), "--dist", str(tmp_path / "missing")]) == 1
    assert "make web" in capsys.readouterr().err
