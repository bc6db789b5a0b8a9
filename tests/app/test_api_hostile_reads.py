"""Hostile reads: page tokens made by hand, signed with another key or altered are refused, pages
stay under the answer's size and never show storage keys, and path and query values beyond what
a run id, a label or a date can be are 422 naming them."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from support.aws_fixtures import WEBHOOK_SECRET, Stack
from support.handlers import api_event
from support.hostile_api import Call, assert_refused, paths
from support.run_requests import bluejay_request

from agentsim.providers.base import CaseResult, CaseVerdict
from agentsim.runs.envelope import parse_request
from agentsim.runs.errors import InvalidPageToken
from agentsim.runs.item_store import MAX_PAGE_BYTES
from agentsim.runs.record import Origin
from agentsim.runs.secrets import AgentsimSecrets
from agentsim.runs.services import Services
from agentsim.runs.submit import submit
from agentsim.runs.tokens import decode_token, encode_token


def cases_event(run_id: str, **query: str) -> dict[str, Any]:
    return api_event(
        "GET",
        f"/simulations/{run_id}/cases",
        query={k: [v] for k, v in query.items()},
        path_parameters={"run_id": run_id},
        resource="/simulations/{run_id}/cases",
    )


def run_with_cases(services: Services, run_id: str, count: int) -> None:
    submit(services, run_id, parse_request(bluejay_request()), Origin.WEBHOOK)
    services.items.put_cases(
        run_id,
        [CaseResult(case_id=f"call-{n}", verdict=CaseVerdict.PASSED) for n in range(1, count + 1)],
    )


def test_hand_made_page_token_is_422_naming_next_token(call: Call, services: Services) -> None:
    run_with_cases(services, "run-t", 3)
    before_first = {"pk": {"S": "RUN#run-t"}, "sk": {"S": "CASE#00000"}}
    unsigned = base64.urlsafe_b64encode(json.dumps(before_first).encode()).decode().rstrip("=")
    foreign = encode_token(before_first, scope="cases:run-t", token_key=b"not-our-key")
    genuine = call(cases_event("run-t", limit="1"))[2]["next_token"]
    altered = genuine[:-1] + ("0" if genuine[-1] != "0" else "1")

    for token in (unsigned, foreign, altered, "é" * 10):
        status, _, body = call(cases_event("run-t", next_token=token))
        assert status == 422, token
        assert paths(body) == ["query.next_token"]


def test_cases_and_history_never_show_storage_keys(call: Call, services: Services) -> None:
    run_with_cases(services, "run-k", 3)

    first = call(cases_event("run-k", limit="2"))[2]
    rest = call(cases_event("run-k", next_token=first["next_token"]))[2]
    history = call(
        api_event(
            "GET",
            "/simulations/run-k/history",
            path_parameters={"run_id": "run-k"},
            resource="/simulations/{run_id}/history",
        )
    )[2]

    cases = first["cases"] + rest["cases"]
    assert [c["case_id"] for c in cases] == ["call-1", "call-2", "call-3"]
    for item in [*cases, *history["history"]]:
        assert not {"pk", "sk", "list_pk", "list_sk"} & set(item), item


def test_a_page_of_large_runs_stops_early_and_the_next_pages_follow(
    call: Call, services: Services
) -> None:
    # Given 24 runs each storing a request of about 60 KB (1.4 MB in all)
    for n in range(24):
        body = bluejay_request(simulation={"agent_id": "12", "description": "d" * 60_000})
        submit(services, f"big-{n:02d}", parse_request(body), Origin.WEBHOOK)

    seen: list[str] = []
    pages = 0
    token: str | None = None
    while True:
        query = {"limit": ["100"], **({"next_token": [token]} if token else {})}
        event = api_event("GET", "/simulations", query=query)
        status, _, page = call(event)
        assert status == 200
        assert len(json.dumps(page)) < MAX_PAGE_BYTES + 70_000  # one run past the budget at most
        seen += [r["run_id"] for r in page["runs"]]
        pages += 1
        token = page.get("next_token")
        if not token:
            break

    assert pages > 1
    assert sorted(seen) == [f"big-{n:02d}" for n in range(24)]


def test_page_tokens_are_signed_with_a_key_derived_from_the_stack_secret(
    call: Call, services: Services
) -> None:
    for n in range(3):
        submit(services, f"run-{n}", parse_request(bluejay_request()), Origin.WEBHOOK)

    status, _, page = call(api_event("GET", "/simulations", query={"limit": ["1"]}))

    assert status == 200
    key = AgentsimSecrets.model_validate({"webhook_secret": WEBHOOK_SECRET}).page_token_key()
    assert decode_token(page["next_token"], token_key=key)["run_id"]["S"]
    with pytest.raises(InvalidPageToken):
        decode_token(page["next_token"], token_key=WEBHOOK_SECRET.encode())
    with pytest.raises(InvalidPageToken):  # a runs token is no cases token
        decode_token(page["next_token"], scope="cases:run-1", token_key=key)
    answered = json.dumps(page)
    assert WEBHOOK_SECRET not in answered and key.hex() not in answered


def test_run_id_longer_than_a_key_is_422_naming_it(call: Call, stack: Stack) -> None:
    run_id = "r" * 3000
    event = api_event(
        "GET",
        f"/simulations/{run_id}",
        path_parameters={"run_id": run_id},
        resource="/simulations/{run_id}",
    )

    assert_refused(stack, call(event), 422, "path.run_id", prefix=True)


@pytest.mark.parametrize(
    "labels", [["bad key:x"], ["k:" + "v" * 300], [f"k{n}:v" for n in range(21)]]
)
def test_label_filters_beyond_what_labels_can_be_are_422(
    call: Call, stack: Stack, labels: list[str]
) -> None:
    event = api_event("GET", "/simulations", query={"label": labels})

    assert_refused(stack, call(event), 422, "query.label")


def test_since_before_year_one_in_utc_is_422(call: Call, stack: Stack) -> None:
    event = api_event("GET", "/simulations", query={"since": ["0001-01-01T00:00:00+01:00"]})

    assert_refused(stack, call(event), 422, "query.since")
