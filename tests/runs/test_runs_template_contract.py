"""template.yaml keeps the contracts other parts rely on (stack outputs and parameters, sample
events, the secret's keys, the triggers), the ASL it deploys is generated from its YAML source,
and what .checkov.yaml skips stays guarded; checked without deploying anything."""

from __future__ import annotations

import json

import pytest
import yaml
from support.stack_template import ASL_SOURCE, ASL_TEXT, RESOURCES, TEMPLATE, of_type
from support.template_tables import REPO_ROOT


@pytest.mark.parametrize(
    ("section", "names", "defaults"),
    [
        pytest.param(
            "Outputs",
            {
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
            },
            {},
            id="outputs-tools-read",
        ),
        pytest.param(
            "Parameters",
            {
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
            },
            {"PollMinSeconds": 15, "PollMaxSeconds": 600, "MaxPolls": 600},
            id="parameters-local-runs-override",
        ),
    ],
)
def test_outputs_and_parameters_are_exactly_the_ones_others_rely_on(
    section: str, names: set[str], defaults: dict[str, int]
) -> None:
    # Outputs are read by the CLI and CI; parameters are what a local stack overrides
    assert set(TEMPLATE[section]) == names
    assert {name: TEMPLATE[section][name]["Default"] for name in defaults} == defaults


def test_share_links_last_seven_days_unless_the_stack_says_otherwise() -> None:
    assert TEMPLATE["Parameters"]["ReportLinkDays"]["Default"] == 7
    variables = TEMPLATE["Globals"]["Function"]["Environment"]["Variables"]
    assert variables["REPORT_LINK_DAYS"] == {"Ref": "ReportLinkDays"}


def test_base_urls_reach_the_functions_under_the_registry_names() -> None:
    variables = TEMPLATE["Globals"]["Function"]["Environment"]["Variables"]

    assert variables["OMNIDIM_BASE_URL"] == {"Ref": "OmnidimBaseUrl"}
    assert variables["BLUEJAY_BASE_URL"] == {"Ref": "BluejayBaseUrl"}
    assert variables["SYNTHFLOW_BASE_URL"] == {"Ref": "SynthflowBaseUrl"}


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
        "sqs_watch.json",
    } <= events


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


def test_the_deployed_asl_is_generated_from_its_yaml_source() -> None:
    source = yaml.safe_load(ASL_SOURCE.read_text())

    assert json.dumps(source, indent=2) + "\n" == ASL_TEXT, "run `make asl`"


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
