"""The FastAPI app: provider routers and GitHub's, per-API auth, faults, call log, control plane.

Each call under a provider prefix goes: fault check (a fault answers before anything else, so
it changes no state; `slow` instead delays the real answer) -> auth (401 in the provider's
shape) -> the provider's handler (an `EmulatorError` it raises answered by `errors.install`'s
handler) -> recorded in the call log.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from starlette.responses import Response

from agentsim_local.emulator import bluejay, errors, github, omnidimension, slack, synthflow
from agentsim_local.emulator.calls import CallLog
from agentsim_local.emulator.control import control_plane
from agentsim_local.emulator.errors import Unauthorized, error_response
from agentsim_local.emulator.faults import FaultRegistry, fault_response
from agentsim_local.emulator.settings import EmulatorSettings, Provider, provider_of
from agentsim_local.emulator.state import Store


def presented_key(provider: Provider, request: Request) -> str:
    """The API key the caller presented, in the provider's own header."""
    if provider == "bluejay":
        return request.headers.get("x-api-key", "").strip()
    if provider == "slack":  # an incoming webhook's token is the last part of its path
        return request.url.path.rstrip("/").rsplit("/", 1)[-1]
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    schemes = ("bearer", "token") if provider == "github" else ("bearer",)
    return token.strip() if scheme.lower() in schemes else ""


def unauthorized(
    provider: Provider, request: Request, settings: EmulatorSettings
) -> Response | None:
    key = presented_key(provider, request)
    expected = (settings.api_keys or {}).get(provider)
    if key and (expected is None or key == expected):
        return None
    if provider == "slack":
        return error_response(provider, Unauthorized("invalid_token", slug="invalid_token"))
    if provider == "github":  # GitHub's two words for it
        message = "Bad credentials" if key else "Requires authentication"
        return error_response(provider, Unauthorized(message))
    return error_response(provider, Unauthorized("Invalid or missing API key"))


def create_app(store: Store, faults: FaultRegistry, calls: CallLog) -> FastAPI:
    app = FastAPI(
        title="agentsim provider emulator",
        docs_url="/_emulator/docs",
        redoc_url=None,
        openapi_url="/_emulator/openapi.json",
    )
    app.include_router(omnidimension.router(store))
    app.include_router(bluejay.router(store))
    app.include_router(synthflow.router(store))
    app.include_router(github.router(store))
    app.include_router(slack.router(store))
    app.include_router(control_plane(store, faults, calls))
    errors.install(app)

    @app.middleware("http")
    async def gate(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        path = request.url.path
        provider = provider_of(path)
        if provider is None:
            return await call_next(request)
        fault = faults.match(provider, request.method, path)
        canned = fault_response(fault, provider) if fault is not None else None
        if canned is not None:
            response = canned
        else:
            response = unauthorized(provider, request, store.settings) or await call_next(request)
        calls.record(
            provider,
            request.method,
            path,
            response.status_code,
            query=request.url.query,
            fault=fault.kind if fault is not None else None,
        )
        if fault is not None and fault.kind == "slow":
            await asyncio.sleep(fault.delay)
        return response

    return app
