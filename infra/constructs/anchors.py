"""The write-once store of the audit trail's chain heads: an S3 bucket with Object Lock in
compliance mode (no one, root included, can delete or overwrite an anchor before its retention
ends), versioned as Object Lock requires, private, SSE-S3, TLS only, its access logged."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra import constants
from infra.constants import StageSettings


class AuditAnchors(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, stage: StageSettings, access_logs: s3.IBucket
    ) -> None:
        super().__init__(scope, construct_id)
        days = (
            constants.AUDIT_ANCHOR_RETENTION_DAYS
            if stage.deletion_protection
            else constants.AUDIT_ANCHOR_DEV_RETENTION_DAYS
        )
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            object_lock_enabled=True,
            object_lock_default_retention=s3.ObjectLockRetention.compliance(Duration.days(days)),
            versioned=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix="audit-anchors/",
            # Locked objects outlive the stack in every stage; an empty bucket can be deleted by hand.
            removal_policy=RemovalPolicy.RETAIN,
        )
