"""The private, encrypted, versioned bucket that holds professionals' uploaded documents."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra import constants
from infra.constants import StageSettings
from sevamitra.domain.documents import BUCKET_VERSIONED


def _private_bucket_settings() -> dict:
    return {
        "block_public_access": s3.BlockPublicAccess.BLOCK_ALL,
        "encryption": s3.BucketEncryption.S3_MANAGED,
        "enforce_ssl": True,
        "object_ownership": s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        # Uploaded identity documents outlive a stack, in every stage: empty and delete by hand.
        "removal_policy": RemovalPolicy.RETAIN,
    }


class DocumentStore(Construct):
    """``bucket``: documents, uploaded by the client with a presigned POST from the allowed origins,
    encrypted with ``key`` (SSE-KMS, S3 Bucket Key on) when given, else SSE-S3.

    Server access logs go to ``access_logs``, which keeps them for a year (SSE-S3: S3 delivers
    server access logs only to SSE-S3 buckets)."""

    def __init__(
        self, scope: Construct, construct_id: str, *, stage: StageSettings, key: kms.IKey | None = None
    ) -> None:
        super().__init__(scope, construct_id)
        self.access_logs = s3.Bucket(
            self,
            "AccessLogs",
            lifecycle_rules=[s3.LifecycleRule(expiration=constants.ACCESS_LOG_EXPIRY)],
            **_private_bucket_settings(),
        )
        settings = _private_bucket_settings()
        if key is not None:
            settings.update(encryption=s3.BucketEncryption.KMS, encryption_key=key, bucket_key_enabled=True)
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            # The document check pins the version it read; the local stack reads the same setting.
            versioned=BUCKET_VERSIONED,
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="documents/",
            lifecycle_rules=[
                s3.LifecycleRule(
                    noncurrent_version_expiration=constants.NONCURRENT_VERSION_EXPIRY,
                    abort_incomplete_multipart_upload_after=constants.ABORT_INCOMPLETE_UPLOAD_AFTER,
                )
            ],
            cors=[
                s3.CorsRule(
                    allowed_methods=[s3.HttpMethods.POST],
                    allowed_origins=list(stage.allowed_origins),
                    allowed_headers=["*"],
                    max_age=3000,
                )
            ],
            **settings,
        )
