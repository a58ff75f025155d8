"""Reading the binding outputs of construct-built stacks: what is accepted, and one line per problem."""

from __future__ import annotations

import json

import pytest

from shared_nlb.binding_outputs import KIND, parse_binding_outputs
from shared_nlb.errors import UserError

ARN = "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/Edge-Share-1A2B3C4D5E6F/0123456789abcdef"


def binding(**changes) -> str:
    value = {
        "kind": KIND,
        "name": "redis",
        "namespace": "data",
        "service": "redis",
        "servicePort": 6380,
        "targetGroupArn": ARN,
        "vpcId": "vpc-0a1b2c3d4e5f60718",
        "securityGroupId": "sg-0123456789abcdef0",
        "targetRules": [["tcp", 6380]],
        "loadBalancer": "Edge-Share-ABCDEF",
    }
    value.update(changes)
    return json.dumps({k: v for k, v in value.items() if v is not None})


def test_reads_every_binding_output_and_ignores_other_outputs() -> None:
    other = ARN.replace("0123456789abcdef", "fedcba9876543210")
    specs = parse_binding_outputs(
        {
            "Edge": {"SharedRedisBinding1A2B3C4D": binding(), "SharedKafkaBindingX": binding(name="kafka", namespace="kafka", targetGroupArn=other), "SomethingElse": "value"},
            "Network": {"VpcId": "vpc-0a1b2c3d4e5f60718"},
        }
    )
    assert [(s.namespace, s.name, s.stack, s.target_rules) for s in specs] == [("data", "redis", "Edge", (("tcp", 6380),)), ("kafka", "kafka", "Edge", (("tcp", 6380),))]


def test_a_staged_replacement_is_a_second_binding_beside_the_live_one() -> None:
    staged_arn = ARN.replace("0123456789abcdef", "5555555555555555")
    specs = parse_binding_outputs({"Edge": {"SharedRedisBinding1": binding(), "SharedRedisStagedBinding2": binding(targetGroupArn=staged_arn, targetRules=[["tcp", 6390]], staged=True)}})
    assert [(s.name, s.staged, s.target_group_arn, s.key) for s in specs] == [("redis", False, ARN, "redis"), ("redis", True, staged_arn, "redis.staged")]


def test_the_construct_stages_a_replacement_and_says_so_in_its_outputs() -> None:
    from aws_cdk import App, Stack
    from aws_cdk import aws_ec2 as ec2
    from aws_cdk import aws_elasticloadbalancingv2 as elbv2
    from aws_cdk.assertions import Template

    from constructs_lib import DeployedTargetGroup, SharedNetworkLoadBalancer
    from tests.test_construct import SETTINGS

    stack = Stack(App(**SETTINGS), "Edge")
    vpc = ec2.Vpc.from_vpc_attributes(stack, "Vpc", vpc_id="vpc-0a1b2c3d", vpc_cidr_block="10.0.0.0/16", availability_zones=["us-east-1a"], private_subnet_ids=["subnet-0a1b2c3d"])
    shared = SharedNetworkLoadBalancer(stack, "Shared", vpc=vpc)
    redis = shared.add_service("redis", service_port=6390, listener_port=6379, deployed=DeployedTargetGroup(port=6380, protocol=elbv2.Protocol.TCP))
    kafka = shared.add_service("kafka", service_port=9092, listener_port=9092, deployed=DeployedTargetGroup(port=9092, protocol=elbv2.Protocol.TCP))
    assert redis.staged_target_group is not None and kafka.staged_target_group is None
    assert (redis.target_rules, redis.staged_target_rules) == ([("tcp", 6380)], [("tcp", 6390)])
    template = Template.from_stack(stack).to_json()
    outputs = {k: v for k, v in template["Outputs"].items() if "Binding" in k}
    assert sorted(k.split("Binding")[0] for k in outputs) == ["SharedKafka", "SharedRedis", "SharedRedisStaged"]
    listener = next(r for k, r in template["Resources"].items() if k.startswith("SharedRedisListener"))
    assert [g["Weight"] for g in listener["Properties"]["DefaultActions"][0]["ForwardConfig"]["TargetGroups"]] == [1, 0]


@pytest.mark.parametrize(
    ("outputs", "lines"),
    [
        ({"Edge": {"K": binding(targetGroupArn="arn:nope")}}, ["f: stack Edge output K: targetGroupArn 'arn:nope' is not a target group ARN"]),
        (
            {"Edge": {"K": binding(vpcId="vpc-1", securityGroupId=None)}},
            ["f: stack Edge output K: has no securityGroupId; deploy again with this shared-nlb's construct"],
        ),
        (
            {"Edge": {"K": binding(vpcId="vpc-1", servicePort=0, targetRules=[["sctp", 1]])}},
            [
                "f: stack Edge output K: servicePort 0 is neither a port number nor a port name",
                "f: stack Edge output K: vpcId 'vpc-1' is not a VPC ID (vpc-...)",
                "f: stack Edge output K: targetRules [['sctp', 1]] is not a list of [tcp|udp, port]",
            ],
        ),
        (
            {"A": {"K": binding()}, "B": {"K": binding(targetGroupArn=ARN.replace("0123", "9999"))}},
            ["f: stacks A and B both have service 'redis' in namespace 'data': their bindings would share data/redis.yaml; rename one"],
        ),
        ({"A": {"K": binding(), "L": binding(name="other")}}, [f"f: services 'redis' and 'other' have the same target group {ARN}; one target group takes one binding"]),
        ({"A": {"K": '{"kind": "' + KIND + '", "name": '}}, ["f: stack A output K: not JSON (Expecting value); was it cut short or edited?"]),
        ([], ["f: is a list, not a JSON object; expected the `cdk deploy --outputs-file` shape {stackName: {OutputKey: value}}"]),
    ],
)
def test_every_problem_one_line(outputs, lines) -> None:
    with pytest.raises(UserError) as error:
        parse_binding_outputs(outputs, source="f")
    assert str(error.value).splitlines() == lines


def test_the_chart_in_a_users_own_cdk8s_app() -> None:
    from cdk8s import Testing

    from k8s_charts.target_group_bindings import TargetGroupBindings
    from shared_nlb import crd, naming

    specs = parse_binding_outputs({"Edge": {"K": binding()}})
    chart = TargetGroupBindings(Testing.app(), "bindings", bindings=specs)
    (doc,) = Testing.synth(chart)
    assert doc["metadata"] == {
        "name": naming.binding_name("redis", ARN),
        "namespace": "data",
        "labels": {"app.kubernetes.io/managed-by": "shared-nlb", "shared-nlb.io/service": "redis", "shared-nlb.io/load-balancer": "Edge-Share-ABCDEF"},
    }
    assert doc["spec"]["networking"]["ingress"] == [{"from": [{"securityGroup": {"groupID": "sg-0123456789abcdef0"}}], "ports": [{"port": 6380, "protocol": "TCP"}]}]
    assert crd.validate_binding(doc) == []
