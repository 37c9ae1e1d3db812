"""The stack's Cognito user pool, as the app uses it (sign-up and sign-in are unauthenticated
calls, as from a phone) and as its administrator (confirming a sign-up without the SMS code,
making staff accounts). On the emulator the administrator's credentials are fake, so the shell's
own can never reach a real account."""

from __future__ import annotations

import uuid
from typing import Any

import boto3
from botocore import UNSIGNED
from botocore.config import Config


def new_credentials(series: str = "97") -> tuple[str, str]:
    """A fresh phone number (the pool's usernames are phone numbers: ``+91`` ``series`` and eight
    random digits) and a password the pool's policy accepts."""
    return f"+91{series}{uuid.uuid4().int % 10**8:08d}", f"Seva#{uuid.uuid4().hex[:10]}1"


class Cognito:
    def __init__(self, *, region: str, pool_id: str, client_id: str, endpoint_url: str | None = None) -> None:
        self.region = region
        self.pool_id = pool_id
        self.client_id = client_id
        # Both clients up front: boto3 clients are thread-safe, creating them is not.
        self.public = boto3.client(
            "cognito-idp",
            region_name=region,
            endpoint_url=endpoint_url,
            config=Config(signature_version=UNSIGNED),
        )
        fake = "local" if endpoint_url else None  # None: the default credentials of a deployed stack
        self.admin = boto3.client(
            "cognito-idp",
            region_name=region,
            endpoint_url=endpoint_url,
            aws_access_key_id=fake,
            aws_secret_access_key=fake,
        )

    @classmethod
    def from_outputs(cls, outputs: dict[str, Any]) -> Cognito:
        pool_id = str(outputs["UserPoolId"])
        return cls(
            region=str(outputs.get("Region") or pool_id.split("_")[0]),
            pool_id=pool_id,
            client_id=str(outputs["UserPoolClientId"]),
            endpoint_url=outputs.get("AwsEndpointUrl"),
        )

    def sign_in(self, username: str, password: str) -> dict[str, str]:
        """``USER_PASSWORD_AUTH``: the ``AuthenticationResult`` (``IdToken``, ``AccessToken``, ...)."""
        result = self.public.initiate_auth(
            ClientId=self.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
        return {key: str(value) for key, value in result["AuthenticationResult"].items()}

    def id_token(self, username: str, password: str) -> str:
        return self.sign_in(username, password)["IdToken"]

    def sign_up(self, username: str, password: str) -> None:
        """Self sign-up with a phone number, as the app does."""
        self.public.sign_up(
            ClientId=self.client_id,
            Username=username,
            Password=password,
            UserAttributes=[{"Name": "phone_number", "Value": username}],
        )

    def confirm(self, username: str) -> None:
        """Confirm a sign-up as the administrator: there is no SMS code here."""
        self.admin.admin_confirm_sign_up(UserPoolId=self.pool_id, Username=username)

    def new_user(self, series: str = "97") -> tuple[str, str]:
        """A new account, signed up and confirmed: (username, password)."""
        username, password = new_credentials(series)
        self.sign_up(username, password)
        self.confirm(username)
        return username, password

    def create_account(
        self, username: str, password: str, group: str | None = None, *also: str, district: str | None = None
    ) -> str:
        """An administrator-made account with a permanent password (no forced change), in ``group``
        (``officers``, ``employers``) if given, and in the groups ``also`` names (an appellate
        officer: ``officers`` and ``appellate``): its ``sub``. ``district``: an officer's district
        code (``custom:district``, which only an administrator can set)."""
        attributes_in: list[Any] = [
            {"Name": "phone_number", "Value": username},
            {"Name": "phone_number_verified", "Value": "true"},
        ]
        if district:
            attributes_in.append({"Name": "custom:district", "Value": district})
        user = self.admin.admin_create_user(
            UserPoolId=self.pool_id,
            Username=username,
            UserAttributes=attributes_in,
            MessageAction="SUPPRESS",
        )["User"]
        self.admin.admin_set_user_password(
            UserPoolId=self.pool_id, Username=username, Password=password, Permanent=True
        )
        for name in (group, *also) if group else ():
            self.admin.admin_add_user_to_group(UserPoolId=self.pool_id, Username=username, GroupName=name)
        attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
        return str(attributes.get("sub", user["Username"]))

    def delete_account(self, username: str) -> None:
        self.admin.admin_delete_user(UserPoolId=self.pool_id, Username=username)
