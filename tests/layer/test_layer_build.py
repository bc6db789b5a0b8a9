"""The layer `sam build` makes (layers/agentsim/Makefile): the locked pins only, compiled, nothing
the Lambda runtime already has, and complete enough for every handler to import from it alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support.template_env import function_environment
from support.template_tables import REPO_ROOT

from agentsim_local.bench_build import LayerSizes
from agentsim_local.bench_handlers import LambdaLayout
from agentsim_local.layer import ARM64, HOST, RUNTIME_PACKAGES, BuiltLayer, build_layer

FUNCTIONS = sorted(p.name for p in (REPO_ROOT / "functions").iterdir() if (p / "app.py").exists())


@pytest.fixture(scope="module")
def host_layer(tmp_path_factory: pytest.TempPathFactory) -> BuiltLayer:
    return build_layer(tmp_path_factory.mktemp("layer") / "AgentsimLayer", platform=HOST)


@pytest.fixture(scope="module")
def arm64_layer(tmp_path_factory: pytest.TempPathFactory) -> BuiltLayer:
    """The build `sam build` makes for the template's arm64 functions (built once: it is slow)."""
    return build_layer(tmp_path_factory.mktemp("arm64") / "AgentsimLayer", platform=ARM64)


@pytest.fixture(scope="module")
def layout(host_layer: BuiltLayer, tmp_path_factory: pytest.TempPathFactory) -> LambdaLayout:
    """Lambda's sys.path: the function's code, the layer, the runtime's packages (the benchmark's
    own layout, so the test and the cold-import figures import the same way)."""
    return LambdaLayout.prepare(tmp_path_factory.mktemp("lambda"), layer=(host_layer.site,))


def test_the_layer_holds_nothing_the_lambda_runtime_provides(host_layer: BuiltLayer) -> None:
    assert host_layer.top_level().isdisjoint(RUNTIME_PACKAGES)


def test_the_layer_holds_our_package_and_its_locked_dependencies(host_layer: BuiltLayer) -> None:
    assert {"agentsim", "aws_lambda_powertools", "httpx", "pydantic", "pydantic_core"} <= (
        host_layer.top_level()
    )


def test_the_layer_leaves_out_code_no_handler_imports(host_layer: BuiltLayer) -> None:
    # anyio serves only httpx's async transports; the parser's models are of AWS events we never
    # parse (every handler importing from the layer alone is checked below)
    parser = host_layer.site / "aws_lambda_powertools" / "utilities" / "parser"

    assert "anyio" not in host_layer.top_level()
    assert (parser / "parser.pyc").exists()
    assert not (parser / "models").exists()
    assert not (parser / "envelopes").exists()


def test_third_party_code_ships_as_bytecode_and_ours_with_its_sources(
    host_layer: BuiltLayer,
) -> None:
    site = host_layer.site

    assert (site / "httpx" / "__init__.pyc").exists()
    assert not list((site / "httpx").rglob("*.py"))
    assert (site / "agentsim" / "__init__.py").exists()
    assert list((site / "agentsim" / "__pycache__").glob("__init__.cpython-313.pyc"))


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_handler_imports_from_the_layer_and_the_runtime_alone(
    layout: LambdaLayout, function: str
) -> None:
    """As Lambda lays it out: the function's code, then /opt/python, then the runtime's packages
    (no site-packages of ours: `-S`)."""
    path = layout.sys_path(function)
    script = f"import sys; sys.path[:0] = {path!r}; import app; print(callable(app.lambda_handler))"

    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", script],
        capture_output=True,
        text=True,
        env={
            "AWS_DEFAULT_REGION": "us-east-1",
            "POWERTOOLS_SERVICE_NAME": "agentsim",
            **function_environment(function),
        },
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"  # the template's Handler, app.lambda_handler


def test_the_arm64_build_carries_an_arm64_pydantic_core(arm64_layer: BuiltLayer) -> None:
    (binary,) = (arm64_layer.site / "pydantic_core").glob("_pydantic_core.*.so")
    assert "aarch64" in binary.name
    assert binary.read_bytes()[18] == 0xB7  # ELF e_machine: EM_AARCH64


def test_the_benchmark_sizes_the_arm64_build_zipped_and_unzipped(
    arm64_layer: BuiltLayer, tmp_path: Path
) -> None:
    sizes = LayerSizes.of(arm64_layer, tmp_path)

    assert 0 < sizes.zipped < sizes.unzipped
    assert (tmp_path / "AgentsimLayer.zip").stat().st_size == sizes.zipped
