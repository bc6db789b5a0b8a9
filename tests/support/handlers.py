"""Load handlers from `functions/<name>/app.py` as Lambda does, and build their events.

Each `load_handler` call imports the module afresh under a unique name: a cold start, so
module-level state (cached clients, Powertools resolver) never leaks between tests. API events
are API Gateway REST proxy events, signed with the test secret unless told otherwise.
"""

from __future__ import annotations

import base64
import importlib.util
import itertools
import json
import logging
import sys
import uuid
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from support.aws_fixtures import WEBHOOK_SECRET
from support.template_tables import REPO_ROOT

from agentsim.runs.signing import sign

FUNCTIONS = REPO_ROOT / "functions"
EVENTS = REPO_ROOT / "events"
_loaded = itertools.count()


def load_handler(name: str) -> ModuleType:
    """`functions/<name>/app.py` imported afresh, its directory first on `sys.path` (Lambda's
    /var/task) for the modules beside it, which hold no state of their own."""
    directory = FUNCTIONS / name
    if str(directory) not in sys.path:
        sys.path.insert(0, str(directory))
    module_name = f"agentsim_test_fn_{name}_{next(_loaded)}"
    spec = importlib.util.spec_from_file_location(module_name, directory / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def sample_event(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return event


@dataclass
class LambdaContext:
    function_name: str = "test-function"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:test-function"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    log_group_name: str = "/aws/lambda/test-function"
    log_stream_name: str = "test"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def api_event(
    method: str,
    path: str,
    *,
    body: Any = None,
    headers: dict[str, str] | None = None,
    query: dict[str, list[str]] | None = None,
    path_parameters: dict[str, str] | None = None,
    resource: str | None = None,
    signed: bool = True,
    secret: str = WEBHOOK_SECRET,
    timestamp: int | None = None,
) -> dict[str, Any]:
    """A REST API proxy event for the stage `v1`; the body JSON-encoded unless already text."""
    text = None if body is None else body if isinstance(body, str) else json.dumps(body)
    sent = {"Content-Type": "application/json", **(headers or {})}
    if signed:
        sent.update(sign(secret, (text or "").encode(), timestamp=timestamp))
    query = query or {}
    return {
        "resource": resource or path,
        "path": path,
        "httpMethod": method,
        "headers": sent,
        "multiValueHeaders": {k: [v] for k, v in sent.items()},
        "queryStringParameters": {k: v[-1] for k, v in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": path_parameters,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource or path,
            "httpMethod": method,
            "path": f"/v1{path}",
            "stage": "v1",
            "requestId": str(uuid.uuid4()),
            "accountId": "123456789012",
            "apiId": "abcdef1234",
            "identity": {"sourceIp": "127.0.0.1"},
        },
        "body": text,
        "isBase64Encoded": False,
    }


TEXT_TYPES = ("text/", "application/json", "application/xml", "application/x-www-form-urlencoded")
"""Content types API Gateway passes as text (when UTF-8); other bodies arrive base64-encoded."""


def wire_event(
    method: str, raw_path: str, headers: list[tuple[str, str]], body: bytes
) -> dict[str, Any]:
    """The proxy event API Gateway sends for a request as it came off the wire: headers and
    query parameters may repeat, the path may carry a query string, the body is any bytes."""
    split = urlsplit(raw_path)
    multi_headers: dict[str, list[str]] = {}
    for name, value in headers:
        multi_headers.setdefault(name, []).append(value)
    multi_query = parse_qs(split.query, keep_blank_values=True)
    types = [v[-1] for k, v in multi_headers.items() if k.lower() == "content-type"]
    content_type = types[-1] if types else ""
    try:
        text: str | None = body.decode() if body else None
    except UnicodeDecodeError:
        text = None
    as_text = text is not None and (not content_type or content_type.startswith(TEXT_TYPES))
    event = api_event(method, split.path or "/", signed=False, resource="/{proxy+}")
    return {
        **event,
        "headers": {k: v[-1] for k, v in multi_headers.items()} or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": {k: v[-1] for k, v in multi_query.items()} or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": {"proxy": (split.path or "/").lstrip("/")},
        "body": (text if as_text else base64.b64encode(body).decode()) if body else None,
        "isBase64Encoded": bool(body) and not as_text,
    }


def answer(response: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
    """(status, headers, parsed JSON body) of a proxy response."""
    body = response.get("body")
    headers = {k: v for k, v in (response.get("headers") or {}).items()}
    for key, values in (response.get("multiValueHeaders") or {}).items():
        headers.setdefault(key, values[-1])
    return response["statusCode"], headers, json.loads(body) if body else None


def resign(
    event: dict[str, Any], *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
) -> dict[str, Any]:
    """`event` with fresh signature headers for its body (the samples carry placeholders)."""
    headers = {k: v for k, v in event["headers"].items() if not k.lower().startswith("x-agentsim-")}
    headers.update(sign(secret, (event.get("body") or "").encode(), timestamp=timestamp))
    return {
        **event,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
    }


def with_body(event: dict[str, Any], body: Any) -> dict[str, Any]:
    """A copy of a sample API event carrying `body` (re-signed)."""
    return resign({**event, "body": body if isinstance(body, str) else json.dumps(body)})


def emitted_metrics(stdout: str) -> list[dict[str, Any]]:
    """The EMF documents (Powertools Metrics) printed on stdout, as dicts."""
    documents = []
    for line in stdout.splitlines():
        if line.startswith("{") and '"_aws"' in line:
            documents.append(json.loads(line))
    return documents


def metric_total(stdout: str, name: str, **dimensions: str) -> float:
    total = 0.0
    for document in emitted_metrics(stdout):
        if name in document and all(document.get(k) == v for k, v in dimensions.items()):
            values = document[name]
            total += sum(values) if isinstance(values, list) else float(values)
    return total


def logged_line(record: logging.LogRecord) -> dict[str, Any]:
    """`record` as the function's logger writes it (Powertools' JSON formatter), parsed."""
    handler = next(h for h in logging.getLogger(record.name).handlers if h.formatter)
    assert handler.formatter is not None
    line: dict[str, Any] = json.loads(handler.formatter.format(record))
    return line
