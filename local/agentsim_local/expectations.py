"""How a demo run must end, stored next to its request (`bluejay.json` -> `bluejay.expect.json`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from agentsim_local.run_view import RunView


class Expectation(BaseModel):
    """Fields left out are not checked."""

    model_config = ConfigDict(extra="forbid")

    status: str
    verdict: str | None = None
    passed: int | None = Field(default=None, ge=0)
    failed: int | None = Field(default=None, ge=0)
    why: str | None = Field(default=None, description="What the run shows; for readers.")

    @classmethod
    def load(cls, path: Path) -> Expectation:
        return cls.model_validate_json(path.read_bytes())

    def mismatches(self, view: RunView) -> list[str]:
        """One line per field the run got wrong; empty when it ended as expected."""
        wrong = []
        for name in ("status", "verdict", "passed", "failed"):
            wanted = getattr(self, name)
            got = getattr(view, name)
            if wanted is not None and wanted != got:
                wrong.append(f"{name} {got} (expected {wanted})")
        return wrong


def expectation_path(request: Path) -> Path:
    return request.with_name(request.name.removesuffix(".json") + ".expect.json")
