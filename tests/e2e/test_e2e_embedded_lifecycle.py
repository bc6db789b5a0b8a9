"""Starting and stopping embedded AWS leaves the process as it found it."""

from __future__ import annotations

import os

import pytest
from moto.awslambda.models import LambdaFunction

from agentsim_local.embedded.aws import EmbeddedAws


def test_stopping_restores_the_environment_and_moto() -> None:
    before = os.environ.get("AWS_ENDPOINT_URL")
    original = LambdaFunction._invoke_lambda

    with EmbeddedAws() as aws:
        assert os.environ["AWS_ENDPOINT_URL"] == aws.endpoint_url
        assert LambdaFunction._invoke_lambda is not original

    assert os.environ.get("AWS_ENDPOINT_URL") == before
    assert LambdaFunction._invoke_lambda is original


def test_only_one_embedded_aws_runs_at_a_time() -> None:
    with EmbeddedAws() as first:
        second = EmbeddedAws()

        with pytest.raises(RuntimeError, match="another embedded AWS"):
            second.start()
        second.stop()  # stopping the one that never started leaves the running one alone

        assert os.environ["AWS_ENDPOINT_URL"] == first.endpoint_url
