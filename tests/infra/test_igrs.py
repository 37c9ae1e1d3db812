"""The IGRS adapter: a bus rule for IGRSEscalation events, delivered to an API destination with
retries and a dead-letter queue; endpoint and key are stack parameters."""

from __future__ import annotations


def _igrs_rule(dev) -> dict:
    return dev.resources[dev.logical_id(dev.stack.igrs.rule)]["Properties"]


def test_rule_on_the_bus_matches_igrs_escalations_only(dev):
    rule = _igrs_rule(dev)
    assert rule["EventBusName"] == {"Ref": dev.logical_id(dev.stack.events.bus)}
    assert rule["EventPattern"] == {
        "source": ["sevamitra.domain.complaints"],
        "detail-type": ["IGRSEscalation"],
    }


def test_target_is_the_api_destination_with_retries_dead_letters_and_the_detail_as_body(dev):
    (target,) = _igrs_rule(dev)["Targets"]
    destination_id = dev.logical_id(dev.stack.igrs.destination)
    assert target["Arn"] == {"Fn::GetAtt": [destination_id, "Arn"]}
    assert target["InputPath"] == "$.detail"
    assert target["HttpParameters"]["HeaderParameters"] == {"Idempotency-Key": "$.detail.complaint_id"}
    assert target["RetryPolicy"]["MaximumRetryAttempts"] == 20
    assert target["RetryPolicy"]["MaximumEventAgeInSeconds"] == 24 * 3600
    queue_id = dev.logical_id(dev.stack.igrs.dead_letters)
    assert target["DeadLetterConfig"]["Arn"] == {"Fn::GetAtt": [queue_id, "Arn"]}
    assert dev.resources[queue_id]["Properties"]["SqsManagedSseEnabled"] is True


def test_destination_posts_to_the_endpoint_parameter_with_the_api_key_parameter(dev):
    destination = dev.resources[dev.logical_id(dev.stack.igrs.destination)]["Properties"]
    assert destination["HttpMethod"] == "POST"
    assert destination["InvocationEndpoint"] == {"Ref": "IgrsEndpoint"}
    connection = dev.resources[dev.logical_id(dev.stack.igrs.connection)]["Properties"]
    assert connection["AuthorizationType"] == "API_KEY"
    api_key = connection["AuthParameters"]["ApiKeyAuthParameters"]
    assert api_key == {"ApiKeyName": "x-api-key", "ApiKeyValue": {"Ref": "IgrsApiKey"}}
    parameters = dev.json["Parameters"]
    assert parameters["IgrsApiKey"]["NoEcho"] is True
    assert parameters["IgrsEndpoint"]["Default"].startswith("https://")


def test_the_rule_may_only_invoke_that_destination(dev):
    (target,) = _igrs_rule(dev)["Targets"]
    role_id = target["RoleArn"]["Fn::GetAtt"][0]
    statements = [
        statement
        for res in dev.of_type("AWS::IAM::Policy").values()
        if {"Ref": role_id} in res["Properties"]["Roles"]
        for statement in res["Properties"]["PolicyDocument"]["Statement"]
    ]
    assert statements == [
        {
            "Action": "events:InvokeApiDestination",
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [dev.logical_id(dev.stack.igrs.destination), "Arn"]},
        }
    ]
