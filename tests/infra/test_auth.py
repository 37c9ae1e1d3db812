"""The Cognito app client allows exactly the sign-in the apps use (API.md): SRP or
USER_PASSWORD_AUTH, then refresh tokens; no hosted UI, so none of CDK's OAuth defaults (implicit
and code grants, an example.com callback, the admin scope)."""

from __future__ import annotations

import json

import pytest

SIGN_IN_FLOWS = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"]


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_app_client_declares_exactly_the_sign_in_flows_and_no_oauth(stage, request):
    synth = request.getfixturevalue(stage)
    (client,) = synth.of_type("AWS::Cognito::UserPoolClient").values()
    props = client["Properties"]
    assert sorted(props["ExplicitAuthFlows"]) == SIGN_IN_FLOWS
    assert props["PreventUserExistenceErrors"] == "ENABLED"
    assert props["GenerateSecret"] is False
    assert props["AllowedOAuthFlowsUserPoolClient"] is False
    for oauth in (
        "AllowedOAuthFlows",
        "AllowedOAuthScopes",
        "CallbackURLs",
        "LogoutURLs",
        "DefaultRedirectURI",
    ):
        assert oauth not in props, oauth
    template = json.dumps(synth.json)
    assert "implicit" not in template
    assert "example.com" not in template
    assert "aws.cognito.signin.user.admin" not in template
    # Nothing hosted that OAuth would serve.
    assert synth.of_type("AWS::Cognito::UserPoolDomain") == {}
    assert synth.of_type("AWS::Cognito::UserPoolIdentityProvider") == {}


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_id_tokens_carry_the_phone_number_as_the_local_pool_does(stage, request):
    """A booking's other side is reached by the account's phone number, read from its ID token:
    the client reads exactly that (and whether it is verified), here and in the local pool."""
    from local.provision import READ_ATTRIBUTES

    synth = request.getfixturevalue(stage)
    (client,) = synth.of_type("AWS::Cognito::UserPoolClient").values()
    assert sorted(client["Properties"]["ReadAttributes"]) == sorted(READ_ATTRIBUTES)
    assert "phone_number" in READ_ATTRIBUTES


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_an_officers_district_is_a_custom_attribute_the_app_reads_but_cannot_write(stage, request):
    """``custom:district`` names the queues an officer hears of (notify's feeds): administrators
    set it; the ID token carries it (the client reads it); the client may not write it, or an
    officer could move himself into another district's queues. Adding a custom attribute to an
    existing pool is an in-place update (it can never be removed)."""
    from local.provision import READ_ATTRIBUTES, WRITE_ATTRIBUTES

    synth = request.getfixturevalue(stage)
    (pool,) = synth.of_type("AWS::Cognito::UserPool").values()
    (district,) = [a for a in pool["Properties"]["Schema"] if a["Name"] == "district"]
    assert district["AttributeDataType"] == "String"
    assert district["Mutable"] is True  # administrators move an officer between districts
    (client,) = synth.of_type("AWS::Cognito::UserPoolClient").values()
    assert "custom:district" in client["Properties"]["ReadAttributes"]
    assert client["Properties"]["WriteAttributes"] == ["phone_number"]
    assert sorted(client["Properties"]["WriteAttributes"]) == sorted(WRITE_ATTRIBUTES)
    assert "custom:district" in READ_ATTRIBUTES
