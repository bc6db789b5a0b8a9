"""A suite's own deliveries: its notify URL gets the suite's finished detail (signed as a run's),
its GitHub commit a status `agentsim/suite/<name>`, Slack a message naming each run's newly
failing cases; every attempt is stored on the suite record (moto DynamoDB), and the deliver
task tells a suite's detail (a `suite_id`, no `run_id`) from a run's."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from delivery_world import NOTIFY_URL, SENDERS, World
from support.deliver_function import delivered
from support.handlers import LambdaContext, load_handler
from support.records import START
from support.run_requests import synthflow_request
from support.suite_details import REPORT, SUITE_ID, detail
from support.suite_records import suite_record

from agentsim.delivery import messages
from agentsim.delivery.attempts import DeliveryAttempt, Moment, Outcome, Target
from agentsim.delivery.deliver import Deliverer, deliver_suite
from agentsim.delivery.outbound import Outbound
from agentsim.runs.envelope import parse_request
from agentsim.runs.record import Origin, RunRecord
from agentsim.runs.run_store import DynamoRunStore
from agentsim.runs.signing import verify
from agentsim.suites.request import parse_suite
from agentsim.suites.store import DynamoSuiteStore, SuiteNotFound
from agentsim.suites.views import SuiteView

SHA = "3f786850e387550fdab836ed7e6dc881de23001b"
EVENT = "SuiteRunFinished"
REQUEST = {"notify": {"url": NOTIFY_URL}, "github": {"repository": "octo/agent", "sha": SHA}}


@pytest.fixture
def suites(tables: dict[str, str]) -> DynamoSuiteStore:
    store = DynamoSuiteStore(boto3.client("dynamodb"), tables["RunItemsTable"])
    store.create_or_get(suite_record(SUITE_ID, request=REQUEST))
    return store


@pytest.fixture
def deliverer(runs: DynamoRunStore, outbound: Outbound) -> Deliverer:
    return Deliverer(runs, outbound, lambda: SENDERS, lambda: START)


def test_a_suite_detail_is_told_from_a_child_runs_detail() -> None:
    child = {"run_id": f"{SUITE_ID}-run-0", "suite_id": SUITE_ID}

    assert (messages.is_suite(detail()), messages.is_suite(child)) == (True, False)


def test_a_suite_without_a_report_links_its_record_in_the_api() -> None:
    assert messages.run_link(detail(report_url=None), "https://api.example/v1/") == (
        f"https://api.example/v1/suites/{SUITE_ID}"
    )


def test_the_suites_slack_message_names_each_runs_newly_failing_cases() -> None:
    text = messages.slack_message(detail(), REPORT)["text"]

    assert f"suite `{SUITE_ID}` (nightly) *REGRESSED*" in text
    assert f"Newly failing in `{SUITE_ID}-run-1` (nightly/bluejay-1): `book`, `cancel`" in text
    assert f"`{SUITE_ID}-run-0`" not in text
    assert text.endswith(f"<{REPORT.replace('&', '&amp;')}|Open the report>")


def test_a_suites_own_notify_and_github_are_in_its_stored_request() -> None:
    runs = [{"provider": "bluejay", "simulation": {"agent_id": "12", "name": "x"}}]

    stored = parse_suite({"suite": {"name": "n", "runs": runs}, **REQUEST}).stored()

    assert (stored["notify"], stored["github"]) == (REQUEST["notify"], REQUEST["github"])


def test_the_suites_end_is_posted_signed_with_its_suite_id(
    deliverer: Deliverer, suites: DynamoSuiteStore, world: World
) -> None:
    deliver_suite(deliverer, suites, EVENT, Moment.FINISHED, detail())

    (posted,) = world.to("hooks.example.com")
    verify(SENDERS.signing_secret, posted.content, dict(posted.headers))
    assert json.loads(posted.content)["suite_id"] == SUITE_ID
    assert posted.headers["X-Agentsim-Delivery"] == f"{SUITE_ID}/finished"


def test_each_attempt_is_stored_on_the_suite(
    deliverer: Deliverer, suites: DynamoSuiteStore, world: World
) -> None:
    world.answers["hooks.example.com"] = [503]

    pending = deliver_suite(deliverer, suites, EVENT, Moment.FINISHED, detail())

    told = {(a.target, a.outcome) for a in suites.get(SUITE_ID).deliveries}
    assert told == {
        (Target.NOTIFY, Outcome.RETRYING),
        (Target.GITHUB, Outcome.DELIVERED),
        (Target.SLACK, Outcome.DELIVERED),
    }
    assert pending.pending is True


def test_a_passed_suite_posts_nothing_to_slack(
    deliverer: Deliverer, suites: DynamoSuiteStore, world: World
) -> None:
    deliver_suite(deliverer, suites, EVENT, Moment.FINISHED, detail(verdict="PASSED"))

    assert world.to("hooks.slack.com") == []


def test_a_suites_deliveries_are_in_its_view_not_in_its_finished_event(
    deliverer: Deliverer, suites: DynamoSuiteStore
) -> None:
    deliver_suite(deliverer, suites, EVENT, Moment.FINISHED, detail(verdict="PASSED"))

    view = SuiteView.of(suites.get(SUITE_ID), [])
    assert {a.target for a in view.deliveries} == {Target.NOTIFY, Target.GITHUB}
    assert "deliveries" not in view.event_detail()


def test_an_attempt_for_an_unknown_suite_is_not_found(suites: DynamoSuiteStore) -> None:
    attempt = DeliveryAttempt(
        target=Target.NOTIFY, moment=Moment.FINISHED, attempt=1, at=START, outcome=Outcome.DELIVERED
    )

    with pytest.raises(SuiteNotFound):
        suites.add_delivery("no-such-suite", attempt)


@pytest.fixture
def handler(stack: Any, emulator: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The deliver function as a local stack deploys it; GitHub is the emulator's."""
    monkeypatch.setenv("ALLOW_LOOPBACK_TARGETS", "true")
    monkeypatch.setenv("GITHUB_API_URL", emulator.github_api_url)
    monkeypatch.setenv("REPORT_BASE_URL", "https://api.example/v1")
    secrets = boto3.client("secretsmanager")
    value = json.loads(secrets.get_secret_value(SecretId=stack.secret_arn)["SecretString"])
    secrets.put_secret_value(
        SecretId=stack.secret_arn, SecretString=json.dumps(value | {"github_token": "t"})
    )
    return load_handler("deliver")


def told(deliveries: list[DeliveryAttempt]) -> list[tuple[Target, Moment, Outcome]]:
    return [(a.target, a.moment, a.outcome) for a in deliveries]


def test_the_suites_start_sets_its_pending_status_stored_on_the_suite(
    handler: Any, suites: DynamoSuiteStore
) -> None:
    delivered(handler, {"detail-type": "SuiteRunStarted", "detail": {"suite_id": SUITE_ID}})

    assert told(suites.get(SUITE_ID).deliveries) == [
        (Target.GITHUB, Moment.STARTED, Outcome.DELIVERED)
    ]


def test_a_child_runs_end_is_delivered_for_the_run_not_its_suite(
    handler: Any, suites: DynamoSuiteStore, runs: DynamoRunStore
) -> None:
    run_id = f"{SUITE_ID}-run-0"
    request = parse_request(synthflow_request(github=REQUEST["github"]))
    record = RunRecord.new(run_id, Origin.WEBHOOK, START, request=request)
    runs.create(record.model_copy(update={"suite_id": SUITE_ID}))
    child = {"run_id": run_id, "suite_id": SUITE_ID, "status": "COMPLETED", "verdict": "PASSED"}
    event = {"detail-type": "SimulationRunFinished", "detail": child}

    handler.lambda_handler(event, LambdaContext())

    assert told(runs.get(run_id).deliveries) == [
        (Target.GITHUB, Moment.FINISHED, Outcome.DELIVERED)
    ]
    assert suites.get(SUITE_ID).deliveries == []
