"""The `/_emulator` control plane: health, reset, faults, the call log, settings and media."""

from __future__ import annotations

import io
import wave
from typing import Annotated, Any

from fastapi import APIRouter, Body
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.responses import Response

from agentsim_local.emulator.calls import CallLog
from agentsim_local.emulator.faults import FaultRegistry, FaultSpec
from agentsim_local.emulator.settings import EmulatorSettings, Provider
from agentsim_local.emulator.state import Store


class FailingCases(BaseModel):
    """`PUT /_emulator/failing-cases`: case names (scenario, digital human or case) that fail
    from now on; an empty list lets them pass again. `attempts`: only these attempts of a case
    in one run fail (1 = its first call; a repeated case passes the others)."""

    model_config = ConfigDict(extra="forbid")

    names: list[str] = Field(max_length=100)
    attempts: list[Annotated[int, Field(ge=1)]] = Field(default_factory=list, max_length=100)


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

    @api.put("/failing-cases")
    def put_failing_cases(body: FailingCases) -> dict[str, Any]:
        store.failing = frozenset(name.strip().lower() for name in body.names)
        store.failing_attempts = frozenset(body.attempts)
        return get_failing_cases()

    @api.get("/failing-cases")
    def get_failing_cases() -> dict[str, Any]:
        return {"names": sorted(store.failing), "attempts": sorted(store.failing_attempts)}

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
    def put_settings(patch: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
        """Only the fields given change; the result is validated whole, as `EmulatorSettings`
        (so every setting can be patched, and a bad or unknown one is a 422 naming it)."""
        try:
            store.settings = EmulatorSettings.model_validate(
                {**store.settings.model_dump(), **patch}
            )
        except ValidationError as exc:
            errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
            raise RequestValidationError(errors, body=patch) from None
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
