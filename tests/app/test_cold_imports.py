"""What a cold start imports: only what the first invocation needs (issue 7's cold-start item).

Each check imports handler modules in a fresh interpreter, as Lambda does, with tracing on as
in Lambda, and looks at `sys.modules`: no boto3 or httpx before the first invocation builds its
clients, no provider client or adapter, no X-Ray patch of a library we do not use. Figures of
how long imports take are `agentsim_local.bench_handlers`' business, never a test's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from support.template_env import every_function_environment
from support.template_tables import REPO_ROOT

WORKFLOW = ("trigger", "register", "start", "poll", "finish", "fail", "time_out")
PROBE = """
import importlib.util, json, sys
for name in {handlers!r}:
    sys.path.insert(0, {functions!r} + f"/{{name}}")
    spec = importlib.util.spec_from_file_location(
        f"cold_{{name}}", {functions!r} + f"/{{name}}/app.py"
    )
    module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
loaded = sorted(sys.modules)
{after}
print(json.dumps({{"import": loaded, "after": sorted(sys.modules)}}))
"""
TRACE_CLIENTS = "from agentsim import observability; observability.trace_clients()"
HANDLES = {
    "agentsim.providers.omnidimension.handles",
    "agentsim.providers.bluejay.handles",
    "agentsim.providers.synthflow.handles",
}
NEVER_AT_IMPORT = (
    "boto3",
    "httpx",
    "aws_lambda_powertools.utilities.idempotency",
    "aws_lambda_powertools.utilities.parameters",
    "aws_lambda_powertools.event_handler.openapi.models",
)


def probe(handlers: tuple[str, ...], after: str = "") -> dict[str, set[str]]:
    env = {
        **os.environ,
        **every_function_environment(),
        "LAMBDA_TASK_ROOT": "/var/task",  # Powertools: in Lambda, tracing on
        "AWS_LAMBDA_FUNCTION_NAME": "cold-import-probe",
        "AWS_REGION": "us-east-1",
        "POWERTOOLS_SERVICE_NAME": "agentsim",
    }
    env.pop("POWERTOOLS_TRACE_DISABLED", None)
    code = PROBE.format(handlers=handlers, functions=str(REPO_ROOT / "functions"), after=after)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    return {key: set(names) for key, names in found.items()}


def provider_modules(loaded: set[str]) -> set[str]:
    return {
        name
        for name in loaded
        if name.startswith(("agentsim.providers.omnidimension.", "agentsim.providers.bluejay."))
        or name.startswith("agentsim.providers.synthflow.")
    }


def xray_patches(loaded: set[str]) -> set[str]:
    """The libraries the X-Ray SDK patched (its `aws_xray_sdk.ext.<library>.patch` modules)."""
    return {
        name.split(".")[2]
        for name in loaded
        if name.startswith("aws_xray_sdk.ext.") and name.endswith(".patch")
    }


def test_workflow_handlers_import_no_client_library_and_of_providers_only_their_handles() -> None:
    found = probe(WORKFLOW, after=TRACE_CLIENTS)
    loaded = found["import"]

    assert not {m for m in loaded if m.split(".")[0] in {"boto3", "httpx"}}
    assert not [m for m in loaded if m.startswith(NEVER_AT_IMPORT)]
    # a run record holds the providers' handles: nothing else of a provider before it is called
    assert provider_modules(loaded) == HANDLES
    assert xray_patches(loaded) == set()
    # the first invocation's build patches the two libraries that reach the network, only
    assert xray_patches(found["after"]) == {"botocore", "httpx"}


def test_the_api_imports_request_models_but_no_provider_client_or_adapter() -> None:
    loaded = probe(("api",))["import"]

    assert not {m for m in loaded if m.split(".")[0] in {"boto3", "httpx"}}
    assert not [m for m in loaded if m.startswith(NEVER_AT_IMPORT)]
    assert {
        "agentsim.providers.omnidimension.requests",
        "agentsim.providers.bluejay.requests",
        "agentsim.providers.synthflow.requests",
    } <= provider_modules(loaded)
    assert not {m for m in provider_modules(loaded) if m.endswith((".adapter", ".client"))}
    assert xray_patches(loaded) == set()
