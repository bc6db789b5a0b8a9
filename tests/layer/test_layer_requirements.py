"""`layers/agentsim/requirements.txt` is exactly what `uv.lock` pins, so `sam build` ships the
versions the tests ran. Regenerate it with `make layer-requirements` when this fails."""

from __future__ import annotations

import subprocess
from pathlib import Path

from support.template_tables import REPO_ROOT

REQUIREMENTS = REPO_ROOT / "layers" / "agentsim" / "requirements.txt"
RUNTIME_DISTRIBUTIONS = ("boto3", "botocore", "s3transfer", "urllib3", "jmespath", "six")


def pins(text: str) -> list[str]:
    """The requirement lines (pins and hashes), without the comments naming the output file."""
    return [line for line in text.splitlines() if not line.lstrip().startswith("#")]


def test_the_layer_requirements_are_the_ones_exported_from_the_lock(tmp_path: Path) -> None:
    fresh = tmp_path / "requirements.txt"

    subprocess.run(
        ["make", "--silent", "layer-requirements", f"LAYER_REQUIREMENTS={fresh}"],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )

    assert pins(REQUIREMENTS.read_text()) == pins(fresh.read_text())


def test_every_layer_requirement_is_pinned_exactly_with_hashes() -> None:
    names = [line.split("==")[0] for line in pins(REQUIREMENTS.read_text()) if "==" in line]

    assert names, "no pins found"
    assert all(
        "--hash=sha256:" in REQUIREMENTS.read_text().split(f"{n}==", 1)[1][:200] for n in names
    )


def test_the_layer_requirements_leave_out_what_the_lambda_runtime_has() -> None:
    names = {line.split("==")[0] for line in pins(REQUIREMENTS.read_text()) if "==" in line}

    assert names.isdisjoint(RUNTIME_DISTRIBUTIONS)
    assert {"aws-lambda-powertools", "httpx", "pydantic", "pydantic-core"} <= names
