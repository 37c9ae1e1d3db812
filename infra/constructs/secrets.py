"""The generated secrets: the identity HMAC key, the police callback key and the cursor key.

Each ``SecretString`` is the key itself (no JSON), as API.md says for the police key."""

from __future__ import annotations

from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.access import Secret
from infra.constants import StageSettings
from infra.nag import acknowledge

_KEY_LENGTH = 64


class Secrets(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: StageSettings) -> None:
        super().__init__(scope, construct_id)
        self.identity_key = self._generated(
            "IdentityKey",
            stage.identity_key_secret_name,
            "HMAC key of Aadhaar and mobile hashes",
            stage,
        )
        acknowledge(
            self.identity_key,
            "AwsSolutions-SMG4",
            "Stored identity hashes and the ban registry are keyed by this HMAC key; rotating it "
            "would silently unban and duplicate identities. Re-keying is a planned migration.",
        )
        self.police_key = self._generated(
            "PoliceCallbackKey",
            stage.police_secret_name,
            "Shared key of the police callback signature (X-Seva-Signature)",
            stage,
        )
        acknowledge(
            self.police_key,
            "AwsSolutions-SMG4",
            "The police department's systems hold this shared key; it is rotated by agreement "
            "with them, not on an automatic schedule they cannot follow.",
        )
        self.cursor_key = self._generated(
            "CursorKey",
            stage.cursor_key_secret_name,
            "HMAC key of the list routes' page cursors",
            stage,
        )
        acknowledge(
            self.cursor_key,
            "AwsSolutions-SMG4",
            "Rotating it only invalidates page cursors in flight (422 invalid_cursor, the client "
            "starts again from the first page); it has no schedule because nothing depends on it.",
        )
        self.igrs_key = self._generated(
            "IgrsKey",
            stage.igrs_secret_name,
            "Shared key with IGRS: signs our requests and IGRS's callbacks (X-Seva-Signature)",
            stage,
        )
        acknowledge(
            self.igrs_key,
            "AwsSolutions-SMG4",
            "IGRS holds this shared key; it is rotated by agreement with the department (both "
            "signatures are accepted while it changes), not on an automatic schedule.",
        )
        self.by_name: dict[Secret, secretsmanager.ISecret] = {
            Secret.IDENTITY_KEY: self.identity_key,
            Secret.POLICE_CALLBACK: self.police_key,
            Secret.CURSOR_KEY: self.cursor_key,
            Secret.IGRS_KEY: self.igrs_key,
        }

    def _generated(
        self, construct_id: str, name: str, description: str, stage: StageSettings
    ) -> secretsmanager.Secret:
        return secretsmanager.Secret(
            self,
            construct_id,
            secret_name=name,
            description=description,
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=_KEY_LENGTH, exclude_punctuation=True, include_space=False
            ),
            removal_policy=stage.removal_policy,
        )
