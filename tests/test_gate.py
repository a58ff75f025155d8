"""`plan --fail-on-replace` counts the replacements that cost connectivity, not rule swaps."""

from __future__ import annotations

import pytest

from shared_nlb.changeset import Change, Plan, ResourceLabels
from shared_nlb.changeset.gate import ReplaceGate

ELB = "AWS::ElasticLoadBalancingV2::"


def _plan(*changes: tuple[str, str, str]) -> Plan:
    return Plan("s", "arn", "UPDATE", tuple(Change("Modify", logical_id, kind, replacement) for logical_id, kind, replacement in changes))


@pytest.mark.parametrize(
    ("changes", "fails", "message"),
    [
        ([("RedisIngressTcpFromSg0a", "AWS::EC2::SecurityGroupIngress", "True"), ("EgressToTcp6380", "AWS::EC2::SecurityGroupEgress", "Conditional")], False,
         "--fail-on-replace: passes; not counted: 2 security group rule(s) swapped in place (the new rule admits traffic before the old one goes)"),
        ([("RedisTargetGroup", ELB + "TargetGroup", "True"), ("RedisIngressTcpFromSg0a", "AWS::EC2::SecurityGroupIngress", "True")], True,
         "--fail-on-replace: 1 replacement(s) cost connectivity: target group of service redis (RedisTargetGroup); not counted: 1 security group rule(s) swapped in place (the new rule admits traffic before the old one goes)"),
        ([("LoadBalancer", ELB + "LoadBalancer", "True"), ("RedisListener", ELB + "Listener", "Conditional")], True,
         "--fail-on-replace: 2 replacement(s) cost connectivity: the load balancer (LoadBalancer), listener of service redis (RedisListener)"),
        # the pods admit the NLB by its security group's ID; an unknown type errs on the side of stopping
        ([("LoadBalancerSecurityGroup", "AWS::EC2::SecurityGroup", "True"), ("Alias", "AWS::Route53::RecordSet", "True")], True,
         "--fail-on-replace: 2 replacement(s) cost connectivity: Alias, the load balancer's security group (LoadBalancerSecurityGroup)"),
        ([("RedisTargetGroup", ELB + "TargetGroup", "False")], False, None),
    ],
)
def test_the_gate(changes, fails, message):
    gate = ReplaceGate.of(_plan(*changes))
    assert (gate.fails, gate.message(ResourceLabels(["redis"]))) == (fails, message)
