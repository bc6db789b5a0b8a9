"""template.yaml and the ASL agree with each other and with the contracts other parts rely on
(stack outputs and parameters, error names, runtime), checked without deploying anything."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.template_tables import REPO_ROOT, load_template

from agentsim.providers.errors import ProviderError
from agentsim.runs.errors import LaunchBusy
from agentsim.runs.pacing import CALLBACK_SAFETY_SECONDS

TEMPLATE = load_template()
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]
ASL_PATH = REPO_ROOT / "statemachine" / "run_simulation.asl.json"
ASL_SOURCE = ASL_PATH.with_suffix(".yaml")
ASL_TEXT = ASL_PATH.read_text()
SUITE_ASL_PATH = REPO_ROOT / "statemachine" / "run_suite.asl.json"
SUITE_ASL_TEXT = SUITE_ASL_PATH.read_text()
ASL: dict[str, Any] = json.loads(ASL_TEXT)
STATES: dict[str, Any] = ASL["States"]
LAMBDA_ERRORS = {
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
    "Lambda.Unknown",
    "Sandbox.Timedout",
    "States.ALL",
}


def of_type(kind: str) -> dict[str, Any]:
    return {k: r for k, r in RESOURCES.items() if r["Type"] == kind}


def test_outputs_are_exactly_the_ones_tools_read() -> None:
    assert set(TEMPLATE["Outputs"]) == {
        "ApiUrl",
        "StateMachineArn",
        "SuiteStateMachineArn",
        "RunsTableName",
        "IdempotencyTableName",
        "SecretArn",
        "EventBusName",
        "ApiFunctionName",
        "TriggerFunctionName",
        "NightlyScheduleName",
        "DashboardName",
    }


def test_parameters_are_exactly_the_ones_local_runs_override() -> None:
    assert set(TEMPLATE["Parameters"]) == {
        "OmnidimBaseUrl",
        "BluejayBaseUrl",
        "SynthflowBaseUrl",
        "PollMinSeconds",
        "PollMaxSeconds",
        "MaxPolls",
        "GithubApiUrl",
        "AllowLoopbackTargets",
        "LogLevel",
        "ReportLinkDays",
        "LogRetentionDays",
        "AlarmEmail",
        "SuiteConcurrency",
    }
    assert TEMPLATE["Parameters"]["PollMinSeconds"]["Default"] == 15
    assert TEMPLATE["Parameters"]["PollMaxSeconds"]["Default"] == 600
    assert TEMPLATE["Parameters"]["MaxPolls"]["Default"] == 600


def test_share_links_last_seven_days_unless_the_stack_says_otherwise() -> None:
    assert TEMPLATE["Parameters"]["ReportLinkDays"]["Default"] == 7
    variables = TEMPLATE["Globals"]["Function"]["Environment"]["Variables"]
    assert variables["REPORT_LINK_DAYS"] == {"Ref": "ReportLinkDays"}


def test_every_function_logs_json_to_a_group_kept_for_the_retention_parameter() -> None:
    functions = of_type("AWS::Serverless::Function")
    groups = of_type("AWS::Logs::LogGroup")

    for name, function in functions.items():
        config = function["Properties"]["LoggingConfig"]
        assert config["LogFormat"] == "JSON", name
        assert groups[config["LogGroup"]["Ref"]]["Properties"]["RetentionInDays"] == {
            "Ref": "LogRetentionDays"
        }
    assert TEMPLATE["Parameters"]["LogRetentionDays"]["Default"] == 30


def test_the_alarm_email_is_subscribed_only_when_given() -> None:
    subscription = RESOURCES["AlarmEmailSubscription"]

    assert subscription["Condition"] == "HasAlarmEmail"
    assert subscription["Properties"]["TopicArn"] == {"Ref": "AlarmTopic"}
    assert TEMPLATE["Parameters"]["AlarmEmail"]["Default"] == ""


def test_the_dashboard_shows_every_metric_agentsim_emits() -> None:
    from agentsim import observability  # noqa: PLC0415

    body = RESOURCES["OperationsDashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    emitted = [
        observability.RUNS_STARTED,
        observability.RUNS_FINISHED,
        observability.RUNS_JUDGED,
        observability.REGRESSIONS,
        observability.PROVIDER_ERRORS,
        observability.POLLS,
        observability.INVALID_REQUESTS,
    ]

    assert json.loads(re.sub(r"\$\{[^}]+\}", "x", body))["widgets"]
    for metric in [*emitted, "ExecutionsFailed", "ExecutionsTimedOut"]:
        assert metric in body, metric


def test_functions_and_layer_are_python_313_on_arm64() -> None:
    globals_fn = TEMPLATE["Globals"]["Function"]
    layer = RESOURCES["AgentsimLayer"]

    assert (globals_fn["Runtime"], globals_fn["Architectures"]) == ("python3.13", ["arm64"])
    # A makefile build (sam build runs the layer's `build-<LogicalId>` target) for arm64.
    assert layer["Metadata"] == {"BuildMethod": "makefile", "BuildArchitecture": "arm64"}
    makefile = (REPO_ROOT / layer["Properties"]["ContentUri"] / "Makefile").read_text()
    assert re.search(r"^build-AgentsimLayer:", makefile, re.MULTILINE)
    assert "manylinux2014_aarch64" in makefile and "--python-version 3.13" in makefile
    assert layer["Properties"]["CompatibleArchitectures"] == ["arm64"]
    for name, function in of_type("AWS::Serverless::Function").items():
        props = function["Properties"]
        assert "Runtime" not in props and "Architectures" not in props, name
        assert (REPO_ROOT / props["CodeUri"] / "app.py").is_file(), name


def test_base_urls_reach_the_functions_under_the_registry_names() -> None:
    variables = TEMPLATE["Globals"]["Function"]["Environment"]["Variables"]

    assert variables["OMNIDIM_BASE_URL"] == {"Ref": "OmnidimBaseUrl"}
    assert variables["BLUEJAY_BASE_URL"] == {"Ref": "BluejayBaseUrl"}
    assert variables["SYNTHFLOW_BASE_URL"] == {"Ref": "SynthflowBaseUrl"}


@pytest.mark.parametrize(
    ("resource", "asl_path"),
    [
        ("RunSimulationStateMachine", ASL_PATH),
        ("RunSuiteStateMachine", SUITE_ASL_PATH),
    ],
)
def test_state_machine_is_standard_and_every_placeholder_is_substituted(
    resource: str, asl_path: Path
) -> None:
    machine = RESOURCES[resource]["Properties"]
    placeholders = set(re.findall(r"\$\{(\w+)\}", asl_path.read_text()))

    assert machine["Type"] == "STANDARD"
    assert (REPO_ROOT / machine["DefinitionUri"]) == asl_path
    assert placeholders == set(machine["DefinitionSubstitutions"])


def test_every_lambda_the_machine_invokes_may_be_invoked() -> None:
    machine = RESOURCES["RunSimulationStateMachine"]["Properties"]
    invokable = {
        p["LambdaInvokePolicy"]["FunctionName"]["Ref"]
        for p in machine["Policies"]
        if "LambdaInvokePolicy" in p
    }
    substituted = {
        v["Fn::GetAtt"][0] for v in machine["DefinitionSubstitutions"].values() if "Fn::GetAtt" in v
    }

    assert substituted == invokable


def test_machine_and_loop_are_bounded() -> None:
    choice = STATES["IsFinished"]

    assert ASL["TimeoutSeconds"] > 24 * 3600  # beyond the longest run's own deadline
    assert STATES["WaitForProvider"]["SecondsPath"] == "$.poll.wait_seconds"
    assert any(
        c.get("NumericGreaterThanEqualsPath") == "$.run.max_polls" for c in choice["Choices"]
    )


def test_retries_match_only_transient_errors_by_their_class_names() -> None:
    classes = ProviderError.__subclasses__()
    transient = {cls.__name__ for cls in classes if cls.retryable}
    known = {cls.__name__ for cls in classes}
    for name, state in STATES.items():
        for retrier in state.get("Retry", []):
            errors = set(retrier["ErrorEquals"])
            assert errors <= known | LAMBDA_ERRORS | {LaunchBusy.__name__}, name
            assert not (errors & known) or errors == transient, name
            assert retrier["JitterStrategy"] == "FULL", name
            assert "MaxDelaySeconds" in retrier and retrier["BackoffRate"] > 1, name


def test_the_deployed_asl_is_generated_from_its_yaml_source() -> None:
    source = yaml.safe_load(ASL_SOURCE.read_text())

    assert json.dumps(source, indent=2) + "\n" == ASL_TEXT, "run `make asl`"


def throttle_retrier(state: str) -> dict[str, Any]:
    (retrier,) = [
        r
        for r in STATES[state]["Retry"]
        if "Lambda.TooManyRequestsException" in r["ErrorEquals"]
        or r["ErrorEquals"] == ["States.ALL"]
    ]
    return retrier


@pytest.mark.parametrize(
    "state", ["Register", "Start", "Finish", "TimeOut", "RecordFailure", "PublishFinished"]
)
def test_states_run_once_a_run_outlast_a_burst_of_lambda_throttles(state: str) -> None:
    # A burst of runs (a nightly suite) starts and ends together: at the account's concurrency
    # limit Lambda throttles, and giving up after seconds would leave runs unrecorded
    # (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html).
    retrier = throttle_retrier(state)

    assert (retrier["IntervalSeconds"], retrier["MaxAttempts"], retrier["BackoffRate"]) == (2, 6, 2)
    assert retrier["MaxDelaySeconds"] == 30


def test_the_poll_loop_retries_a_throttle_less_than_the_states_run_once_a_run() -> None:
    # Every extra attempt per poll is history events times MaxPolls (test_runs_history_limit).
    assert throttle_retrier("Poll")["MaxAttempts"] == 5


def test_only_start_waits_out_a_busy_launch_scope() -> None:
    waiting = [
        name
        for name, state in STATES.items()
        for retrier in state.get("Retry", [])
        if LaunchBusy.__name__ in retrier["ErrorEquals"]
    ]
    assert waiting == ["Start"]


@pytest.mark.parametrize("state", ["Start", "Poll", "Finish"])
def test_provider_steps_retry_a_throttled_or_unavailable_provider(state: str) -> None:
    # The Lambda task's error name is the exception's class (the Python runtime's errorType)
    transient = sorted(cls.__name__ for cls in ProviderError.__subclasses__() if cls.retryable)
    assert transient == ["ProviderThrottled", "ProviderUnavailable"]
    retriers = [r for r in STATES[state]["Retry"] if sorted(r["ErrorEquals"]) == transient]
    assert len(retriers) == 1, state
    assert retriers[0]["MaxAttempts"] >= 3 and retriers[0]["IntervalSeconds"] >= 1, state


@pytest.mark.parametrize("state", ["Register", "Start", "Poll", "Finish", "TimeOut"])
def test_task_failures_end_in_the_failure_record(state: str) -> None:
    assert STATES[state]["Catch"] == [
        {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "RecordFailure"}
    ]


def test_every_outcome_is_published_through_the_events_integration() -> None:
    publish = STATES["PublishFinished"]

    assert publish["Resource"] == "arn:aws:states:::events:putEvents"
    assert publish["Parameters"]["Entries"][0]["DetailType"] == "SimulationRunFinished"
    for state in ("Finish", "TimeOut", "RecordFailure"):
        assert STATES[state]["Next"] == "PublishFinished"


def test_schedule_ships_disabled_with_a_request_and_the_scheduled_time() -> None:
    nightly = RESOURCES["TriggerFunction"]["Properties"]["Events"]["Nightly"]["Properties"]
    payload = json.loads(nightly["Input"])

    assert nightly["State"] == "DISABLED"
    assert payload["scheduled_time"] == "<aws.scheduler.scheduled-time>"
    assert payload["request"]["provider"] == "synthflow"


def test_start_events_come_from_the_custom_bus_with_a_dlq() -> None:
    rule = RESOURCES["TriggerFunction"]["Properties"]["Events"]["StartEvent"]["Properties"]

    assert rule["EventBusName"] == {"Ref": "AgentsimBus"}
    assert rule["Pattern"] == {"detail-type": ["StartSimulation", "StartSuite"]}
    assert rule["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["TriggerDeadLetterQueue", "Arn"]}}


def test_every_asynchronously_invoked_function_has_a_dead_letter_queue() -> None:
    # .checkov.yaml skips CKV_AWS_116 for the synchronously invoked ones; this keeps the rest.
    asynchronous = {"EventBridgeRule", "ScheduleV2", "Schedule", "SNS", "S3", "CloudWatchEvent"}
    for name, function in of_type("AWS::Serverless::Function").items():
        events = function["Properties"].get("Events", {}).values()
        if any(event["Type"] in asynchronous for event in events):
            assert function["Properties"]["DeadLetterQueue"]["Type"] == "SQS", name


def test_no_resource_carries_checkov_skips_of_its_own() -> None:
    # one list, with its reasons, in .checkov.yaml
    assert not [name for name, r in RESOURCES.items() if "checkov" in r.get("Metadata", {})]


def test_dead_letter_queue_is_encrypted() -> None:
    assert RESOURCES["TriggerDeadLetterQueue"]["Properties"]["SqsManagedSseEnabled"] is True


def test_secret_is_generated_with_empty_provider_keys() -> None:
    generate = RESOURCES["AgentsimSecret"]["Properties"]["GenerateSecretString"]

    assert generate["GenerateStringKey"] == "webhook_secret"
    assert json.loads(generate["SecretStringTemplate"]) == {
        "omnidimension_api_key": "",
        "bluejay_api_key": "",
        "synthflow_api_key": "",
        "github_token": "",
        "slack_webhook_url": "",
    }


def test_failed_executions_raise_an_alarm() -> None:
    alarms = of_type("AWS::CloudWatch::Alarm").values()

    assert any(
        a["Properties"]["MetricName"] == "ExecutionsFailed"
        and a["Properties"]["Namespace"] == "AWS/States"
        for a in alarms
    )


def test_sample_event_exists_for_every_function_and_trigger() -> None:
    events = {p.name for p in (REPO_ROOT / "events").glob("*.json")}

    assert {
        "api_start_simulation.json",
        "api_get_simulation.json",
        "api_list_simulations.json",
        "api_stop_simulation.json",
        "api_list_cases.json",
        "api_get_history.json",
        "api_get_series.json",
        "api_openapi.json",
        "schedule_nightly.json",
        "event_start_simulation.json",
        "sfn_register.json",
        "sfn_start.json",
        "sfn_poll.json",
        "sfn_finish.json",
        "sfn_time_out.json",
        "sfn_fail.json",
    } <= events


def test_a_regressed_run_is_also_announced_as_regression_detected() -> None:
    (regressed,) = [
        c for c in STATES["DidComplete"]["Choices"] if c.get("StringEquals") == "REGRESSED"
    ]
    publish = STATES[regressed["Next"]]

    assert regressed["Variable"] == "$.outcome.detail.verdict"
    (entry,) = publish["Parameters"]["Entries"]
    assert (entry["DetailType"], entry["Detail.$"]) == ("RegressionDetected", "$.outcome.detail")
    assert publish["Next"] == "Completed"


def test_the_callback_wait_times_out_after_the_safety_net_the_layer_assumes() -> None:
    wait = STATES["WaitForCallback"]

    assert wait["Resource"] == "arn:aws:states:::lambda:invoke.waitForTaskToken"
    assert wait["TimeoutSeconds"] == CALLBACK_SAFETY_SECONDS
    assert wait["Parameters"]["Payload"]["task_token.$"] == "$$.Task.Token"


def test_only_a_poll_that_asks_for_it_waits_for_a_callback() -> None:
    (choice,) = [c for c in STATES["IsFinished"]["Choices"] if c.get("Next") == "WaitForCallback"]

    assert (choice["Variable"], choice["BooleanEquals"]) == ("$.poll.callback", True)
    assert STATES["IsFinished"]["Default"] == "WaitForProvider"
    assert STATES["Poll"]["Parameters"]["Payload"]["history.$"] == "$.poll.history"


def suite_states() -> dict[str, Any]:
    """Every state of the suite machine, the Map states' inner ones included."""
    found: dict[str, Any] = {}

    def collect(states: dict[str, Any]) -> None:
        for name, state in states.items():
            found[name] = state
            if state["Type"] == "Map":
                collect(state["ItemProcessor"]["States"])

    collect(json.loads(SUITE_ASL_TEXT)["States"])
    return found


def test_the_suite_machine_starts_each_run_as_a_run_workflow_named_after_it() -> None:
    run_child = suite_states()["RunChild"]

    assert run_child["Resource"] == "arn:aws:states:::states:startExecution.sync:2"
    assert run_child["Arguments"]["StateMachineArn"] == "${RunSimulationArn}"
    assert run_child["Arguments"]["Name"] == "{% $states.input.run_id %}"
    assert run_child["Catch"][0]["Next"] == "ChildDone"  # a run that failed is the suite's verdict


def test_a_suite_runs_at_most_its_concurrency_per_provider() -> None:
    states = suite_states()

    assert states["RunProviders"]["Items"] == "{% $states.input.groups %}"
    assert states["RunChildren"]["MaxConcurrency"] == "{% $states.input.concurrency %}"


def test_the_suite_machine_may_invoke_its_step_and_start_runs() -> None:
    policies = RESOURCES["RunSuiteStateMachine"]["Properties"]["Policies"]

    assert {"LambdaInvokePolicy": {"FunctionName": {"Ref": "SuiteStepFunction"}}} in policies
    started = [
        p["StepFunctionsExecutionPolicy"] for p in policies if "StepFunctionsExecutionPolicy" in p
    ]
    assert started == [{"StateMachineName": {"Fn::GetAtt": ["RunSimulationStateMachine", "Name"]}}]


def test_every_suite_outcome_is_published_and_a_regression_announced() -> None:
    states = suite_states()

    assert states["Finish"]["Next"] == states["RecordFailure"]["Next"] == "PublishFinished"
    assert states["PublishFinished"]["Arguments"]["Entries"][0]["DetailType"] == "SuiteRunFinished"
    assert states["PublishRegression"]["Arguments"]["Entries"][0]["DetailType"] == (
        "RegressionDetected"
    )
