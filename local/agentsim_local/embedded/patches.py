"""The changes to moto an embedded run needs, applied for its lifetime and undone afterwards.

Each one works around something moto 5.2.5 cannot do in a Docker-less, in-process run:
- Lambda invocations run the repository's handler in this process (`lambda_runtime.py`) instead
  of a Docker container.
- Step Functions executes state machines (`execute_state_machine`), and the state machine that
  CloudFormation creates lands in the executing backend: moto's CloudFormation model writes to the
  plain `stepfunctions_backends`, which cannot execute, while the API reads the parser backend.
- CloudFormation creates `AWS::SecretsManager::Secret` and `AWS::Scheduler::Schedule(Group)`
  (`cfn_models.py`), and passes a function's `Layers`, `Architectures`, `TracingConfig` and `Tags`
  on (moto's function model drops them); `Ref` of a LayerVersion is its ARN and of an EventBus its
  name (moto returns the model object itself); a layer is named by its LayerName.
- EventBridge delivers to Lambda targets (moto raises NotImplementedError for them), on a thread,
  like EventBridge's asynchronous invoke, and skips DISABLED rules as EventBridge does.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any, Self, cast
from unittest import mock

import moto.cloudformation.parsing as cfn_parsing
import moto.stepfunctions.models as sfn_models
import moto.stepfunctions.responses  # noqa: F401 - bound to the real backends before any patch
from moto.awslambda.models import LambdaFunction, LayerVersion, lambda_backends
from moto.core.config import default_user_config
from moto.events.models import EventBus, Rule
from moto.events.utils import EventMessageType, EventTemplateParser
from moto.stepfunctions.parser.models import stepfunctions_parser_backends

from agentsim_local.embedded.cfn_models import extra_models
from agentsim_local.embedded.lambda_runtime import InProcessLambda


@dataclass
class Delivery:
    """One event handed to one Lambda target, with the function's answer."""

    event_id: str
    rule: str
    function_arn: str
    payload: Any
    errored: bool


@dataclass
class EventDeliveries:
    """EventBridge -> Lambda deliveries, asynchronous as on AWS but observable by event id."""

    deliveries: list[Delivery] = field(default_factory=list)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, rule: Any, target: dict[str, Any], event: dict[str, Any]) -> None:
        thread = threading.Thread(
            target=self._deliver,
            args=(rule, target, event),
            name=f"eventbridge-{rule.name}",
            daemon=True,
        )
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _deliver(self, rule: Any, target: dict[str, Any], event: dict[str, Any]) -> None:
        fn = lambda_backends[rule.account_id][rule.region_name].get_function(target["Arn"])
        response_headers: dict[str, str] = {}
        raw = fn.invoke(
            json.dumps(_target_input(target, event)),
            {"x-amz-invocation-type": "Event"},
            response_headers,
        )
        text = raw.decode() if isinstance(raw, bytes) else str(raw)
        delivery = Delivery(
            event_id=str(event.get("id")),
            rule=str(rule.name),
            function_arn=str(target["Arn"]),
            payload=json.loads(text) if text else None,
            errored="x-amz-function-error" in response_headers,
        )
        with self._lock:
            self.deliveries.append(delivery)

    def wait(self, event_id: str, timeout: float) -> list[Delivery]:
        """Deliveries of `event_id` once every delivery started so far has finished."""
        self.join(timeout)
        with self._lock:
            return [d for d in self.deliveries if d.event_id == event_id]

    def join(self, timeout: float) -> None:
        """Wait for every delivery started so far, `timeout` seconds at most in all."""
        deadline = time.monotonic() + timeout
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))


def _target_input(target: dict[str, Any], event: dict[str, Any]) -> Any:
    """What EventBridge passes a target: Input, InputPath, InputTransformer or the event."""
    if "Input" in target:
        return json.loads(target["Input"])
    if "InputPath" in target:
        value: Any = event
        for part in str(target["InputPath"]).removeprefix("$").split("."):
            if part:
                value = value.get(part) if isinstance(value, dict) else None
        return value
    if "InputTransformer" in target:
        transformer = target["InputTransformer"]
        return EventTemplateParser.parse(
            input_template=transformer.get("InputTemplate"),
            input_paths_map=transformer.get("InputPathsMap", {}),
            event=cast("EventMessageType", event),
        )
    return event


def _lambda_event(original_event: dict[str, Any]) -> dict[str, Any]:
    """moto's internal event message in the shape EventBridge delivers (ISO time)."""
    event = {k: v for k, v in copy.deepcopy(original_event).items() if k != "ingestion-time"}
    when = event.get("time")
    if isinstance(when, int | float):
        event["time"] = datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return event


class MotoPatches:
    """Context manager applying every patch above; leaving it restores moto as it was."""

    def __init__(self, runtime: InProcessLambda, deliveries: EventDeliveries) -> None:
        self.runtime = runtime
        self.deliveries = deliveries
        self._stack = ExitStack()

    def __enter__(self) -> Self:
        stack = self._stack
        runtime = self.runtime

        def invoke_lambda(fn: Any, event: Any = None) -> tuple[str, bool, str]:
            return runtime.invoke(fn, event)

        stack.enter_context(mock.patch.object(LambdaFunction, "_invoke_lambda", invoke_lambda))
        stack.enter_context(
            mock.patch.object(
                LambdaFunction,
                "create_from_cloudformation_json",
                classmethod(_function_from_cfn(LambdaFunction.create_from_cloudformation_json)),
            )
        )
        # moto says "LayerVersion", so a layer would not be named by its LayerName.
        stack.enter_context(
            mock.patch.object(
                LayerVersion, "cloudformation_name_type", staticmethod(lambda: "LayerName")
            )
        )
        for model, ref in ((LayerVersion, "arn"), (EventBus, "name")):
            stack.enter_context(
                mock.patch.object(
                    model, "physical_resource_id", property(attrgetter(ref)), create=True
                )
            )
        stack.enter_context(
            mock.patch.dict(default_user_config, {"stepfunctions": {"execute_state_machine": True}})
        )
        # Only the models module's name is swapped. `moto.stepfunctions.responses` imports the
        # name too; imported for the first time under this patch it would keep the parser
        # backends for the rest of the process (the import above prevents that), and plain
        # moto (execute_state_machine off) would then create executions that cannot be stopped.
        stack.enter_context(
            mock.patch.object(sfn_models, "stepfunctions_backends", stepfunctions_parser_backends)
        )
        original_map = cfn_parsing.get_model_map
        original_names = cfn_parsing.get_name_type_map
        shims = extra_models()
        stack.enter_context(
            mock.patch.object(cfn_parsing, "get_model_map", lambda: {**original_map(), **shims})
        )
        stack.enter_context(
            mock.patch.object(
                cfn_parsing,
                "get_name_type_map",
                lambda: {
                    **original_names(),
                    **{t: s.cloudformation_name_type() for t, s in shims.items()},
                },
            )
        )
        stack.enter_context(
            mock.patch.object(
                Rule, "send_to_targets", _send_to_targets(Rule.send_to_targets, self.deliveries)
            )
        )
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()


def _function_from_cfn(original: Callable[..., Any]) -> Callable[..., Any]:
    def create(
        cls: type,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Any:
        fn = original(resource_name, cloudformation_json, account_id, region_name, **kwargs)
        props = cloudformation_json["Properties"]
        if props.get("Layers"):
            fn.layers = fn._get_layers_data(props["Layers"])
        if props.get("Architectures"):
            fn.architectures = props["Architectures"]
        if props.get("TracingConfig"):
            fn.tracing_config = props["TracingConfig"]
        if props.get("Tags"):
            fn.tags = {tag["Key"]: tag["Value"] for tag in props["Tags"]}
        return fn

    return create


def _send_to_targets(
    original: Callable[..., None], deliveries: EventDeliveries
) -> Callable[..., None]:
    def send_to_targets(
        rule: Any, original_event: dict[str, Any], transform_input: bool = True
    ) -> None:
        if rule.state == "DISABLED" or not rule.event_pattern.matches_event(original_event):
            return
        lambda_targets = [t for t in rule.targets if ":lambda:" in str(t["Arn"])]
        if len(lambda_targets) < len(rule.targets):
            others = copy.copy(rule)
            others.targets = [t for t in rule.targets if t not in lambda_targets]
            original(others, original_event, transform_input)
        for target in lambda_targets:
            deliveries.start(rule, target, _lambda_event(original_event))

    return send_to_targets
