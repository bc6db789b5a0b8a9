"""Property-based tests of the API: requests generated from its own OpenAPI document
(schemathesis, valid and invalid ones) and mutated request bodies (hypothesis), every one
correctly signed, against the real handler in process on moto.

The properties: no answer is a 5xx, and every answer is one the document declares for the
route, in the declared media type and schema. Whatever was accepted can be read and listed back.
The figures (requests sent, answers by status) are printed; `pytest -s` shows them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from support.aws_fixtures import WEBHOOK_SECRET, Stack
from support.handlers import LambdaContext, answer, api_event, load_handler, wire_event
from support.run_requests import bluejay_request, omnidimension_request, synthflow_request

from agentsim.runs.signing import sign

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_MODE = 150
MUTATIONS = 250
FUZZ = settings(
    # The same examples on every run (a CI answer can be reproduced); change the examples by
    # changing the strategies, or run with --hypothesis-seed to explore further.
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
PATH_SAFE = "/:@!$&'()*+,;=-._~"
"""Characters a path segment carries unencoded (RFC 3986, pchar)."""


class SigningLambdaApp:
    """A WSGI app in front of the API function: each HTTP request becomes the proxy event
    API Gateway would send, signed the way a client signs."""

    def __init__(self, handler: Handler, secret: str = WEBHOOK_SECRET) -> None:
        self.handler = handler
        self.secret = secret

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = [
            (key[5:].replace("_", "-").title(), str(value))
            for key, value in environ.items()
            if key.startswith("HTTP_") and not key.startswith("HTTP_X_AGENTSIM_")
        ]
        if environ.get("CONTENT_TYPE"):
            headers.append(("Content-Type", environ["CONTENT_TYPE"]))
        headers += list(sign(self.secret, body).items())
        # WSGI hands the path over decoded (as latin-1 text): encoded again, as it was sent
        path = quote(environ.get("PATH_INFO", "/").encode("latin-1"), safe=PATH_SAFE)
        query = environ.get("QUERY_STRING", "")
        event = wire_event(
            environ["REQUEST_METHOD"], f"{path}?{query}" if query else path, headers, body
        )
        response = self.handler(event, LambdaContext())
        status = int(response["statusCode"])
        sent = [
            (name, str(value))
            for name, values in (response.get("multiValueHeaders") or {}).items()
            for value in values
        ]
        start_response(f"{status} {HTTPStatus(status).phrase}", sent)
        return [(response.get("body") or "").encode()]


@pytest.fixture
def api(stack: Stack) -> Handler:
    handler: Handler = load_handler("api").lambda_handler
    return handler


def all_pages(api: Handler) -> Iterator[dict[str, Any]]:
    """Every run `GET /simulations` lists, page after page."""
    token: str | None = None
    while True:
        query = {"limit": ["100"], **({"next_token": [token]} if token else {})}
        status, _, page = answer(
            api(api_event("GET", "/simulations", query=query), LambdaContext())
        )
        assert status == 200, page
        yield from page["runs"]
        token = page.get("next_token")
        if not token:
            return


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_requests_generated_from_our_openapi_get_declared_answers_never_5xx(
    api: Handler, mode: GenerationMode
) -> None:
    schema = schemathesis.openapi.from_wsgi("/openapi.json", SigningLambdaApp(api))
    statuses: Counter[tuple[str, int]] = Counter()
    accepted: set[str] = set()

    @settings(FUZZ, max_examples=EXAMPLES_PER_MODE)
    @given(case=schema.as_strategy(generation_mode=mode))
    def answers_as_declared(case: Any) -> None:
        response = case.call()
        statuses[(f"{case.method} {case.path}", response.status_code)] += 1
        case.validate_response(response, checks=CHECKS)
        if response.status_code == 202:  # a run's answer names it; a suite's, its runs
            answer = response.json()
            accepted.update(answer["runs"] if "suite_id" in answer else [answer["run_id"]])

    answers_as_declared()

    by_status = Counter({s: 0 for _, s in statuses})
    for (_, status), count in statuses.items():
        by_status[status] += count
    print(f"\nschemathesis {mode.value}: {sum(by_status.values())} requests, {dict(by_status)}")
    assert all(status < 500 for status in by_status)
    assert sum(by_status.values()) >= EXAMPLES_PER_MODE // 2  # generation did run
    # Whatever was accepted is stored and listed back (how many were accepted is the generator's
    # luck: the mutated-bodies test below starts from valid requests and always has some)
    assert accepted <= {r["run_id"] for r in all_pages(api)}


JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(st.characters(codec="utf-8"), max_size=20)
    | st.text(max_size=5).map(lambda s: s + "\ud800")
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=40,
)
VALID = [bluejay_request(), synthflow_request(), omnidimension_request()]
FIELDS = ["labels", "run", "gate", "simulation", "timeout_minutes", "simulation_id", "extra"]
INNER = ["livekit_metadata", "custom_variables", "min_pass_rate", "agent_id", "name"]


@st.composite
def mutated_bodies(draw: st.DrawFn) -> bytes:
    """A valid request with a field replaced, a nested field injected, its bytes cut or
    corrupted, or a document nested deep; or bytes of no kind at all."""
    body = json.loads(json.dumps(draw(st.sampled_from(VALID))))
    kind = draw(st.sampled_from(["replace", "inject", "deep", "cut", "flip", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "replace":
        body[draw(st.sampled_from(FIELDS))] = draw(JSON_VALUES)
    elif kind == "inject":
        target = draw(st.sampled_from(["run", "simulation", "gate"]))
        body.setdefault(target, {})
        if isinstance(body[target], dict):
            body[target][draw(st.sampled_from(INNER))] = draw(JSON_VALUES)
    elif kind == "deep":
        levels = draw(st.integers(1, 200))
        key = draw(st.text(max_size=2))
        value: Any = draw(JSON_LEAVES)
        for _ in range(levels):
            value = {key: value} if draw(st.booleans()) else [value]
        body["run"] = {draw(st.sampled_from(INNER)): value}
    text = json.dumps(body, ensure_ascii=draw(st.booleans()))
    raw = text.encode("utf-8", "surrogatepass")
    if kind == "cut":
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif kind == "flip":
        at = draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + bytes([draw(st.integers(0, 255))]) + raw[at + 1 :]
    return raw


CONTENT_TYPES = st.sampled_from(["application/json", "application/json; charset=utf-8", ""]) | (
    st.sampled_from(["multipart/form-data", "application/x-www-form-urlencoded", "text/plain"])
)
"""JSON (or none) half the time; the types Powertools would otherwise parse the other half."""


def test_mutated_signed_bodies_get_4xx_in_our_shape_or_are_accepted_and_listable(
    api: Handler,
) -> None:
    app_statuses: Counter[int] = Counter()
    accepted: set[str] = set()

    @settings(FUZZ, max_examples=MUTATIONS)
    @given(raw=mutated_bodies(), content_type=CONTENT_TYPES)
    def refused_or_accepted(raw: bytes, content_type: str) -> None:
        headers = [("Content-Type", content_type)] if content_type else []
        event = wire_event(
            "POST", "/simulations", headers + list(sign(WEBHOOK_SECRET, raw).items()), raw
        )
        status, headers_out, body = answer(api(event, LambdaContext()))
        app_statuses[status] += 1
        assert status in {202, 400, 409, 413, 415, 422}, (status, body)
        assert headers_out["Content-Type"] == "application/json"
        if status == 202:
            accepted.add(body["run_id"])
        else:
            assert set(body) <= {"message", "errors", "correlation_id"}, body
            assert body["message"] and all(e["path"] is not None for e in body["errors"])

    refused_or_accepted()

    print(f"\nmutated bodies: {sum(app_statuses.values())} requests, {dict(app_statuses)}")
    listed = {r["run_id"] for r in all_pages(api)}
    assert accepted <= listed
    for run_id in accepted:
        status, _, run = answer(api(api_event("GET", f"/simulations/{run_id}"), LambdaContext()))
        assert status == 200 and run["run_id"] == run_id
