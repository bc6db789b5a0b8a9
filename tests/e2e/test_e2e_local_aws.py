"""The local AWS itself: the ministack server's lifecycle, the packaging of the template, and
the ministack differences from AWS the tooling makes up for (each test names its gap; a gap test
fails once ministack closes it, so the workaround can go)."""

from __future__ import annotations

import io
import json
import threading
import time
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest

from agentsim_local.embedded.cfn_yaml import load_template
from agentsim_local.embedded.package import package
from agentsim_local.embedded.server import MinistackServer, group_alive
from agentsim_local.embedded.stack import TEMPLATE
from agentsim_local.embedded.workarounds import scheduler_input

CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MinistackServer]:
    log = tmp_path_factory.mktemp("ministack") / "server.log"
    with MinistackServer(log_path=log) as running:
        yield running


def client(server: MinistackServer, service: str) -> object:
    return boto3.client(  # type: ignore[call-overload]
        service, endpoint_url=server.endpoint_url, region_name=server.region, **CREDENTIALS
    )


def create_function(lam: object, name: str, source: str) -> None:
    """A Python 3.13 function `name` whose `app.py` is `source` (handler `app.handler`)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", source)
    lam.create_function(  # type: ignore[attr-defined]
        FunctionName=name,
        Runtime="python3.13",
        Role="arn:aws:iam::000000000000:role/any",
        Handler="app.handler",
        Code={"ZipFile": buffer.getvalue()},
    )


def listening_addresses(port: int) -> set[str]:
    """Local addresses of the listening TCP sockets on `port` (from /proc/net/tcp{,6})."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_server_listens_on_loopback_only(server: MinistackServer) -> None:
    assert listening_addresses(server.port) == {"0100007F"}  # 127.0.0.1, nothing else


def test_stop_ends_the_server_and_every_worker_it_spawned(tmp_path: Path) -> None:
    function_dir = tmp_path / "fn"
    function_dir.mkdir()
    (function_dir / "app.py").write_text("def handler(event, context):\n    return event\n")
    with MinistackServer(log_path=tmp_path / "server.log") as running:
        lam = client(running, "lambda")

        create_function(lam, "echo", (function_dir / "app.py").read_text())
        answer = lam.invoke(FunctionName="echo", Payload=b'{"a": 1}')  # type: ignore[attr-defined]
        assert json.loads(answer["Payload"].read()) == {"a": 1}  # a worker process ran it
        group = running.pid
        assert group is not None and group_alive(group)

    assert not group_alive(group)


def test_packaged_copy_changes_only_the_local_artifact_uris() -> None:
    uploads: dict[str, bytes] = {}

    def upload(hint: str, data: bytes) -> tuple[str, str]:
        uploads[hint] = data
        return "artifacts", f"{hint}/key"

    packaged = package(TEMPLATE, upload).template
    original = load_template(TEMPLATE)

    assert packaged["Transform"] == "AWS::Serverless-2016-10-31"  # CloudFormation applies it
    changed = {}
    for logical_id, resource in original["Resources"].items():
        for name, value in resource.get("Properties", {}).items():
            if packaged["Resources"][logical_id]["Properties"][name] != value:
                changed[f"{logical_id}.{name}"] = packaged["Resources"][logical_id]["Properties"][
                    name
                ]
    assert changed["ApiFunction.CodeUri"] == "s3://artifacts/functions/api/key"
    assert changed["AgentsimLayer.ContentUri"] == "s3://artifacts/layers/AgentsimLayer/key"
    assert changed["RunSimulationStateMachine.DefinitionUri"] == {
        "Bucket": "artifacts",
        "Key": "statemachines/run_simulation.asl/key",
    }
    assert {key.rsplit(".", 1)[1] for key in changed} == {
        "CodeUri",
        "ContentUri",
        "DefinitionUri",
    }
    assert {k: v for k, v in packaged.items() if k != "Resources"} == {
        k: v for k, v in original.items() if k != "Resources"
    }


def test_gap_scheduler_leaves_context_attributes_in_the_input_literal(
    server: MinistackServer,
) -> None:
    """ministack's Scheduler delivers `<aws.scheduler.scheduled-time>` as written; AWS fills it
    in (workarounds.scheduler_input does, when the tooling fires the nightly schedule)."""
    sqs = client(server, "sqs")
    queue = sqs.create_queue(QueueName="fired")["QueueUrl"]  # type: ignore[attr-defined]
    arn = sqs.get_queue_attributes(  # type: ignore[attr-defined]
        QueueUrl=queue, AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    now = datetime.now(UTC)
    client(server, "scheduler").create_schedule(  # type: ignore[attr-defined]
        Name="context",
        ScheduleExpression=f"at({now:%Y-%m-%dT%H:%M:%S})",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={
            "Arn": arn,
            "RoleArn": "arn:aws:iam::000000000000:role/any",
            "Input": '{"at": "<aws.scheduler.scheduled-time>"}',
        },
    )
    deadline = time.monotonic() + 30
    messages: list[dict[str, str]] = []
    while not messages and time.monotonic() < deadline:
        messages = sqs.receive_message(  # type: ignore[attr-defined]
            QueueUrl=queue, WaitTimeSeconds=2
        ).get("Messages", [])

    assert messages, "the Scheduler never fired the one-time schedule"
    assert json.loads(messages[0]["Body"]) == {"at": "<aws.scheduler.scheduled-time>"}


def test_scheduler_input_fills_the_context_attributes_as_aws_does() -> None:
    when = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    text = '{"arn": "<aws.scheduler.schedule-arn>", "at": "<aws.scheduler.scheduled-time>"}'

    filled = json.loads(scheduler_input(text, "arn:aws:scheduler:::schedule/default/n", when))

    assert filled == {"arn": "arn:aws:scheduler:::schedule/default/n", "at": "2030-01-02T03:04:05Z"}


def test_gap_secret_ref_is_its_name_not_its_arn(server: MinistackServer) -> None:
    """`Ref` of an AWS::SecretsManager::Secret is its ARN on AWS, its name here. Nothing of ours
    needs the ARN form (every call takes either), so the tooling leaves it."""
    cfn = client(server, "cloudformation")
    template = {
        "Resources": {"S": {"Type": "AWS::SecretsManager::Secret", "Properties": {}}},
        "Outputs": {"Ref": {"Value": {"Ref": "S"}}},
    }
    cfn.create_stack(StackName="ref", TemplateBody=json.dumps(template))  # type: ignore[attr-defined]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        stack = cfn.describe_stacks(StackName="ref")["Stacks"][0]  # type: ignore[attr-defined]
        if not stack["StackStatus"].endswith("IN_PROGRESS"):
            break
        time.sleep(0.2)

    assert stack["StackStatus"] == "CREATE_COMPLETE"
    ref = stack["Outputs"][0]["OutputValue"]
    assert not ref.startswith("arn:")
    secrets = client(server, "secretsmanager")
    assert secrets.describe_secret(SecretId=ref)["ARN"].startswith("arn:aws:secretsmanager:")  # type: ignore[attr-defined]


def test_gap_python_handler_errors_lose_their_exception_class_name(
    server: MinistackServer,
) -> None:
    """AWS's Python runtime names a raised exception's class in `errorType`, which Step
    Functions' Retry/Catch match (the workflow retries `ProviderThrottled` and
    `ProviderUnavailable`); ministack's Python worker answers `Runtime.HandlerError` for every
    exception. No workaround without patching it: test_e2e_runs' workflow-retry test is an
    expected failure naming this test."""
    lam = client(server, "lambda")
    create_function(
        lam,
        "raises",
        "class ProviderUnavailable(Exception):\n    pass\n\n"
        "def handler(event, context):\n    raise ProviderUnavailable('down')\n",
    )

    answer = lam.invoke(FunctionName="raises", Payload=b"{}")  # type: ignore[attr-defined]

    assert answer["FunctionError"] == "Unhandled"
    error = json.loads(answer["Payload"].read())
    assert error["errorMessage"] == "down"
    assert error["errorType"] == "Runtime.HandlerError"  # AWS: "ProviderUnavailable"


def test_gap_a_tasks_heartbeat_is_not_enforced(server: MinistackServer) -> None:
    """On AWS a `.waitForTaskToken` task fails with `States.HeartbeatTimeout` once
    `HeartbeatSeconds` pass without a heartbeat; WaitForEnd catches it to poll a run whose chain
    of polls was lost. ministack enforces only `TimeoutSeconds`, so locally that fallback never
    fires (no chain is lost in the local runs; the Catch is checked statically)."""
    sqs = client(server, "sqs")
    queue = sqs.create_queue(QueueName="heartbeat-gap")["QueueUrl"]  # type: ignore[attr-defined]
    definition = {
        "StartAt": "Wait",
        "States": {
            "Wait": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": queue, "MessageBody": {"token.$": "$$.Task.Token"}},
                "HeartbeatSeconds": 1,
                "TimeoutSeconds": 6,
                "End": True,
            }
        },
    }
    sfn = client(server, "stepfunctions")
    machine = sfn.create_state_machine(  # type: ignore[attr-defined]
        name="heartbeat-gap",
        definition=json.dumps(definition),
        roleArn="arn:aws:iam::000000000000:role/any",
    )["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=machine)["executionArn"]  # type: ignore[attr-defined]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        described = sfn.describe_execution(executionArn=execution)  # type: ignore[attr-defined]
        if described["status"] != "RUNNING":
            break
        time.sleep(0.5)

    assert described["status"] == "FAILED"
    assert described["error"] == "States.Timeout"  # AWS: "States.HeartbeatTimeout", after 1 s


def test_gap_a_throttled_sqs_delivery_waits_out_the_visibility_timeout(
    server: MinistackServer,
) -> None:
    """On AWS an SQS event source retries a throttled invocation within the queue's visibility
    timeout, backing off; ministack hands the message back only once that timeout has passed.
    The tooling shortens the local poll queue's timeout (workarounds.retry_throttled_polls_soon)."""
    lam, sqs = client(server, "lambda"), client(server, "sqs")
    create_function(
        lam,
        "busy",
        "import time\n\ndef handler(event, context):\n"
        "    if 'Records' not in event:\n        time.sleep(4)\n    return {}\n",
    )
    lam.put_function_concurrency(FunctionName="busy", ReservedConcurrentExecutions=1)  # type: ignore[attr-defined]
    queue = sqs.create_queue(  # type: ignore[attr-defined]
        QueueName="throttled", Attributes={"VisibilityTimeout": "30"}
    )["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]  # type: ignore[attr-defined]
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="busy", BatchSize=1)  # type: ignore[attr-defined]
    holder = threading.Thread(target=lambda: lam.invoke(FunctionName="busy", Payload=b"{}"))  # type: ignore[attr-defined]
    holder.start()
    time.sleep(1)  # the one unit of concurrency is taken

    sqs.send_message(QueueUrl=queue, MessageBody="{}")  # type: ignore[attr-defined]
    holder.join()
    time.sleep(4)  # the function is free again: AWS would have retried by now

    counts = sqs.get_queue_attributes(  # type: ignore[attr-defined]
        QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    assert counts["ApproximateNumberOfMessagesNotVisible"] == "1"  # AWS: "0", processed
