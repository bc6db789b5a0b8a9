"""What keeps a deployed stack observable and buildable: JSON logs kept for the retention
parameter, alarms and a dashboard over every metric agentsim emits, Python 3.13 on arm64;
checked in template.yaml without deploying anything."""

from __future__ import annotations

import json
import re

from support.stack_template import RESOURCES, TEMPLATE, of_type
from support.template_tables import REPO_ROOT


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


def test_failed_executions_raise_an_alarm() -> None:
    alarms = of_type("AWS::CloudWatch::Alarm").values()

    assert any(
        a["Properties"]["MetricName"] == "ExecutionsFailed"
        and a["Properties"]["Namespace"] == "AWS/States"
        for a in alarms
    )


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
