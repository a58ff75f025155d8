"""`clusters:` end to end, through the command line against the session's AWS stand-in: the cross-account
role as IAM has it, the per-cluster trees, and a blue/green cluster upgrade that never changes the stack."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from shared_nlb import naming
from shared_nlb.cli import main
from tests.test_e2e import Stack

pytestmark = pytest.mark.e2e

OTHER = "arn:aws:iam::222222222222:role/aws-load-balancer-controller"


def trees(out: Path) -> dict[str, dict[str, dict]]:
    """cluster -> service -> binding spec, over `<out>/<cluster>/`."""
    found: dict[str, dict[str, dict]] = {}
    for path in sorted(out.rglob("*.yaml")):
        doc = yaml.safe_load(path.read_text())
        if doc["kind"] == "TargetGroupBinding":
            found.setdefault(path.relative_to(out).parts[0], {})[doc["metadata"]["labels"][naming.SERVICE_LABEL]] = doc["spec"]
    return found


def manifests(stack: Stack, data: dict, out: Path) -> dict[str, dict[str, dict]]:
    assert main(["manifests", stack.write(data), "--outputs", str(stack.tmp / "outputs.json"), "--out", str(out)]) == 0
    return trees(out)


def test_a_cross_account_cluster_gets_a_scoped_role_and_only_its_bindings_assume_it(aws, tmp_path):
    stack = Stack(aws, tmp_path, "e2e-clusters")
    data = copy.deepcopy(stack.data)
    data["clusters"] = [{"name": "blue"}, {"name": "green", "controller_role_arn": OTHER}]
    outputs = stack.deploy(data)
    role_arn = outputs[naming.controller_role_output_key("green")]
    groups = sorted(outputs[naming.target_group_output_key(s["name"])] for s in data["services"])

    iam = aws.client("iam")
    role = iam.get_role(RoleName=role_arn.rsplit("/", 1)[1])["Role"]
    assert role["Arn"] == role_arn
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {"Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "shared-nlb:e2e-clusters:green"}}, "Effect": "Allow", "Principal": {"AWS": OTHER}}
    ]
    policy = iam.get_role_policy(RoleName=role["RoleName"], PolicyName="TargetGroupBinding")["PolicyDocument"]
    write, describe = policy["Statement"]
    assert write["Action"] == ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"]
    assert sorted(write["Resource"]) == groups  # these target groups only, no wildcard
    assert describe["Resource"] == "*" and all(a.startswith("elasticloadbalancing:Describe") for a in describe["Action"])

    found = manifests(stack, data, tmp_path / "manifests")
    assert sorted(found) == ["blue", "green"]
    for name, spec in found["green"].items():
        assert spec["iamRoleArnToAssume"] == role_arn and spec["assumeRoleExternalId"] == "shared-nlb:e2e-clusters:green"
        assert spec["multiClusterTargetGroup"] is True and found["blue"][name]["multiClusterTargetGroup"] is True
        assert "iamRoleArnToAssume" not in found["blue"][name] and "assumeRoleExternalId" not in found["blue"][name]
    assert sorted(s["targetGroupARN"] for s in found["green"].values()) == groups


def test_blue_green_cluster_upgrade_never_changes_the_stack(aws, tmp_path, capsys):
    stack = Stack(aws, tmp_path, "e2e-bluegreen")
    out = tmp_path / "manifests"
    blue = copy.deepcopy(stack.data)
    blue["clusters"] = [{"name": "blue"}]
    outputs = stack.deploy(blue)
    found = manifests(stack, blue, out)
    # multi-cluster from the first step, so that no step changes the flag of a binding that exists
    assert sorted(found) == ["blue"] and all(s["multiClusterTargetGroup"] is True for s in found["blue"].values())
    blue_specs = found["blue"]
    arns = {name: spec["targetGroupARN"] for name, spec in found["blue"].items()}

    both = copy.deepcopy(blue)
    both["clusters"].append({"name": "green"})
    assert stack.changes(both) == {}  # same-account clusters are no stack change at all
    capsys.readouterr()
    assert stack.deploy(both) == outputs and "no changes" in capsys.readouterr().out
    found = manifests(stack, both, out)
    assert sorted(found) == ["blue", "green"]
    for cluster in ("blue", "green"):  # both register pods, each deregistering only its own
        assert {n: s["targetGroupARN"] for n, s in found[cluster].items()} == arns
        assert all(s["multiClusterTargetGroup"] is True for s in found[cluster].values())
    assert found["blue"] == blue_specs  # adding green changes nothing in blue's bindings
    green_specs = found["green"]

    green = copy.deepcopy(both)
    green["clusters"] = [{"name": "green"}]
    assert stack.changes(green) == {}
    assert stack.deploy(green) == outputs
    found = manifests(stack, green, out)
    assert sorted(found) == ["green"] and not (out / "blue").exists()  # blue's tree is pruned with its folder
    assert {n: s["targetGroupARN"] for n, s in found["green"].items()} == arns
    assert found["green"] == green_specs  # removing blue changes nothing in green's bindings
    assert json.loads((tmp_path / "outputs.json").read_text())[stack.stack_name] == outputs
