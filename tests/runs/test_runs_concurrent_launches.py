"""Issue 8: concurrent runs of one agent, one suite and one shared simulation, under 30 %
injected provider faults (429, 503 and 500, HTML, malformed, slow past the read timeout): every
run follows its own launch, none is stuck, none is launched twice.

The runs go through the workflow's use cases as the state machine drives them (support.workflow,
with the ASL's retriers), on moto and on the emulator over real HTTP. Checked at the emulator
(launches per provider, the runs it holds) and on the records (one distinct launch per run,
traced back to the run that made it wherever the provider lets us: a Bluejay run by its digital
human, a Synthflow case by its session, an OmniDimension simulation by the run that created it).
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import httpx
import pytest
from support.aws_fixtures import API_KEYS, Stack
from support.run_requests import (
    LAUNCH_PATHS,
    SYNTHFLOW_AGENT,
    omnidimension_request,
    synthflow_request,
    synthflow_suite_request,
)
from support.workflow import Trace, run_workflow

from agentsim.providers import create_provider
from agentsim.providers.base import ProviderName, SimulationProvider
from agentsim.providers.bluejay import BluejayProvider, SimulationSpec
from agentsim.providers.retry import RetryPolicy
from agentsim.providers.synthflow import session_id_for
from agentsim.runs.record import RunRecord, RunStatus
from agentsim.runs.services import Services
from agentsim_local.emulator import EmulatorServer

FAULT_RATE = 0.3
READ_TIMEOUT = 0.5
"""The clients' read timeout: a `slow` fault answers after it, the launch having started."""
SLOW = 0.8
FAULT_KINDS: list[dict[str, Any]] = [
    {"kind": "429"},
    {"kind": "5xx", "status": 503},
    {"kind": "5xx", "status": 500},
    {"kind": "html"},
    {"kind": "malformed"},
    {"kind": "slow", "delay": SLOW},
]
FAULTED_LAUNCHES = {
    "omnidimension": "/start",
    "bluejay": "/v1/queue-simulation-run",
    "synthflow": "/v2/simulation",  # POST /simulations (a case), /simulation_suites/…/execute
}
SCALE = int(os.environ.get("AGENTSIM_FAULT_RUN_SCALE", "1"))
"""More runs for a one-off measurement (`AGENTSIM_FAULT_RUN_SCALE=5`: 90 runs); 1 in the suite."""
SUITE_RUNS, CASE_RUNS, BLUEJAY_RUNS, OMNI_RUNS = 6 * SCALE, 3 * SCALE, 6 * SCALE, 3 * SCALE


@pytest.fixture
def one_dynamodb_call_at_a_time(services: Services) -> Iterator[None]:
    """moto's DynamoDB checks a condition and writes the item in separate Python steps with no
    lock (moto 5.2.5, `moto/dynamodb/models/table.py`, `Table.put_item`), where DynamoDB itself
    serialises the writes to an item; so threads sharing moto could both pass one condition.
    botocore's documented `before-call` / `after-call` events (boto3 guide, "Extensibility
    guide: events") let the test take each call of the services' client through moto whole."""
    events = services.runs.client.meta.events
    lock = threading.RLock()

    def enter(**_: Any) -> None:
        lock.acquire()

    def leave(**_: Any) -> None:
        lock.release()

    events.register("before-call.dynamodb", enter, unique_id="atomic-enter")
    events.register("after-call.dynamodb", leave, unique_id="atomic-leave")
    events.register("after-call-error.dynamodb", leave, unique_id="atomic-leave-error")
    yield
    for name, unique_id in (
        ("before-call.dynamodb", "atomic-enter"),
        ("after-call.dynamodb", "atomic-leave"),
        ("after-call-error.dynamodb", "atomic-leave-error"),
    ):
        events.unregister(name, unique_id=unique_id)


def impatient_providers(stack: Stack) -> Any:
    def make(name: ProviderName) -> SimulationProvider:
        return create_provider(
            name,
            API_KEYS[name.value],
            base_url=stack.base_urls[name.value],
            timeout=httpx.Timeout(READ_TIMEOUT, connect=5.0),
            retry=RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.1),
        )

    return make


def shared_bluejay_simulation(stack: Stack, humans: int) -> tuple[str, list[str]]:
    """A Bluejay simulation every run starts, and one digital human per run, so each run's
    results name the run that queued them."""
    base = stack.base_urls["bluejay"]
    with BluejayProvider(API_KEYS["bluejay"], base_url=base) as provider:
        simulation = provider.prepare(SimulationSpec(agent_id="12", name="Shared line"))
    ids = []
    with httpx.Client(base_url=base, headers={"X-API-Key": API_KEYS["bluejay"]}) as http:
        for number in range(humans):
            body = {
                "digital_human": {"phone_number": f"+1555010{number:04d}", "name": f"H{number}"}
            }
            answer = http.post("/v1/create-digital-human", json=body)
            answer.raise_for_status()
            ids.append(str(answer.json()["digital_human"]["id"]))
    return simulation.simulation_id, ids


def inject_faults(emulator: EmulatorServer) -> None:
    # One slow launch per provider for sure (started, answer lost), then 30 % of every call.
    for provider, path in FAULTED_LAUNCHES.items():
        emulator.faults.add(
            provider=provider, kind="slow", delay=SLOW, method="POST", path_contains=path, nth=2
        )
    each = 1 - (1 - FAULT_RATE) ** (1 / len(FAULT_KINDS))
    for spec in FAULT_KINDS:
        emulator.faults.add(rate=each, **spec)


def launches(emulator: EmulatorServer, provider: str, fault: str | None = None) -> list[Any]:
    """Launch calls the provider acted on (a canned fault answers before acting, `slow` after);
    with `fault`, only those that met it."""
    return [
        c
        for c in emulator.calls.list(provider)  # type: ignore[arg-type]
        if c["method"] == "POST"
        and LAUNCH_PATHS[provider].match(c["path"])
        and c["status"] < 300
        and c["fault"] in (None, "slow")
        and (fault is None or c["fault"] == fault)
    ]


def figures(
    emulator: EmulatorServer, finished: list[tuple[RunRecord, Trace]], seconds: float
) -> str:
    fired = Counter[str]()
    for fault in emulator.faults.list():
        kind = fault["kind"] + (f"-{fault['status']}" if fault["kind"] == "5xx" else "")
        fired[kind] += fault["fired"]
    calls = len(emulator.calls.list())
    runs = Counter(str(r.provider) for r, _ in finished)
    launched = {p: len(launches(emulator, p)) for p in LAUNCH_PATHS}
    lost = {p: len(launches(emulator, p, "slow")) for p in LAUNCH_PATHS}
    followed = Counter(str(r.provider) for r, _ in finished if r.handle is not None)
    statuses = Counter(r.status.value for r, _ in finished)
    errors = Counter(e for _, t in finished for e in t.errors)
    return (
        f"runs {dict(runs)} ({len(finished)}), statuses {dict(statuses)}, {seconds:.1f} s\n"
        f"provider calls {calls}, faults fired {sum(fired.values())}: {dict(fired)}\n"
        f"launches at the emulator {launched} (answer lost past the timeout: {lost}), "
        f"runs following a launch {dict(followed)}\n"
        f"task errors retried or caught {dict(errors)}"
    )


def identity(record: RunRecord) -> tuple[str, str, str | None]:
    handle = record.handle
    assert handle is not None, f"{record.run_id} followed nothing ({record.status})"
    return (handle.provider.value, handle.simulation_id, handle.run_id)


def test_concurrent_runs_under_faults_each_follow_their_own_launch(
    services: Services,
    stack: Stack,
    emulator: EmulatorServer,
    one_dynamodb_call_at_a_time: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given one Synthflow agent and suite, one shared Bluejay simulation, one OmniDimension agent
    simulation_id, humans = shared_bluejay_simulation(stack, BLUEJAY_RUNS)
    requests: dict[str, dict[str, Any]] = {}
    for n in range(SUITE_RUNS):
        requests[f"suite-{n}"] = synthflow_suite_request()
    for n in range(CASE_RUNS):
        requests[f"case-{n}"] = synthflow_request()
    for n, human in enumerate(humans):
        requests[f"bluejay-{n}"] = {
            "provider": "bluejay",
            "simulation_id": simulation_id,
            "run": {"digital_human_ids": [human]},
        }
    for n in range(OMNI_RUNS):
        requests[f"omni-{n}"] = omnidimension_request()
    hurried = replace(services, providers=impatient_providers(stack))
    inject_faults(emulator)

    # When every run goes through the workflow at once
    began = emulator.store.now()
    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        futures = [pool.submit(run_workflow, hurried, r, q) for r, q in requests.items()]
        finished = [f.result() for f in futures]
    report = figures(emulator, finished, emulator.store.now() - began)
    emulator.faults.clear()
    print(report)  # shown with -s, and by pytest when an assertion below fails

    records = {record.run_id: record for record, _ in finished}
    # Then none is stuck or failed: every run completed (a suite following a single case's
    # session would wait for cases that never come, and time out)
    unfinished = {r: rec.status for r, rec in records.items() if rec.status != RunStatus.COMPLETED}
    assert unfinished == {}
    # And every run followed a launch of its own: one distinct launch per run
    followed = Counter(identity(rec) for rec in records.values())
    assert [launch for launch, runs in followed.items() if runs > 1] == []
    # And each provider launched exactly once per run, answers lost past the timeout included
    per_provider = Counter(str(rec.provider) for rec in records.values())
    assert {p: len(launches(emulator, p)) for p in LAUNCH_PATHS} == dict(per_provider)
    assert all(launches(emulator, p, "slow") for p in LAUNCH_PATHS)
    # And each launch traces back to the run that made it
    assert_bluejay_runs_are_their_own(stack, services, records, simulation_id, humans)
    assert_synthflow_sessions_are_their_own(stack, records)
    for run_id in (r for r in records if r.startswith("omni-")):
        record = records[run_id]
        assert record.prepared is not None and record.handle is not None
        assert record.handle.simulation_id == record.prepared.simulation_id


def assert_bluejay_runs_are_their_own(
    stack: Stack,
    services: Services,
    records: dict[str, RunRecord],
    simulation_id: str,
    humans: list[str],
) -> None:
    """Bluejay holds one run per agentsim run, and each run's results are its digital human's."""
    headers = {"X-API-Key": API_KEYS["bluejay"]}
    with httpx.Client(base_url=stack.base_urls["bluejay"], headers=headers) as http:
        runs = http.get(f"/v1/get-simulation-runs/{simulation_id}").json()["simulation_runs"]
    ours = {r: rec for r, rec in records.items() if r.startswith("bluejay-")}
    assert sorted(str(r["id"]) for r in runs) == sorted(
        str(c.provider_run_id) for c in ours.values()
    )
    for run_id in ours:
        human = humans[int(run_id.removeprefix("bluejay-"))]
        cases = services.items.cases(run_id)
        assert [str(c["raw"]["digital_human_id"]) for c in cases] == [human], run_id


def assert_synthflow_sessions_are_their_own(stack: Stack, records: dict[str, RunRecord]) -> None:
    """A case run follows the session named after it; the suite runs follow the sessions the
    suite executions made, all three cases each, one each."""
    for run_id in (r for r in records if r.startswith("case-")):
        assert records[run_id].provider_run_id == session_id_for(run_id)
    suites = [rec for r, rec in records.items() if r.startswith("suite-")]
    assert [rec.results.total if rec.results else None for rec in suites] == [3] * len(suites)
    headers = {"Authorization": f"Bearer {API_KEYS['synthflow']}"}
    params = {"target_agent_id": SYNTHFLOW_AGENT, "page_size": 100}
    with httpx.Client(base_url=stack.base_urls["synthflow"], headers=headers) as http:
        listed = http.get("simulations/sessions", params=params).json()["response"]["items"]
    executed = sorted(s["simulation_session_id"] for s in listed if s["total_simulations"] == 3)
    assert executed == sorted(str(rec.provider_run_id) for rec in suites)
