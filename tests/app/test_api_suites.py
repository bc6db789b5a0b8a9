"""`POST /suites`, `GET /suites`, `GET /suites/{id}` and the suite's report page through the API
handler (moto, the stack's secret): signed like `POST /simulations`, every bad field named by its
path with nothing written, a suite body allowed up to 1 MB, the page opened by its share link."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from support.aws_fixtures import Stack
from support.handlers import LambdaContext, answer, api_event, load_handler
from support.report_records import HOSTILE
from support.run_requests import synthflow_request
from support.suite_requests import suite_request, ungated_bluejay

from agentsim.runs import ids

Call = Callable[[dict[str, Any]], dict[str, Any]]


@pytest.fixture
def call(stack: Stack) -> Call:
    api = load_handler("api")
    return lambda event: api.lambda_handler(event, LambdaContext())


def post_suite(call: Call, body: Any, **headers: str) -> tuple[int, dict[str, str], Any]:
    return answer(call(api_event("POST", "/suites", body=body, headers=headers)))


def get(call: Call, path: str, **query: str) -> tuple[int, dict[str, str], Any]:
    event = api_event("GET", path, query={k: [v] for k, v in query.items()})
    return answer(call(event))


def test_post_suites_is_accepted_with_its_id_runs_and_location(call: Call, stack: Stack) -> None:
    status, headers, body = post_suite(call, suite_request(), **{"Idempotency-Key": "deploy-7"})

    suite_id = ids.suite_id_for("idempotency-key", "deploy-7")
    assert status == 202
    assert body["suite_id"] == suite_id
    assert body["runs"] == [ids.child_run_id(suite_id, i) for i in range(3)]
    assert headers["Location"] == f"/v1/suites/{suite_id}" == body["location"]
    assert stack.suite_executions() == [suite_id]


def test_unsigned_post_suites_is_refused_and_nothing_is_written(call: Call, stack: Stack) -> None:
    event = api_event("POST", "/suites", body=suite_request(), signed=False)

    status, _, body = answer(call(event))

    assert status == 401
    assert body["message"].startswith("unauthorized")
    assert stack.stored_items() == 0


def test_a_bad_child_field_is_422_naming_its_path_and_nothing_is_stored(
    call: Call, stack: Stack
) -> None:
    bad = ungated_bluejay(simulation={"agent_id": 12, "name": "x"})
    data = suite_request(synthflow_request(), synthflow_request(), synthflow_request(), bad)

    status, _, body = post_suite(call, data)

    assert status == 422
    assert [e["path"] for e in body["errors"]] == ["suite.runs.3.simulation.agent_id"]
    assert stack.stored_items() == 0
    assert stack.suite_executions() == []


def test_an_empty_suite_is_422_naming_suite_runs(call: Call, stack: Stack) -> None:
    status, _, body = post_suite(call, {"suite": {"name": "nightly", "runs": []}})

    assert status == 422
    assert [e["path"] for e in body["errors"]] == ["suite.runs"]


def test_a_hostile_notify_url_is_422_naming_it_and_nothing_is_stored(
    call: Call, stack: Stack
) -> None:
    hostile = synthflow_request(notify={"url": "http://169.254.169.254/latest/meta-data/"})

    status, _, body = post_suite(call, suite_request(synthflow_request(), hostile))

    assert status == 422
    assert [e["path"] for e in body["errors"]] == ["suite.runs.1.notify.url"]
    assert stack.stored_items() == 0


def test_a_suites_own_hostile_notify_url_is_422_naming_it_and_nothing_is_stored(
    call: Call, stack: Stack
) -> None:
    request = suite_request(
        synthflow_request(), notify={"url": "https://169.254.169.254/latest/meta-data/"}
    )

    status, _, body = post_suite(call, request)

    assert status == 422
    assert [e["path"] for e in body["errors"]] == ["notify.url"]
    assert stack.stored_items() == 0


def large_suite() -> dict[str, Any]:
    """About 100 KB of JSON: 300 runs with long series names."""
    runs = [synthflow_request(series=f"{i:03d}-" + "s" * 190) for i in range(300)]
    data = suite_request(*runs)
    assert 100_000 < len(json.dumps(data)) < 1_048_576
    return data


def test_a_100_kb_suite_body_is_accepted(call: Call, stack: Stack) -> None:
    status, _, body = post_suite(call, large_suite())

    assert status == 202, body
    assert len(body["runs"]) == 300


def test_the_same_100_kb_body_to_simulations_is_413(call: Call, stack: Stack) -> None:
    event = api_event("POST", "/simulations", body=large_suite())

    status, _, _ = answer(call(event))

    assert status == 413
    assert stack.stored_items() == 0


def test_get_an_unknown_suite_is_404_json(call: Call) -> None:
    status, headers, body = get(call, "/suites/no-such-suite")

    assert status == 404
    assert headers["Content-Type"].startswith("application/json")
    assert "no-such-suite" in body["message"]


def test_get_a_suite_shows_its_runs_and_a_report_url(call: Call) -> None:
    _, _, accepted = post_suite(call, suite_request())

    status, _, body = get(call, f"/suites/{accepted['suite_id']}")

    assert status == 200
    assert (body["status"], body["name"], body["trigger"]) == ("PENDING", "nightly", "webhook")
    assert [r["run_id"] for r in body["runs"]] == accepted["runs"]
    assert [r["provider"] for r in body["runs"]] == ["bluejay", "synthflow", "omnidimension"]
    assert urlsplit(body["report_url"]).path == f"/v1/suites/{accepted['suite_id']}/report"


def test_get_suites_lists_newest_first_by_pages(call: Call, stack: Stack) -> None:
    made = []
    for key in ("a", "b", "c"):
        _, _, accepted = post_suite(call, suite_request(), **{"Idempotency-Key": f"k-{key}"})
        made.append(accepted["suite_id"])

    status, _, first = get(call, "/suites", limit="2")
    _, _, second = get(call, "/suites", limit="2", next_token=first["next_token"])

    assert status == 200
    listed = [s["suite_id"] for s in first["suites"] + second["suites"]]
    assert listed == list(reversed(made))
    assert "next_token" not in second or second["next_token"] is None


def test_get_suites_with_a_tampered_token_is_a_4xx(call: Call) -> None:
    for key in ("a", "b"):
        post_suite(call, suite_request(), **{"Idempotency-Key": f"k-{key}"})
    _, _, first = get(call, "/suites", limit="1")

    status, _, body = get(call, "/suites", limit="1", next_token=first["next_token"] + "0")

    assert 400 <= status < 500
    assert "next_token" in json.dumps(body)


def report_event(url: str, **query: str) -> dict[str, Any]:
    split = urlsplit(url)
    given = {k: v[0] for k, v in parse_qs(split.query).items()} | query
    path = split.path.removeprefix("/v1")
    return api_event("GET", path, query={k: [v] for k, v in given.items()}, signed=False)


def test_the_suites_report_url_opens_its_page(call: Call) -> None:
    _, _, accepted = post_suite(call, suite_request(name="checkout"))
    _, _, view = get(call, f"/suites/{accepted['suite_id']}")

    response = call(report_event(view["report_url"]))

    assert response["statusCode"] == 200
    assert "Suite checkout" in response["body"]
    assert all(run_id in response["body"] for run_id in accepted["runs"])


@pytest.mark.parametrize("query", [{"signature": "0" * 64}, {"expires": "1"}])
def test_the_report_without_a_valid_link_is_401(call: Call, query: dict[str, str]) -> None:
    _, _, accepted = post_suite(call, suite_request(name="checkout"))
    _, _, view = get(call, f"/suites/{accepted['suite_id']}")

    response = call(report_event(view["report_url"], **query))

    assert response["statusCode"] == 401
    assert "checkout" not in response["body"]


def test_the_report_with_no_link_is_401(call: Call) -> None:
    _, _, accepted = post_suite(call, suite_request(name="checkout"))

    response = call(api_event("GET", f"/suites/{accepted['suite_id']}/report", signed=False))

    assert response["statusCode"] == 401


def test_a_hostile_suite_name_and_series_are_escaped_in_the_page(call: Call) -> None:
    runs = [
        synthflow_request(series=HOSTILE),
        ungated_bluejay(simulation={"agent_id": "12", "name": HOSTILE}),
    ]
    data = suite_request(*runs, name=HOSTILE[:100])
    status, _, accepted = post_suite(call, data)
    assert status == 202, accepted
    _, _, view = get(call, f"/suites/{accepted['suite_id']}")

    page = call(report_event(view["report_url"]))["body"]

    assert "<script>" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;window.pwned" in page


def test_an_idempotency_key_reused_with_another_suite_is_409(call: Call, stack: Stack) -> None:
    post_suite(call, suite_request(), **{"Idempotency-Key": "deploy-7"})

    status, _, body = post_suite(
        call, suite_request(synthflow_request()), **{"Idempotency-Key": "deploy-7"}
    )

    assert status == 409
    assert "message" in body
    assert len(stack.suite_executions()) == 1
