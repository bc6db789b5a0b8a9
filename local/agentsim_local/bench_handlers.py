"""Figures for the handlers' own cost, each against the floor any Lambda doing the same work has.

- Cold import: each handler module imported in a fresh `python -I -B` (CPython 3.13) laid out as
  Lambda lays it out: the function's code first (sources only: `/var/task` is read-only, so
  Lambda compiles `app.py` at every cold start), then the layer as `sam build` makes it
  (`agentsim layer --platform host`: compiled, third-party code bytecode only), then the
  runtime's own packages (this virtualenv's boto3, botocore, s3transfer, urllib3, jmespath,
  dateutil, six, compiled). The floor is `import boto3` in the same layout and run. Targets are
  measured in turns (boto3, every handler, again), and the minimum over the repeats is kept:
  the fastest run is the one least disturbed by other work on the machine. CPU time (user +
  system, `time.process_time`) is the headline because it barely moves when other processes
  share the cores; wall time is shown beside it.
- Warm poll: the real poll handler (`functions/poll/app.py`, Powertools decorators and all)
  invoked again and again on one run, against the provider emulator over HTTP and DynamoDB in
  in-process moto, turn about with a hand-written poll doing the same work on another run: one
  httpx GET of the simulation with a kept `httpx.Client`, then the UpdateItem the handler sends
  (the same attributes and condition: moto's cost grows with the expression) with a kept boto3
  client. Medians of wall time, and of CPU time (steadier when the machine is busy).

Figures, never assertions: nothing passes or fails on speed.
"""

from __future__ import annotations

import compileall
import contextlib
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from rich.console import Console
from rich.table import Table

from agentsim_local.layer import ROOT, RUNTIME_PACKAGES, build_layer, python_313

HANDLERS = ("api", "trigger", "register", "start", "poll", "finish", "fail", "time_out")
BASELINE = "boto3"
LAMBDA_ENV = {
    "AWS_LAMBDA_FUNCTION_NAME": "agentsim-bench",
    "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
    "LAMBDA_TASK_ROOT": "/var/task",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "POWERTOOLS_SERVICE_NAME": "agentsim",
    "POWERTOOLS_METRICS_NAMESPACE": "agentsim",
    "RUNS_TABLE": "agentsim-runs",
    "RUN_ITEMS_TABLE": "agentsim-run-items",
}
"""What Lambda and the template's Globals set: Powertools sees a Lambda (tracing on) here."""
TIMING = (
    "import sys, time\n"
    "sys.path[:0] = {path!r}\n"
    "cpu, wall = time.process_time(), time.perf_counter()\n"
    "import {module}\n"
    "print(time.process_time() - cpu, time.perf_counter() - wall)\n"
)


# -- cold imports --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportTime:
    """The fastest of several cold imports of `name`, in milliseconds."""

    name: str
    cpu_ms: float
    wall_ms: float


@dataclass(frozen=True)
class ColdImports:
    python: str
    repeats: int
    baseline: ImportTime
    handlers: tuple[ImportTime, ...]

    def ratio(self, figure: ImportTime) -> float:
        """CPU time of `figure` over that of `import boto3`."""
        return figure.cpu_ms / self.baseline.cpu_ms

    def wall_ratio(self, figure: ImportTime) -> float:
        return figure.wall_ms / self.baseline.wall_ms


@dataclass(frozen=True)
class LambdaLayout:
    """sys.path as Lambda builds it, a directory per function holding only its `app.py`."""

    work: Path
    layer: tuple[Path, ...]
    runtime: Path

    @classmethod
    def prepare(cls, work: Path, layer: Sequence[Path] = ()) -> LambdaLayout:
        """In `work`: the layer, the runtime's packages, function copies. `layer`: directories
        standing where Lambda mounts the layer (`/opt/python`); by default the layer built as
        `sam build` builds it, for this machine."""
        site = tuple(layer) or (build_layer(work / "layer", platform="host").site,)
        runtime = work / "runtime"
        runtime.mkdir(parents=True, exist_ok=True)
        for name in sorted(RUNTIME_PACKAGES):
            source = _installed(name)
            link = runtime / source.name
            if not link.exists():
                link.symlink_to(source)
            # Lambda's copies are compiled; compile ours once (up-to-date files are skipped).
            if source.is_dir():
                compileall.compile_dir(source, quiet=1)
            else:
                compileall.compile_file(source, quiet=1)
        return cls(work, site, runtime)

    def task(self, handler: str) -> Path:
        """`/var/task` of `handler`: a copy of its app.py alone, no bytecode beside it."""
        task = self.work / "functions" / handler
        if not (task / "app.py").exists():
            task.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / "functions" / handler / "app.py", task / "app.py")
        return task

    def sys_path(self, handler: str | None) -> list[str]:
        task = self.task(handler) if handler else self.work
        return [str(task), *map(str, self.layer), str(self.runtime)]


def _installed(name: str) -> Path:
    """Where this environment has the package (or single module) `name`."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"{name} is not installed here")
    origin = Path(spec.origin)
    return origin.parent if origin.name == "__init__.py" else origin


def import_time(layout: LambdaLayout, handler: str | None, python: str) -> tuple[float, float]:
    """(CPU, wall) seconds of one cold import of `handler`'s app (None: of boto3)."""
    code = TIMING.format(path=layout.sys_path(handler), module="app" if handler else BASELINE)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **LAMBDA_ENV}
    done = subprocess.run(  # noqa: S603 - our interpreter, our code
        [python, "-I", "-B", "-c", code], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"importing {handler or BASELINE} failed:\n{done.stderr.strip()}")
    cpu, wall = (float(value) for value in done.stdout.split())
    return cpu, wall


def measure_cold_imports(
    *,
    repeats: int = 5,
    handlers: Sequence[str] = HANDLERS,
    layer: Sequence[Path] = (),
    work: Path | None = None,
) -> ColdImports:
    """Each handler's cold import and `import boto3`, `repeats` turns, fastest kept."""
    python = python_313()
    with contextlib.ExitStack() as stack:
        root = work or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        layout = LambdaLayout.prepare(root, layer)
        targets: list[str | None] = [None, *handlers]
        samples: dict[str | None, list[tuple[float, float]]] = {t: [] for t in targets}
        for _ in range(repeats):
            for target in targets:
                samples[target].append(import_time(layout, target, python))
    version = subprocess.run(  # noqa: S603
        [python, "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    def fastest(target: str | None) -> ImportTime:
        runs = samples[target]
        return ImportTime(
            target or f"import {BASELINE}",
            min(cpu for cpu, _ in runs) * 1000,
            min(wall for _, wall in runs) * 1000,
        )

    return ColdImports(
        python=version,
        repeats=repeats,
        baseline=fastest(None),
        handlers=tuple(fastest(h) for h in handlers),
    )


# -- warm poll -----------------------------------------------------------------------------------


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
API_KEY = "omni-bench-key"


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
    from agentsim.runs.register import register  # noqa: PLC0415
    from agentsim.runs.start import start  # noqa: PLC0415

    run_id = f"bench-{uuid.uuid4().hex[:12]}"
    register(
        services,
        run_id,
        execution_arn=f"arn:aws:states:us-east-1:123456789012:execution:bench:{run_id}",
        started_at=datetime.now(UTC),
        execution_input={"request": request},
    )
    start(services, run_id)
    return run_id, services.repository.get(run_id).expect_handle().simulation_id


STATES = {"Completed": "COMPLETED", "Stopped": "STOPPED", "Draft": "PENDING", "Pending": "PENDING"}
"""OmniDimension's status words a hand-written poll maps (anything else is still running)."""


def _hand_written_poll(base_url: str, table: str) -> Callable[[str, str, int], None]:
    """A poll as one would write it by hand, kept clients, the same two requests the handler
    makes: GET the simulation, then the same conditional UpdateItem (the same attributes, only
    a RUNNING run, `poll_count` never going back), returning nothing."""
    import boto3  # noqa: PLC0415
    import httpx  # noqa: PLC0415

    http = httpx.Client(base_url=base_url, timeout=10)
    dynamodb = boto3.client("dynamodb")

    def hand_poll(run_id: str, simulation_id: str, count: int) -> None:
        answer = http.get(
            f"simulations/{simulation_id}", headers={"Authorization": f"Bearer {API_KEY}"}
        )
        simulation = answer.raise_for_status().json()["simulation"]
        word = str(simulation.get("status"))
        progress = simulation.get("progress") or [0]  # documented as a one-element array
        dynamodb.update_item(
            TableName=table,
            Key={"run_id": {"S": run_id}},
            UpdateExpression="SET provider_status = :word, provider_state = :state, "
            "progress = :progress, updated_at = :now, poll_count = :count "
            "REMOVE provider_message",
            ConditionExpression="attribute_exists(run_id) AND #status = :running "
            "AND (attribute_not_exists(poll_count) OR poll_count <= :count)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":word": {"S": word},
                ":state": {"S": STATES.get(word, "RUNNING")},
                ":progress": {"N": str(int(progress[0]))},
                ":now": {"S": datetime.now(UTC).isoformat()},
                ":count": {"N": str(count)},
                ":running": {"S": "RUNNING"},
            },
            ReturnValues="NONE",
        )

    return hand_poll


def measure_warm_poll(*, polls: int = 60, warmup: int = 5) -> WarmPoll:
    """`polls` warm invocations of the poll handler and as many hand-written polls, in turns."""
    from aws_lambda_powertools.utilities import parameters  # noqa: PLC0415
    from moto import mock_aws  # noqa: PLC0415

    from agentsim.runs.settings import Settings  # noqa: PLC0415
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
            setup = build_services(Settings.from_env())
            handler_run, _ = _running_run(setup, request)
            hand_run, hand_simulation = _running_run(setup, request)
            handler = _load_poll_handler()
            hand_poll = _hand_written_poll(base_url, LAMBDA_ENV["RUNS_TABLE"])
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


# -- the section ---------------------------------------------------------------------------------


def cold_import_table(figures: ColdImports) -> Table:
    table = Table(
        title=f"Cold import per handler, Lambda layout, Python {figures.python} "
        f"(fastest of {figures.repeats})",
        title_justify="left",
    )
    for name in ("handler", "CPU ms", "/ import boto3", "wall ms", "/ import boto3 (wall)"):
        table.add_column(name, justify="left" if name == "handler" else "right")
    base = figures.baseline
    table.add_row(base.name, f"{base.cpu_ms:.1f}", "1.00", f"{base.wall_ms:.1f}", "1.00")
    for figure in figures.handlers:
        table.add_row(
            figure.name,
            f"{figure.cpu_ms:.1f}",
            f"{figures.ratio(figure):.2f}",
            f"{figure.wall_ms:.1f}",
            f"{figures.wall_ratio(figure):.2f}",
        )
    return table


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


def print_section(
    console: Console,
    *,
    repeats: int = 5,
    handlers: Sequence[str] = HANDLERS,
    polls: int = 60,
    layer: Sequence[Path] = (),
) -> None:
    """Measure and print both tables (the layer is built for the cold imports unless given)."""
    console.print(
        cold_import_table(measure_cold_imports(repeats=repeats, handlers=handlers, layer=layer))
    )
    console.print(warm_poll_table(measure_warm_poll(polls=polls)))
