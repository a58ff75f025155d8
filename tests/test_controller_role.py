"""The role a cluster in another account assumes: `SharedNetworkLoadBalancer.grant_controller`, the
config-built stack's role and output, its cdk-nag findings, and staging keeping both groups granted."""

from __future__ import annotations

import json
import re

import pytest
from aws_cdk import App, Environment, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from constructs_lib import SharedNetworkLoadBalancer
from shared_nlb.config import parse_config
from shared_nlb.config.state import ServiceState, State, TargetGroupState
from tests.factories import example_dict
from tests.test_construct import SETTINGS, nag_report
from tests.test_security import nag_findings

OTHER = "arn:aws:iam::222222222222:role/aws-load-balancer-controller"
WRITE = ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"]
DESCRIBE = ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"]


def edge_stack(account: str | None = "111111111111") -> tuple[App, Stack, SharedNetworkLoadBalancer]:
    app = App(**SETTINGS)
    stack = Stack(app, "Edge", env=Environment(account=account, region="us-east-1") if account else None)
    vpc = ec2.Vpc.from_vpc_attributes(stack, "Vpc", vpc_id="vpc-0a1b2c3d", vpc_cidr_block="10.0.0.0/16", availability_zones=["us-east-1a"], private_subnet_ids=["subnet-0a1b2c3d"])
    return app, stack, SharedNetworkLoadBalancer(stack, "Shared", vpc=vpc, clients=[ec2.Peer.ipv4("10.20.0.0/16")])


def roles_of(stack: Stack) -> dict[str, dict]:
    return {k: v["Properties"] for k, v in Template.from_stack(stack).find_resources("AWS::IAM::Role").items()}


def test_grant_controller_trusts_exactly_that_role_and_scopes_writes_to_every_services_group() -> None:
    _, stack, shared = edge_stack()
    shared.add_service("zeta", service_port=80, listener_port=80)
    role = shared.grant_controller("green", role_arn=OTHER, external_id="shared-nlb:core:green")
    shared.add_service("alpha", service_port=81, listener_port=81)  # added after: granted too
    assert isinstance(role, iam.Role) and dict(shared.controller_roles) == {"green": role}
    [(logical_id, role_props)] = roles_of(stack).items()
    assert logical_id.startswith("SharedGreenControllerRole")
    assert role_props["AssumeRolePolicyDocument"]["Statement"] == [
        {"Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "shared-nlb:core:green"}}, "Effect": "Allow", "Principal": {"AWS": OTHER}}
    ]
    [policy] = role_props["Policies"]
    write, describe = policy["PolicyDocument"]["Statement"]
    refs = [r["Ref"] for r in write["Resource"]]
    assert write["Action"] == WRITE and [re.sub(r"[0-9A-F]{8}$", "", r) for r in refs] == ["SharedAlphaTargetGroup", "SharedZetaTargetGroup"]  # name order
    assert describe["Action"] == DESCRIBE and describe["Resource"] == "*"  # describe actions take no resource-level permissions
    assert "RoleName" not in role_props  # CloudFormation names it: within IAM's 64 characters, unique per account


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.grant_controller("Green", role_arn=OTHER, external_id="ab"), "grant_controller: name 'Green' is not a DNS label"),
        (lambda s: s.grant_controller("green", role_arn="arn:aws:iam::222222222222:user/x", external_id="ab"), "grant_controller 'green': role_arn 'arn:aws:iam::222222222222:user/x' is not an IAM role ARN"),
        (lambda s: s.grant_controller("green", role_arn=OTHER, external_id=""), "grant_controller 'green': external_id '' is not valid; allowed: 2-1224 characters"),
        (lambda s: s.grant_controller("green", role_arn=OTHER, external_id="a b"), "grant_controller 'green': external_id 'a b' is not valid"),
        (lambda s: (s.grant_controller("blue-1", role_arn=OTHER, external_id="ab"), s.grant_controller("blue1", role_arn=OTHER, external_id="ab")), "grant_controller: 'blue1' gives the same logical ID as cluster 'blue-1' (Blue1ControllerRole)"),
    ],
    ids=["name", "role-arn", "empty-external-id", "space-in-external-id", "same-id"],
)
def test_grant_controller_refuses_bad_arguments(call, message: str) -> None:
    _, _, shared = edge_stack()
    with pytest.raises(ValueError, match=re.escape(message)):
        call(shared)


def test_a_role_of_the_stacks_own_account_or_no_service_is_a_synth_error() -> None:
    app, _, shared = edge_stack()
    shared.grant_controller("blue", role_arn="arn:aws:iam::111111111111:role/lbc", external_id="ab")
    with pytest.raises(RuntimeError) as error:
        app.synth()
    text = str(error.value)
    assert "controller role of cluster 'blue': arn:aws:iam::111111111111:role/lbc is in this stack's account (111111111111); a cluster in the same account needs no role" in text
    assert "controller role of cluster 'blue': no service to grant" in text
    # another account, with a service: no error; an environment-agnostic stack cannot compare accounts
    for account, arn in (("111111111111", OTHER), (None, "arn:aws:iam::111111111111:role/lbc")):
        app, _, shared = edge_stack(account)
        shared.add_service("redis", service_port=6379, listener_port=6379)
        shared.grant_controller("green", role_arn=arn, external_id="ab")
        app.synth()


def test_cdk_nag_accepts_only_the_describe_wildcard() -> None:
    def granted(stack, vpc, tasks, *, more: bool):
        shared = SharedNetworkLoadBalancer(stack, "Shared", vpc=vpc, clients=[tasks])
        redis = shared.add_service("redis", service_port=6379, listener_port=6379)
        role = shared.grant_controller("green", role_arn=OTHER, external_id="ab")
        if more:  # a wildcard action is a finding of its own, not covered by the acknowledgment
            role.add_to_policy(iam.PolicyStatement(actions=["elasticloadbalancing:*"], resources=[redis.target_group.target_group_arn]))

    assert "IAM5" not in nag_report(lambda s, v, t: granted(s, v, t, more=False))
    assert "AwsSolutions-IAM5[Action::elasticloadbalancing:*]" in nag_report(lambda s, v, t: granted(s, v, t, more=True))


# --- the config-built stack ------------------------------------------------------------------------------
def clustered(*clusters: dict) -> dict:
    data = example_dict()
    data["clusters"] = list(clusters)
    return data


def test_config_builds_a_role_per_cross_account_cluster_with_its_output(synth) -> None:
    template = json.loads(synth(clustered({"name": "blue"}, {"name": "green", "controller_role_arn": OTHER})))
    roles = {k: v for k, v in template["Resources"].items() if v["Type"] == "AWS::IAM::Role"}
    assert list(roles) == ["GreenControllerRole"]  # none for the same-account cluster
    props = roles["GreenControllerRole"]["Properties"]
    assert props["AssumeRolePolicyDocument"]["Statement"][0]["Condition"] == {"StringEquals": {"sts:ExternalId": "shared-nlb:core:green"}}
    write = props["Policies"][0]["PolicyDocument"]["Statement"][0]
    assert write["Resource"] == [{"Ref": "KafkaTargetGroup"}, {"Ref": "OpenobserveTargetGroup"}, {"Ref": "RedisTargetGroup"}]
    assert template["Outputs"]["GreenControllerRoleArn"]["Value"] == {"Fn::GetAtt": ["GreenControllerRole", "Arn"]}


def test_same_account_clusters_change_nothing_in_the_stack(synth, example_template_text) -> None:
    assert synth(clustered({"name": "blue"})) == example_template_text
    assert synth(clustered({"name": "blue"}, {"name": "green"})) == example_template_text


def test_cdk_nag_passes_a_config_with_a_cross_account_cluster() -> None:
    assert nag_findings(clustered({"name": "green", "controller_role_arn": OTHER})) == ""


# --- staging ---------------------------------------------------------------------------------------------
def test_staging_keeps_the_live_group_granted_until_the_switch(synth) -> None:
    """A replaced target group is staged under a new ID: the role must list the new group (its binding
    registers pods there) and the live one (its binding keeps its pods) until the switch, then only
    the new one."""
    data = clustered({"name": "green", "controller_role_arn": OTHER})
    next(s for s in data["services"] if s["name"] == "redis")["target_port"] = 6390
    deployed = State({"redis": ServiceState(live=TargetGroupState("RedisTargetGroup", 6380, "TCP"))})
    config = parse_config(data, state=deployed)
    _, staged = config.target_groups(next(s for s in config.services if s.name == "redis"))
    assert staged is not None

    def granted(template_text):
        return json.loads(template_text)["Resources"]["GreenControllerRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]["Resource"]

    assert granted(synth(data, deployed)) == [{"Ref": "KafkaTargetGroup"}, {"Ref": "OpenobserveTargetGroup"}, {"Ref": "RedisTargetGroup"}, {"Ref": staged.logical_id}]
    switched = State({"redis": ServiceState(live=staged)})
    assert granted(synth(data, switched)) == [{"Ref": "KafkaTargetGroup"}, {"Ref": "OpenobserveTargetGroup"}, {"Ref": staged.logical_id}]


def test_the_change_set_acknowledges_iam_only_when_the_template_has_a_role(synth, example_template_text) -> None:
    """CloudFormation refuses a change set that creates IAM resources without CAPABILITY_IAM
    (InsufficientCapabilities); the generated role names never need CAPABILITY_NAMED_IAM."""
    from shared_nlb.changeset.template import capabilities_argument

    assert capabilities_argument(synth(clustered({"name": "green", "controller_role_arn": OTHER}))) == {"Capabilities": ["CAPABILITY_IAM"]}
    assert capabilities_argument(example_template_text) == {}


def test_every_nlb_of_a_config_gives_its_roles_one_path(synth) -> None:
    """Each new NLB of an entry gets a role of its own; with one path per config, one AssumeRole
    statement in the cluster's account (`role/shared-nlb/<config>/*`) covers them all."""
    from tests.factories import base_dict

    data = base_dict([{"name": f"svc-{i}", "service_port": 8000 + i, "listener_port": 9000 + i} for i in range(3)])
    data["name"] = "core"
    data["load_balancers"] = [{"name": "internal", "max_listeners": 2}]
    data["clusters"] = [{"name": "green", "controller_role_arn": OTHER}]
    config = parse_config(data)
    from shared_nlb.synth import template_texts

    templates = template_texts(config)
    assert len(templates) == 2
    paths = {name: json.loads(text)["Resources"]["GreenControllerRole"]["Properties"]["Path"] for name, text in templates.items()}
    assert set(paths.values()) == {"/shared-nlb/core/"}


def test_grant_controller_takes_an_iam_path_and_refuses_a_bad_one() -> None:
    _, stack, shared = edge_stack()
    shared.add_service("zeta", service_port=80, listener_port=80)
    shared.grant_controller("green", role_arn=OTHER, external_id="ext-1", path="/shared-nlb/edge/")
    assert [r["Path"] for r in roles_of(stack).values()] == ["/shared-nlb/edge/"]
    for bad in ("shared-nlb", "/no-trailing", "/" + "a" * 520 + "/"):
        with pytest.raises(ValueError, match="is not an IAM path"):
            shared.grant_controller("blue", role_arn=OTHER, external_id="ext-1", path=bad)
