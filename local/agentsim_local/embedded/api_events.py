"""API Gateway REST (v1) proxy events for the routes the SAM template declares.

moto cannot serve the REST API, so the embedded stack (`EmbeddedStack.invoke_api`) and the
HTTP API on localhost (`agentsim_local.local_api`) both build here the event API Gateway would
send the API function (`aws_proxy` integration). Routes and the stage come from the template
(`routes_of`, `stage_of`), so `resource`, `pathParameters` and `requestContext.path` are what
API Gateway would fill in, and an undeclared route answers 403 "Missing Authentication Token"
as API Gateway does.
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

IMPLICIT_STAGE = "Prod"
"""The stage of the API SAM creates for `Api` events without a `RestApiId`."""

DEFAULT_ACCOUNT_ID = "123456789012"
"""moto's default account (`moto.core.DEFAULT_ACCOUNT_ID`); this module does not load moto."""

TEXT_TYPES = ("text/", "application/json", "application/xml", "application/x-www-form-urlencoded")
"""Content types whose bodies the event carries as text; others are base64-encoded."""


@dataclass(frozen=True)
class Route:
    method: str
    """Upper-case HTTP method, or ANY."""
    path: str
    """Resource path template, e.g. /simulations/{id} or /{proxy+}."""

    def match(self, method: str, path: str) -> dict[str, str] | None:
        """Path parameters when this route serves (method, path), else None."""
        if self.method not in {"ANY", method.upper()}:
            return None
        pattern = ""
        for part in re.split(r"(\{[^}]+\})", self.path):
            if part.startswith("{") and part.endswith("+}"):
                pattern += f"(?P<{_group(part[1:-2])}>.+)"
            elif part.startswith("{"):
                pattern += f"(?P<{_group(part[1:-1])}>[^/]+)"
            else:
                pattern += re.escape(part)
        found = re.fullmatch(pattern, path.rstrip("/") or "/")
        if found is None:
            return None
        names = re.findall(r"\{([^}+]+)\+?\}", self.path)
        return {name: found.group(_group(name)) for name in names}


GREEDY = Route("ANY", "/{proxy+}")
"""The resource serving every request when no routes are declared."""


def _group(name: str) -> str:
    return re.sub(r"\W", "_", name)


@dataclass(frozen=True)
class ApiResponse:
    """The API function's proxy answer, decoded."""

    status: int
    headers: dict[str, str]
    json: Any
    text: str


def routes_of(sam: dict[str, Any], function_logical_id: str) -> list[Route]:
    """The `Api` event routes of one AWS::Serverless::Function in the SAM template."""
    return [
        Route(str(props.get("Method", "ANY")).upper(), str(props["Path"]))
        for props in _api_events(sam, function_logical_id)
    ]


def stage_of(
    sam: dict[str, Any], function_logical_id: str, parameters: Mapping[str, str] | None = None
) -> str:
    """The stage of the API serving the function's `Api` events, as in its request paths.

    The `StageName` of the AWS::Serverless::Api the events name in `RestApiId`, or SAM's
    implicit API's "Prod" when they name none. `StageName: !Ref Param` takes `parameters` or
    the parameter's default.
    """
    resources = sam.get("Resources", {})
    stages = set()
    for props in _api_events(sam, function_logical_id):
        api_id = props.get("RestApiId")
        if api_id is None:
            stages.add(IMPLICIT_STAGE)
            continue
        logical_id = api_id.get("Ref") if isinstance(api_id, dict) else api_id
        api = resources.get(logical_id, {})
        if api.get("Type") != "AWS::Serverless::Api":
            raise ValueError(f"{function_logical_id}: RestApiId {api_id} is not a Serverless::Api")
        stages.add(_value(sam, api.get("Properties", {}).get("StageName"), parameters))
    if len(stages) > 1:
        raise ValueError(f"{function_logical_id}: Api events on several stages {sorted(stages)}")
    return stages.pop() if stages else IMPLICIT_STAGE


def _api_events(sam: dict[str, Any], function_logical_id: str) -> list[dict[str, Any]]:
    resource = sam.get("Resources", {}).get(function_logical_id, {})
    events = resource.get("Properties", {}).get("Events", {}).values()
    return [e.get("Properties", {}) for e in events if e.get("Type") == "Api"]


def _value(sam: dict[str, Any], value: Any, parameters: Mapping[str, str] | None) -> str:
    """A template string, or a `Ref` to a parameter resolved to its value."""
    if isinstance(value, str):
        return value
    name = str(value.get("Ref")) if isinstance(value, dict) and "Ref" in value else ""
    if name in (parameters or {}):
        return str((parameters or {})[name])
    default = sam.get("Parameters", {}).get(name, {}).get("Default")
    if default is None:
        raise ValueError(f"cannot resolve the API stage name {value!r}")
    return str(default)


def resolve(
    method: str, path: str, routes: Sequence[Route] | None
) -> tuple[Route, dict[str, str]] | None:
    """The route serving (method, path) and its path parameters; None when none does.

    No routes (None) means every request goes to one greedy `ANY /{proxy+}` resource. Literal
    resources win over templated ones, and a method over ANY, as in API Gateway.
    """
    if routes is None:
        return GREEDY, {"proxy": path.lstrip("/")}
    for route in sorted(routes, key=lambda r: (r.path.count("{"), r.method == "ANY")):
        params = route.match(method, path)
        if params is not None:
            return route, params
    return None


def missing_route() -> dict[str, Any]:
    """What API Gateway answers for a route the API does not declare."""
    return {
        "statusCode": 403,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"message": "Missing Authentication Token"}),
    }


def proxy_event(
    method: str,
    raw_path: str,
    headers: Iterable[tuple[str, str]] | Mapping[str, str] = (),
    body: bytes | str | None = None,
    *,
    route: Route = GREEDY,
    path_parameters: Mapping[str, str] | None = None,
    stage: str = IMPLICIT_STAGE,
    source_ip: str = "127.0.0.1",
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> dict[str, Any]:
    """The event API Gateway sends a Lambda proxy integration for this request to `route`.

    `raw_path` may carry a query string. Headers and query parameters may repeat; a body is
    text unless its Content-Type is not a text type, then base64 (`isBase64Encoded`).
    """
    split = urlsplit(raw_path)
    path = split.path or "/"
    if path_parameters is None and route is GREEDY:
        path_parameters = {"proxy": path.lstrip("/")}
    multi_headers: dict[str, list[str]] = {}
    for name, value in headers.items() if isinstance(headers, Mapping) else headers:
        multi_headers.setdefault(name, []).append(value)
    multi_query = parse_qs(split.query, keep_blank_values=True)
    data = body.encode() if isinstance(body, str) else body or b""
    content_type = _last(multi_headers, "content-type") or ""
    # Bytes that are not UTF-8 travel base64-encoded whatever their type, so the function gets
    # exactly what was sent (and judges it) rather than this translation failing.
    is_text = (not content_type or content_type.startswith(TEXT_TYPES)) and _is_utf8(data)
    now = time.time()
    return {
        "resource": route.path,
        "path": path,
        "httpMethod": method.upper(),
        "headers": {k: v[-1] for k, v in multi_headers.items()} or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": {k: v[-1] for k, v in multi_query.items()} or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": dict(path_parameters) if path_parameters else None,
        "stageVariables": None,
        "requestContext": {
            "resourceId": "local",
            "resourcePath": route.path,
            "httpMethod": method.upper(),
            "path": f"/{stage}{path}",
            "stage": stage,
            "protocol": "HTTP/1.1",
            "accountId": account_id,
            "apiId": "local",
            "requestId": str(uuid.uuid4()),
            "extendedRequestId": str(uuid.uuid4()),
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "requestTimeEpoch": int(now * 1000),
            "identity": {"sourceIp": source_ip, "userAgent": _last(multi_headers, "user-agent")},
        },
        "body": (data.decode() if is_text else base64.b64encode(data).decode()) if data else None,
        "isBase64Encoded": bool(data) and not is_text,
    }


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _last(headers: Mapping[str, list[str]], name: str) -> str | None:
    """The last value of a header, its name in any case."""
    return next((v[-1] for k, v in headers.items() if k.lower() == name), None)


def decode_response(payload: Any) -> ApiResponse:
    """An `aws_proxy` integration answer (statusCode/headers/body) as an ApiResponse."""
    if not isinstance(payload, dict) or "statusCode" not in payload:
        # API Gateway answers 502 when the function's answer is not a proxy response.
        return ApiResponse(502, {}, {"message": "Internal server error"}, json.dumps(payload))
    headers = {str(k): str(v) for k, v in (payload.get("headers") or {}).items()}
    for key, values in (payload.get("multiValueHeaders") or {}).items():
        headers.setdefault(str(key), ",".join(str(v) for v in values))
    text = payload.get("body") or ""
    if payload.get("isBase64Encoded"):
        text = base64.b64decode(text).decode("utf-8", errors="replace")
    try:
        decoded = json.loads(text) if text else None
    except ValueError:
        decoded = None
    return ApiResponse(int(payload["statusCode"]), headers, decoded, text)
