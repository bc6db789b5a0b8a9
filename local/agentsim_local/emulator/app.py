"""The FastAPI app: the three provider routers, per-provider auth, faults, call log, control plane.

Each call under a provider prefix goes: fault check (a fault answers before anything else, so
it changes no state; `slow` instead delays the real answer) -> auth (401 in the provider's
shape) -> the provider's handler -> recorded in the call log.
"""

from __future__ import annotations

import asyncio
import io
import wave
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from agentsim_local.emulator import bluejay, omnidimension, synthflow
from agentsim_local.emulator.calls import CallLog
from agentsim_local.emulator.errors import ProviderHTTPError, error_body
from agentsim_local.emulator.faults import FaultRegistry, FaultSpec, fault_response
from agentsim_local.emulator.settings import EmulatorSettings, Provider
from agentsim_local.emulator.state import Store

PREFIXES: tuple[tuple[str, Provider], ...] = (
    ("/api/v1/", "omnidimension"),
    ("/v1/", "bluejay"),
    ("/v2/", "synthflow"),
)


def provider_of(path: str) -> Provider | None:
    for prefix, provider in PREFIXES:
        if path.startswith(prefix):
            return provider
    return None


def presented_key(provider: Provider, request: Request) -> str:
    """The API key the caller presented, in the provider's own header."""
    if provider == "bluejay":
        return request.headers.get("x-api-key", "").strip()
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def unauthorized(
    provider: Provider, request: Request, settings: EmulatorSettings
) -> Response | None:
    key = presented_key(provider, request)
    expected = (settings.api_keys or {}).get(provider)
    if key and (expected is None or key == expected):
        return None
    return JSONResponse(error_body(provider, "unauthorized", "Invalid or missing API key"), 401)


class SettingsPatch(BaseModel):
    """`PUT /_emulator/settings`: only the fields given change."""

    model_config = ConfigDict(extra="forbid")

    queue_seconds: float | None = Field(default=None, ge=0)
    call_seconds: float | None = Field(default=None, ge=0)
    summary_seconds: float | None = Field(default=None, ge=0)
    api_keys: dict[Provider, str] | None = None
    seed: int | None = None


def reset_all(store: Store, faults: FaultRegistry, calls: CallLog) -> None:
    store.reset()
    faults.clear(seed=store.settings.seed)
    calls.clear()


def silent_wav(seconds: float = 0.5) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * int(8000 * seconds))
    return buffer.getvalue()


def control_plane(store: Store, faults: FaultRegistry, calls: CallLog) -> APIRouter:
    api = APIRouter(prefix="/_emulator", tags=["control"])

    @api.get("/health")
    def health() -> dict[str, Any]:
        return {"ok": True}

    @api.post("/reset")
    def reset() -> dict[str, Any]:
        reset_all(store, faults, calls)
        return {"ok": True}

    @api.post("/faults")
    def add_fault(spec: FaultSpec) -> dict[str, Any]:
        return {"id": faults.add(spec), "fault": spec.model_dump()}

    @api.get("/faults")
    def list_faults() -> dict[str, Any]:
        return {"faults": faults.list()}

    @api.delete("/faults")
    def clear_faults() -> dict[str, Any]:
        faults.clear()
        return {"ok": True}

    @api.get("/calls")
    def list_calls(provider: Provider | None = None) -> dict[str, Any]:
        return {"calls": calls.list(provider)}

    @api.delete("/calls")
    def clear_calls() -> dict[str, Any]:
        calls.clear()
        return {"ok": True}

    @api.get("/settings")
    def get_settings() -> dict[str, Any]:
        return store.settings.model_dump()

    @api.put("/settings")
    def put_settings(patch: SettingsPatch) -> dict[str, Any]:
        merged = {**store.settings.model_dump(), **patch.model_dump(exclude_unset=True)}
        store.settings = EmulatorSettings.model_validate(merged)
        return store.settings.model_dump()

    @api.get("/media/{path:path}")
    def media(path: str) -> Response:
        """Stand-in recordings and transcripts behind the URLs the providers hand out."""
        if path.endswith(".wav"):
            return Response(silent_wav(), media_type="audio/wav")
        return JSONResponse(
            {"path": path, "transcript": [{"role": "agent", "content": "Hello (emulated)."}]}
        )

    return api


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
    app.include_router(control_plane(store, faults, calls))

    @app.exception_handler(ProviderHTTPError)
    async def provider_error(_: Request, exc: ProviderHTTPError) -> Response:
        return JSONResponse(exc.body, exc.status)

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
