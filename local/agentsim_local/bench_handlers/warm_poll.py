"""Warm poll: the real poll handler (`functions/poll/app.py`, Powertools decorators and all)
invoked again and again on one run, against the provider emulator over HTTP and DynamoDB in
in-process moto, turn about with a hand-written poll (`hand_poll`) doing the same work on another
run. Medians of wall time, and of CPU time (steadier when the machine is busy).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import statistics
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from rich.table import Table

from agentsim_local.bench_handlers.hand_poll import API_KEY, hand_written_poll
from agentsim_local.bench_handlers.layout import LAMBDA_ENV
from agentsim_local.layer import ROOT


@dataclass(frozen=True)
class WarmPoll:
    """Milliseconds of each warm poll, the handler's and the hand-written one's: wall time, and
    this process's CPU time (the emulator's and moto's work included, alike for both)."""

    handler_ms: tuple[float, ...]
    hand_ms: tuple[float, ...]
    handler_cpu_ms: tuple[float, ...] = ()
    hand_cpu_ms: tuple[float, ...] = ()

    @property
    def handler_median(self) -> float:
        return statistics.median(self.handler_ms)

    @property
    def hand_median(self) -> float:
        return statistics.median(self.hand_ms)

    @property
    def ratio(self) -> float:
        return self.handler_median / self.hand_median

    @property
    def cpu_ratio(self) -> float:
        return statistics.median(self.handler_cpu_ms) / statistics.median(self.hand_cpu_ms)


REQUEST = ROOT / "local" / "agentsim_local" / "requests" / "omnidimension.json"


@contextlib.contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _create_tables(dynamodb: Any) -> None:
    """The runs and run-items tables with the keys template.yaml gives them."""
    from agentsim_local.embedded.cfn_yaml import load_template  # noqa: PLC0415 (PyYAML, SAM)

    resources = load_template(ROOT / "template.yaml")["Resources"]
    for logical_id, name in (
        ("RunsTable", LAMBDA_ENV["RUNS_TABLE"]),
        ("RunItemsTable", LAMBDA_ENV["RUN_ITEMS_TABLE"]),
    ):
        props = resources[logical_id]["Properties"]
        kwargs: dict[str, Any] = {
            "TableName": name,
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": "PAY_PER_REQUEST",
        }
        if props.get("GlobalSecondaryIndexes"):
            kwargs["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
        dynamodb.create_table(**kwargs)


def _load_poll_handler() -> ModuleType:
    """functions/poll/app.py imported afresh, as a cold start imports it."""
    name = f"agentsim_bench_poll_{uuid.uuid4().hex}"
    spec = importlib.util.spec_from_file_location(name, ROOT / "functions" / "poll" / "app.py")
    if spec is None or spec.loader is None:
        raise RuntimeError("cannot load functions/poll/app.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _context() -> Any:
    from agentsim_local.lambda_context import LambdaContext  # noqa: PLC0415

    return LambdaContext(
        function_name="agentsim-bench-poll",
        function_version="$LATEST",
        invoked_function_arn="arn:aws:lambda:us-east-1:123456789012:function:agentsim-bench-poll",
        memory_limit_in_mb=512,
        aws_request_id=str(uuid.uuid4()),
        log_group_name="/aws/lambda/agentsim-bench-poll",
        log_stream_name="bench",
        deadline_ms=int(time.time() * 1000) + 90_000,
    )


def _running_run(services: Any, request: dict[str, Any]) -> tuple[str, str]:
    """A run registered and launched on the emulator: (run id, provider simulation id)."""
    from agentsim.runs.start import start  # noqa: PLC0415
    from agentsim_local.registration import register_now  # noqa: PLC0415

    run_id = f"bench-{uuid.uuid4().hex[:12]}"
    register_now(services, run_id, machine="bench", execution_input={"request": request})
    start(services, run_id)
    return run_id, services.runs.get(run_id).expect_handle().simulation_id


def measure_warm_poll(*, polls: int = 60, warmup: int = 5) -> WarmPoll:
    """`polls` warm invocations of the poll handler and as many hand-written polls, in turns."""
    from aws_lambda_powertools.utilities import parameters  # noqa: PLC0415
    from moto import mock_aws  # noqa: PLC0415

    from agentsim.runs.settings import PacedProviderSettings  # noqa: PLC0415
    from agentsim.runs.wiring import build_services  # noqa: PLC0415
    from agentsim_local.emulator import EmulatorServer, EmulatorSettings  # noqa: PLC0415

    # Runs that stay RUNNING for as long as the measure lasts.
    settings = EmulatorSettings(queue_seconds=0, call_seconds=3600, summary_seconds=0)
    aws = {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_SESSION_TOKEN": "bench",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_SERVICE_NAME": "agentsim",
        "POWERTOOLS_METRICS_NAMESPACE": "agentsim",
        "POWERTOOLS_TRACE_DISABLED": "true",  # no X-Ray daemon here; the hand poll has none either
        "RUNS_TABLE": LAMBDA_ENV["RUNS_TABLE"],
        "RUN_ITEMS_TABLE": LAMBDA_ENV["RUN_ITEMS_TABLE"],
        "POLL_MIN_SECONDS": "15",
        "POLL_MAX_SECONDS": "300",
    }
    request = json.loads(REQUEST.read_text())
    with (
        EmulatorServer(settings=settings) as emulator,
        _environment(aws),
        mock_aws(),
        open(os.devnull, "w") as devnull,
        contextlib.redirect_stdout(devnull),  # the handler's log lines and EMF metrics
    ):
        import boto3  # noqa: PLC0415

        parameters.clear_caches()  # type: ignore[no-untyped-call]  # untyped in Powertools
        _create_tables(boto3.client("dynamodb"))
        secret = boto3.client("secretsmanager").create_secret(
            Name="agentsim-bench", SecretString=json.dumps({"omnidimension_api_key": API_KEY})
        )
        base_url = emulator.base_urls["omnidimension"]
        stack = {"SECRET_ARN": secret["ARN"], "OMNIDIM_BASE_URL": base_url}
        with _environment(stack):
            setup = build_services(PacedProviderSettings.from_env())
            handler_run, _ = _running_run(setup, request)
            hand_run, hand_simulation = _running_run(setup, request)
            handler = _load_poll_handler()
            hand_poll = hand_written_poll(base_url, LAMBDA_ENV["RUNS_TABLE"])
            samples: dict[str, list[float]] = {"wall": [], "hand": [], "cpu": [], "hand_cpu": []}
            for count in range(warmup + polls):
                event = {"run_id": handler_run, "poll_count": count}
                wall, cpu = time.perf_counter(), time.process_time()
                step = handler.lambda_handler(event, _context())
                spent = (time.perf_counter() - wall, time.process_time() - cpu)
                if step.get("terminal"):
                    raise RuntimeError(f"the benchmark run ended early: {step}")
                wall, cpu = time.perf_counter(), time.process_time()
                hand_poll(hand_run, hand_simulation, count + 1)
                hand_spent = (time.perf_counter() - wall, time.process_time() - cpu)
                if count >= warmup:  # the first invocation is the cold one
                    samples["wall"].append(spent[0] * 1000)
                    samples["cpu"].append(spent[1] * 1000)
                    samples["hand"].append(hand_spent[0] * 1000)
                    samples["hand_cpu"].append(hand_spent[1] * 1000)
        parameters.clear_caches()  # type: ignore[no-untyped-call]  # untyped in Powertools
    return WarmPoll(
        tuple(samples["wall"]),
        tuple(samples["hand"]),
        tuple(samples["cpu"]),
        tuple(samples["hand_cpu"]),
    )


def warm_poll_table(figures: WarmPoll) -> Table:
    table = Table(
        title=f"Warm poll, emulator + in-process moto (median of {len(figures.handler_ms)})",
        title_justify="left",
    )
    for name in ("poll", "wall ms", "CPU ms"):
        table.add_column(name, justify="left" if name == "poll" else "right")
    table.add_row(
        "poll handler (functions/poll)",
        f"{figures.handler_median:.2f}",
        f"{statistics.median(figures.handler_cpu_ms):.2f}",
    )
    table.add_row(
        "hand-written (httpx GET + UpdateItem)",
        f"{figures.hand_median:.2f}",
        f"{statistics.median(figures.hand_cpu_ms):.2f}",
    )
    table.add_row("ratio", f"{figures.ratio:.2f}", f"{figures.cpu_ratio:.2f}")
    return table
