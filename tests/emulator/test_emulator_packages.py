"""The emulator's shape: one package per provider, the same modules in each, and backends that
know nothing of HTTP (moto's split of models and responses)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import agentsim_local.emulator

EMULATOR = Path(agentsim_local.emulator.__file__).parent
PROVIDERS = ("omnidimension", "bluejay", "synthflow")
MODULES = {"__init__.py", "schemas.py", "records.py", "backend.py", "views.py", "routes.py"}
HTTP = {"fastapi", "starlette", "uvicorn", "httpx"}
OWN = {"bluejay": {"webhooks.py"}}
"""What only one provider does has a module of its own: Bluejay alone calls back (webhooks)."""


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_provider_package_has_the_same_modules(provider: str) -> None:
    assert {p.name for p in (EMULATOR / provider).glob("*.py")} == MODULES | OWN.get(
        provider, set()
    )


@pytest.mark.parametrize("module", ["schemas.py", "records.py", "backend.py"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_what_lies_under_the_routes_imports_no_http_library(provider: str, module: str) -> None:
    assert not _imported(EMULATOR / provider / module) & HTTP
