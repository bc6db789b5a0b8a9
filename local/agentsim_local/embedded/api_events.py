"""API Gateway REST (v1) proxy events for the routes the SAM template declares.

moto cannot serve the REST API, so the embedded run builds the event API Gateway would send
the API function (`aws_proxy` integration) and invokes the function through Lambda. Routes come
from the template's `Api` events, so `resource` and `pathParameters` are what API Gateway would
fill in, and an undeclared route answers 403 "Missing Authentication Token" as API Gateway does.
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any


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
    resource = sam.get("Resources", {}).get(function_logical_id, {})
    routes = []
    for event in resource.get("Properties", {}).get("Events", {}).values():
        if event.get("Type") == "Api":
            props = event.get("Properties", {})
            method = str(props.get("Method", "ANY")).upper()
            routes.append(Route("ANY" if method == "ANY" else method, str(props["Path"])))
    return routes


def proxy_event(
    method: str,
    path: str,
    *,
    route: Route,
    path_parameters: dict[str, str],
    body: str | None,
    headers: dict[str, str],
    query: dict[str, str] | None,
    stage: str = "Prod",
    account_id: str = "123456789012",
) -> dict[str, Any]:
    """The event API Gateway sends a Lambda proxy integration for this request."""
    now = time.time()
    request_id = str(uuid.uuid4())
    return {
        "resource": route.path,
        "path": path,
        "httpMethod": method.upper(),
        "headers": headers or None,
        "multiValueHeaders": {k: [v] for k, v in headers.items()} or None,
        "queryStringParameters": query or None,
        "multiValueQueryStringParameters": {k: [v] for k, v in (query or {}).items()} or None,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "requestContext": {
            "resourceId": "embedded",
            "resourcePath": route.path,
            "httpMethod": method.upper(),
            "extendedRequestId": request_id,
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "path": f"/{stage}{path}",
            "accountId": account_id,
            "protocol": "HTTP/1.1",
            "stage": stage,
            "domainPrefix": "embedded",
            "requestTimeEpoch": int(now * 1000),
            "requestId": request_id,
            "identity": {"sourceIp": "127.0.0.1", "userAgent": headers.get("User-Agent")},
            "domainName": "embedded.execute-api.local",
            "apiId": "embedded",
        },
        "body": body,
        "isBase64Encoded": False,
    }


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
