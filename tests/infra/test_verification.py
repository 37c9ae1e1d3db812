"""The verification workflow in the template: the state machine from the ASL file, its role, its
logs and traces, who may start and answer it, the police notification rule, and the alarms."""

from __future__ import annotations

from infra.verification_workflow import TIMEOUT_PLACEHOLDER, placeholders
from sevamitra.edge.routes import VERIFY_STEPS, Function

# What a Step Functions role needs for log delivery and X-Ray: no resource-level permissions.
LOG_DELIVERY_AND_XRAY = {
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:DescribeLogGroups",
    "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:UpdateLogDelivery",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:PutTelemetryRecords",
    "xray:PutTraceSegments",
}


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _machine(synth) -> tuple[str, dict]:
    (machine_id,) = synth.of_type("AWS::StepFunctions::StateMachine")
    return machine_id, synth.resources[machine_id]["Properties"]


def _role_statements(synth, role_id: str) -> list[dict]:
    return [
        statement
        for res in synth.of_type("AWS::IAM::Policy").values()
        if {"Ref": role_id} in res["Properties"]["Roles"]
        for statement in res["Properties"]["PolicyDocument"]["Statement"]
    ]


def _function_role(synth, function) -> str:
    return synth.logical_id(function.role)


def test_the_state_machine_is_standard_and_built_from_the_asl_file_with_its_substitutions(dev):
    _, props = _machine(dev)
    steps_id = dev.logical_id(dev.stack.verification_steps[VERIFY_STEPS])
    assert props["StateMachineName"] == "sevamitra-dev-verification"
    assert props["StateMachineType"] == "STANDARD"
    assert "DefinitionS3Location" in props  # DefinitionBody.from_file(ASL_PATH): the file, as an asset
    assert set(props["DefinitionSubstitutions"]) == placeholders()
    assert props["DefinitionSubstitutions"]["VerifyStepsFunctionArn"] == {"Fn::GetAtt": [steps_id, "Arn"]}
    assert props["DefinitionSubstitutions"][TIMEOUT_PLACEHOLDER] == str(7 * 24 * 3600)


def test_the_state_machine_logs_every_event_without_execution_data_and_is_traced(dev, prod):
    for synth, retention in ((dev, 14), (prod, 180)):
        _, props = _machine(synth)
        logging = props["LoggingConfiguration"]
        assert logging["Level"] == "ALL"
        assert logging["IncludeExecutionData"] is False  # no names, documents or case refs in logs
        (destination,) = logging["Destinations"]
        log_group_id = destination["CloudWatchLogsLogGroup"]["LogGroupArn"]["Fn::GetAtt"][0]
        log_group = synth.resources[log_group_id]["Properties"]
        assert log_group["RetentionInDays"] == retention
        assert log_group["LogGroupName"].startswith("/aws/vendedlogs/states/")
        assert props["TracingConfiguration"] == {"Enabled": True}


def test_the_state_machine_role_may_invoke_only_the_steps_function(dev):
    _, props = _machine(dev)
    role_id = props["RoleArn"]["Fn::GetAtt"][0]
    steps_id = dev.logical_id(dev.stack.verification_steps[VERIFY_STEPS])
    principal = dev.resources[role_id]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
    assert principal == {"Service": "states.amazonaws.com"}
    invoke, *others = _role_statements(dev, role_id)
    assert invoke["Action"] == "lambda:InvokeFunction"
    assert invoke["Resource"] == {"Fn::GetAtt": [steps_id, "Arn"]}
    for statement in others:
        assert statement["Resource"] == "*"
        assert set(_as_list(statement["Action"])) <= LOG_DELIVERY_AND_XRAY, statement
    assert "ManagedPolicyArns" not in dev.resources[role_id]["Properties"]


def test_only_register_starts_the_workflow_and_only_verify_answers_it(dev):
    machine_id, _ = _machine(dev)
    machine_ref = {"Ref": machine_id}
    starters, answerers = set(), set()
    for function, construct in [*dev.stack.api_functions.items(), *dev.stack.verification_steps.items()]:
        for statement in _role_statements(dev, _function_role(dev, construct)):
            actions = set(_as_list(statement["Action"]))
            if "states:StartExecution" in actions:
                assert actions == {"states:StartExecution"}
                assert statement["Resource"] == machine_ref
                starters.add(function)
            if "states:DescribeExecution" in actions:
                assert actions == {"states:DescribeExecution"}
                parts = statement["Resource"]["Fn::Join"][1]
                assert ":execution:" in parts
                assert {"Fn::GetAtt": [machine_id, "Name"]} in parts
                assert parts[-1] == ":*"  # this state machine's executions only
            if actions & {"states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat"}:
                assert actions == {"states:SendTaskSuccess"}
                assert statement["Resource"] == machine_ref
                answerers.add(function)
    assert starters == {Function.REGISTER}
    assert answerers == {Function.VERIFY}
    register = dev.resources[dev.logical_id(dev.stack.api_functions[Function.REGISTER])]["Properties"]
    assert register["Environment"]["Variables"]["VERIFICATION_STATE_MACHINE_ARN"] == machine_ref


def test_police_requests_and_escalations_go_to_the_police_system_with_retries_and_a_dead_letter_queue(dev):
    verification = dev.stack.verification
    rule = dev.resources[dev.logical_id(verification.police_rule)]["Properties"]
    queue_id = dev.logical_id(verification.police_dead_letters)
    assert rule["EventBusName"] == {"Ref": dev.logical_id(dev.stack.events.bus)}
    assert rule["EventPattern"] == {
        "source": ["sevamitra.verification"],
        "detail-type": ["PoliceVerificationRequested", "PoliceVerificationEscalated"],
    }
    (target,) = rule["Targets"]
    destination_id = target["Arn"]["Fn::GetAtt"][0]
    assert destination_id in dev.of_type("AWS::Events::ApiDestination")
    assert target["DeadLetterConfig"]["Arn"] == {"Fn::GetAtt": [queue_id, "Arn"]}
    assert target["RetryPolicy"]["MaximumRetryAttempts"] >= 1
    assert target["RetryPolicy"]["MaximumEventAgeInSeconds"] == 24 * 3600
    queue = dev.resources[queue_id]["Properties"]
    assert queue["SqsManagedSseEnabled"] is True


def test_the_police_endpoint_and_its_api_key_are_deploy_time_parameters(dev):
    parameters = dev.json["Parameters"]
    (target,) = dev.resources[dev.logical_id(dev.stack.verification.police_rule)]["Properties"]["Targets"]
    destination = dev.resources[target["Arn"]["Fn::GetAtt"][0]]
    connection_id = destination["Properties"]["ConnectionArn"]["Fn::GetAtt"][0]
    connection = dev.resources[connection_id]
    assert destination["Properties"]["InvocationEndpoint"] == {"Ref": "PoliceSystemEndpoint"}
    assert destination["Properties"]["ConnectionArn"] == {"Fn::GetAtt": [connection_id, "Arn"]}
    assert destination["Properties"]["HttpMethod"] == "POST"
    assert parameters["PoliceSystemEndpoint"]["AllowedPattern"] == "^https://.+"
    auth = connection["Properties"]["AuthParameters"]["ApiKeyAuthParameters"]
    assert auth == {"ApiKeyName": "X-Api-Key", "ApiKeyValue": {"Ref": "PoliceSystemApiKey"}}
    assert parameters["PoliceSystemApiKey"]["NoEcho"] is True


def test_failed_and_timed_out_executions_and_undelivered_police_events_raise_alarms(dev):
    machine_id, _ = _machine(dev)
    queue_id = dev.logical_id(dev.stack.verification.police_dead_letters)
    alarms = [res["Properties"] for res in dev.of_type("AWS::CloudWatch::Alarm").values()]
    on_machine = {
        alarm["MetricName"]
        for alarm in alarms
        if alarm["Namespace"] == "AWS/States"
        and alarm["Dimensions"] == [{"Name": "StateMachineArn", "Value": {"Ref": machine_id}}]
    }
    assert on_machine == {"ExecutionsFailed", "ExecutionsTimedOut"}
    on_queue = [
        alarm
        for alarm in alarms
        if alarm["Namespace"] == "AWS/SQS"
        and alarm["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": [queue_id, "QueueName"]}}]
    ]
    assert [alarm["MetricName"] for alarm in on_queue] == ["ApproximateNumberOfMessagesVisible"]
    # Every state machine and dead-letter queue alarm fires at once; the ONDC work queue (not a
    # dead-letter queue) alarms on a backlog and on age instead (infra/constructs/ondc.py).
    work_queue = {"Fn::GetAtt": [dev.logical_id(dev.stack.ondc.queue), "QueueName"]}
    assert all(
        alarm["Threshold"] == 1
        for alarm in alarms
        if alarm["Namespace"] in ("AWS/States", "AWS/SQS") and alarm["Dimensions"][0]["Value"] != work_queue
    )
