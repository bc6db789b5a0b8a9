"""How the SAM template is read and adapted for moto, and how API routes are matched.

Pure functions: no AWS, no emulator.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from agentsim_local.embedded.api_events import Route, decode_response, resolve, stage_of
from agentsim_local.embedded.cfn_yaml import load_template
from agentsim_local.embedded.template import adapt_for_moto

REPO_ROOT = Path(__file__).resolve().parents[2]
MINI = Path(__file__).parent / "fixtures" / "mini" / "template.yaml"

SUPPORTED = {
    "AWS::StepFunctions::StateMachine",
    "AWS::Lambda::Function",
    "AWS::Lambda::Permission",
    "AWS::ApiGateway::RestApi",
}


def test_short_tags_load_as_their_long_form(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(
        "AWSTemplateFormatVersion: 2010-09-09\n"
        "Resources:\n"
        "  A:\n"
        "    Type: X\n"
        "    Properties:\n"
        "      Arn: !GetAtt Fn.Arn\n"
        "      Name: !Sub '${AWS::StackName}-a'\n"
        "      Table: !Ref Table\n"
        "      Pick: !Select [0, !Split [',', 'a,b']]\n"
    )

    loaded = load_template(template)

    assert loaded["AWSTemplateFormatVersion"] == "2010-09-09"
    assert loaded["Resources"]["A"]["Properties"] == {
        "Arn": {"Fn::GetAtt": ["Fn", "Arn"]},
        "Name": {"Fn::Sub": "${AWS::StackName}-a"},
        "Table": {"Ref": "Table"},
        "Pick": {"Fn::Select": [0, {"Fn::Split": [",", "a,b"]}]},
    }


def _state_machine(definition: dict[str, Any], substitutions: dict[str, Any]) -> dict[str, Any]:
    lines = json.dumps(definition, indent=2).split("\n")
    return {
        "Resources": {
            "Machine": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {
                    "DefinitionString": {"Fn::Join": ["\n", lines]},
                    "DefinitionSubstitutions": substitutions,
                },
            }
        }
    }


def test_definition_substitutions_are_spliced_and_context_paths_kept() -> None:
    # Given an ASL with a ${Placeholder} and a $$. context path
    definition = {
        "StartAt": "A",
        "States": {
            "A": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "${FnArn}", "Id.$": "$$.Execution.Id"},
                "End": True,
            }
        },
    }
    cfn = _state_machine(definition, {"FnArn": {"Fn::GetAtt": ["Fn", "Arn"]}})

    # When adapted for moto
    adapt_for_moto(cfn, SUPPORTED)

    # Then the definition is a Fn::Join with the substitution's intrinsic in place
    props = cfn["Resources"]["Machine"]["Properties"]
    assert "DefinitionSubstitutions" not in props
    parts = props["DefinitionString"]["Fn::Join"][1]
    assert {"Fn::GetAtt": ["Fn", "Arn"]} in parts
    rendered = "".join(p if isinstance(p, str) else "arn:fn" for p in parts)
    task = json.loads(rendered)["States"]["A"]["Parameters"]
    assert task == {"FunctionName": "arn:fn", "Id.$": "$$.Execution.Id"}


def test_rest_api_is_kept_empty_and_its_deployment_and_stage_dropped() -> None:
    cfn = {
        "Resources": {
            "Api": {
                "Type": "AWS::ApiGateway::RestApi",
                "Properties": {"Body": {"info": {"title": "agentsim"}, "paths": {}}},
            },
            "ApiDeployment": {
                "Type": "AWS::ApiGateway::Deployment",
                "Properties": {"RestApiId": {"Ref": "Api"}},
            },
            "ApiProdStage": {
                "Type": "AWS::ApiGateway::Stage",
                "Properties": {"DeploymentId": {"Ref": "ApiDeployment"}},
            },
            "Permission": {
                "Type": "AWS::Lambda::Permission",
                "Properties": {"SourceArn": {"Fn::Sub": ["${Id}/*", {"Id": {"Ref": "Api"}}]}},
                "DependsOn": ["ApiProdStage"],
            },
        }
    }

    dropped = adapt_for_moto(cfn, SUPPORTED)

    assert dropped == {
        "ApiDeployment": "AWS::ApiGateway::Deployment",
        "ApiProdStage": "AWS::ApiGateway::Stage",
    }
    assert cfn["Resources"]["Api"]["Properties"] == {"Name": "agentsim"}
    assert "DependsOn" not in cfn["Resources"]["Permission"]


def test_unsupported_resource_nothing_references_is_dropped() -> None:
    cfn = {"Resources": {"Alarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {}}}}

    assert adapt_for_moto(cfn, SUPPORTED) == {"Alarm": "AWS::CloudWatch::Alarm"}
    assert cfn["Resources"] == {}


def test_unsupported_resource_still_referenced_is_an_error() -> None:
    cfn = {
        "Resources": {
            "Thing": {"Type": "AWS::Unknown::Thing", "Properties": {}},
            "Fn": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"Environment": {"Variables": {"T": {"Fn::Sub": "${Thing.Arn}"}}}},
            },
        },
    }

    with pytest.raises(ValueError, match="Fn references Thing"):
        adapt_for_moto(cfn, SUPPORTED)


@pytest.mark.parametrize(
    ("route", "method", "path", "expected"),
    [
        (Route("POST", "/simulations"), "POST", "/simulations", {}),
        (Route("POST", "/simulations"), "GET", "/simulations", None),
        (Route("GET", "/simulations/{id}"), "GET", "/simulations/r-1", {"id": "r-1"}),
        (Route("GET", "/simulations/{id}"), "GET", "/simulations/r-1/stop", None),
        (Route("ANY", "/{proxy+}"), "DELETE", "/a/b/c", {"proxy": "a/b/c"}),
    ],
)
def test_route_matches_like_api_gateway(
    route: Route, method: str, path: str, expected: dict[str, str] | None
) -> None:
    assert route.match(method, path) == expected


def test_literal_resource_wins_over_templated_one_and_undeclared_is_none() -> None:
    routes = [Route("GET", "/simulations/{id}"), Route("ANY", "/simulations/all")]

    assert resolve("GET", "/simulations/all", routes) == (routes[1], {})
    assert resolve("GET", "/simulations/r-1", routes) == (routes[0], {"id": "r-1"})
    assert resolve("DELETE", "/simulations/r-1", routes) is None


def test_stage_is_the_template_api_stage_name() -> None:
    assert stage_of(load_template(REPO_ROOT / "template.yaml"), "ApiFunction") == "v1"


def test_stage_of_sam_implicit_api_is_prod() -> None:
    assert stage_of(load_template(MINI), "ApiFunction") == "Prod"


def _api_on_stage(stage_name: Any) -> dict[str, Any]:
    return {
        "Parameters": {"Stage": {"Type": "String", "Default": "dev"}},
        "Resources": {
            "Api": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": stage_name}},
            "Fn": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Events": {
                        "Get": {
                            "Type": "Api",
                            "Properties": {
                                "RestApiId": {"Ref": "Api"},
                                "Path": "/x",
                                "Method": "get",
                            },
                        }
                    }
                },
            },
        },
    }


def test_stage_name_from_a_parameter_is_its_value_or_default() -> None:
    sam = _api_on_stage({"Ref": "Stage"})

    assert stage_of(sam, "Fn") == "dev"
    assert stage_of(sam, "Fn", {"Stage": "qa"}) == "qa"
    with pytest.raises(ValueError, match="stage name"):
        stage_of(_api_on_stage({"Fn::Sub": "${Stage}"}), "Fn")


def test_proxy_answer_that_is_not_a_proxy_response_is_a_502() -> None:
    assert decode_response({"run_id": "r-1"}).status == 502


def test_proxy_answer_is_decoded() -> None:
    response = decode_response(
        {"statusCode": 202, "headers": {"X-A": "1"}, "body": json.dumps({"run_id": "r-1"})}
    )

    assert (response.status, response.headers, response.json) == (
        202,
        {"X-A": "1"},
        {"run_id": "r-1"},
    )
