"""SMS go through AWS End User Messaging SMS with India's DLT entity and template ids from
configuration (checked on the request shape with botocore's Stubber: moto does not implement the
service), or, locally, into the recording outbox."""

from __future__ import annotations

import json

import pytest
from botocore.session import get_session
from botocore.stub import Stubber

from sevamitra.platform.sms import EndUserMessaging, LocalOutbox, SmsMessage, SmsSettings

TEMPLATE_IDS = {"booking_requested.professional.hi": "1107170000000000001"}


def _settings(**values: str) -> SmsSettings:
    return SmsSettings(
        SMS_TRANSPORT="end_user_messaging",
        SMS_ORIGINATION_IDENTITY="arn:aws:sms-voice:ap-south-1:123456789012:phone-number/phone-1",
        SMS_CONFIGURATION_SET="sevamitra-dev-sms",
        SMS_DLT_ENTITY_ID="1101000000000000001",
        SMS_DLT_TEMPLATE_IDS=json.dumps(TEMPLATE_IDS),
        SMS_MAX_PRICE="0.05",
        **values,
    )


@pytest.fixture
def client():
    return get_session().create_client(
        "pinpoint-sms-voice-v2", region_name="ap-south-1", aws_access_key_id="x", aws_secret_access_key="x"
    )


def test_send_text_message_carries_the_dlt_entity_and_template_ids(client):
    message = SmsMessage(
        to="+919812345678", body="सेवा मित्र: नया काम", template="booking_requested.professional.hi"
    )
    with Stubber(client) as stub:
        stub.add_response(
            "send_text_message",
            {"MessageId": "m-1"},
            {
                "DestinationPhoneNumber": "+919812345678",
                "OriginationIdentity": "arn:aws:sms-voice:ap-south-1:123456789012:phone-number/phone-1",
                "MessageBody": "सेवा मित्र: नया काम",
                "MessageType": "TRANSACTIONAL",
                "ConfigurationSetName": "sevamitra-dev-sms",
                "MaxPrice": "0.05",
                "Context": {"template": "booking_requested.professional.hi"},
                "DestinationCountryParameters": {
                    "IN_ENTITY_ID": "1101000000000000001",
                    "IN_TEMPLATE_ID": "1107170000000000001",
                },
            },
        )
        assert EndUserMessaging(_settings(), client).send(message) == "m-1"
        stub.assert_no_pending_responses()


def test_an_unconfigured_template_is_sent_without_a_template_id_and_logged(client, caplog):
    transport = EndUserMessaging(_settings(), client)
    params = transport.request(SmsMessage(to="+919812345678", body="x", template="banned.professional.en"))
    assert params["DestinationCountryParameters"] == {"IN_ENTITY_ID": "1101000000000000001"}


def test_no_template_id_is_in_the_code():
    assert SmsSettings().template_ids == {}
    assert SmsSettings().sms_dlt_entity_id == ""


def test_the_local_outbox_records_every_sms_oldest_first():
    outbox = LocalOutbox()
    outbox.send(SmsMessage("+911111111111", "one", "t"))
    outbox.send(SmsMessage("+912222222222", "two", "t"))
    outbox.send(SmsMessage("+911111111111", "three", "t"))
    assert [m.body for m in outbox.messages("+911111111111")] == ["one", "three"]
    assert len(outbox.messages()) == 3
