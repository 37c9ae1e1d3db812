"""Documents bucket, user pool, secrets, event bus and the stable outputs."""

from __future__ import annotations

import json

import boto3
from moto import mock_aws

from local.provision import create_documents_bucket
from sevamitra.domain.documents import BUCKET_VERSIONED

OUTPUTS = {
    "ApiUrl",
    "UserPoolId",
    "UserPoolClientId",
    "DocumentsBucket",
    "PoliceSecretArn",
    "PortalUrl",
    "PortalBucket",
    "PortalDistributionId",
    "IgrsSecretArn",
    "AuditAnchorBucket",
    "OndcSubscriberId",
    "OndcUniqueKeyId",
    # Deployed, the public key is derived from this secret (python -m ondc.keys); locally the
    # outputs file holds OndcSigningPublicKey itself.
    "OndcSigningKeySecretArn",
}


def _documents_bucket(synth) -> dict:
    return synth.resources[synth.logical_id(synth.stack.documents.bucket)]["Properties"]


def test_documents_bucket_is_private_encrypted_and_versioned(dev):
    props = _documents_bucket(dev)
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    (rule,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert props["LoggingConfiguration"]["DestinationBucketName"] == {
        "Ref": dev.logical_id(dev.stack.documents.access_logs)
    }


def test_local_documents_bucket_is_versioned_from_the_same_definition_as_the_stacks(dev, prod):
    """The document check pins the object version it read (a re-posted upload form only adds a
    newer one), so both stacks' buckets and the local one keep versions, from one setting."""
    assert BUCKET_VERSIONED is True
    with mock_aws():
        create_documents_bucket("ap-south-1", "parity-documents")
        local = boto3.client("s3", region_name="ap-south-1").get_bucket_versioning(Bucket="parity-documents")
    for synth in (dev, prod):
        assert (
            _documents_bucket(synth)["VersioningConfiguration"]
            == {"Status": local["Status"]}
            == {"Status": "Enabled"}
        )


def test_documents_bucket_refuses_plain_http(dev):
    bucket_id = dev.logical_id(dev.stack.documents.bucket)
    (policy,) = [
        res["Properties"]["PolicyDocument"]
        for res in dev.of_type("AWS::S3::BucketPolicy").values()
        if res["Properties"]["Bucket"] == {"Ref": bucket_id}
    ]
    denies = [s for s in policy["Statement"] if s["Effect"] == "Deny"]
    assert any(s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in denies)


def test_documents_bucket_expires_old_versions_and_abandoned_uploads(dev):
    (rule,) = _documents_bucket(dev)["LifecycleConfiguration"]["Rules"]
    assert rule["Status"] == "Enabled"
    assert rule["NoncurrentVersionExpiration"]["NoncurrentDays"] == 90
    assert rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] == 1


def test_documents_bucket_accepts_presigned_posts_only_from_the_stage_portal(dev, synthesize):
    (rule,) = _documents_bucket(dev)["CorsConfiguration"]["CorsRules"]
    assert rule["AllowedMethods"] == ["POST"]
    assert rule["AllowedOrigins"] == [dev.portal_origin]


def test_user_pool_signs_up_by_phone_number_and_the_client_allows_srp_and_password_auth(dev):
    (pool,) = dev.of_type("AWS::Cognito::UserPool").values()
    assert pool["Properties"]["UsernameAttributes"] == ["phone_number"]
    assert pool["Properties"]["AutoVerifiedAttributes"] == ["phone_number"]
    assert pool["Properties"]["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is False
    (client,) = dev.of_type("AWS::Cognito::UserPoolClient").values()
    assert set(client["Properties"]["ExplicitAuthFlows"]) == {
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    }
    assert client["Properties"]["GenerateSecret"] is False


def test_user_pool_has_the_officers_employers_appellate_and_helpline_groups(dev):
    groups = {res["Properties"]["GroupName"] for res in dev.of_type("AWS::Cognito::UserPoolGroup").values()}
    assert groups == {"officers", "employers", "appellate", "helpline"}


def test_prod_user_pool_has_threat_protection_and_deletion_protection(prod):
    (pool,) = prod.of_type("AWS::Cognito::UserPool").values()
    assert pool["Properties"]["UserPoolTier"] == "PLUS"
    assert pool["Properties"]["DeletionProtection"] == "ACTIVE"


def test_secrets_are_generated_plain_keys_named_by_stage(dev):
    secrets = {
        res["Properties"]["Name"]: res["Properties"]
        for res in dev.of_type("AWS::SecretsManager::Secret").values()
    }
    assert set(secrets) == {
        "sevamitra-dev/identity-key",
        "sevamitra-dev/police-callback",
        "sevamitra-dev/cursor-key",
        "sevamitra-dev/igrs-callback",
        "sevamitra-dev/ondc-signing-key",
    }
    for props in secrets.values():
        generator = props["GenerateSecretString"]
        assert "SecretStringTemplate" not in generator  # the SecretString is the key itself
        assert generator["PasswordLength"] >= 32


def test_the_event_bus_is_custom_and_named_by_stage(dev):
    (bus,) = dev.of_type("AWS::Events::EventBus").values()
    assert bus["Properties"]["Name"] == "sevamitra-dev"


def test_outputs_have_the_stable_names_of_the_local_outputs_file(dev):
    outputs = dev.json["Outputs"]
    assert set(outputs) == OUTPUTS
    assert outputs["PoliceSecretArn"]["Value"] == {"Ref": dev.logical_id(dev.stack.secrets.police_key)}
    assert outputs["DocumentsBucket"]["Value"] == {"Ref": dev.logical_id(dev.stack.documents.bucket)}
    assert "execute-api" in json.dumps(outputs["ApiUrl"]["Value"])
