"""The stand-in updates a load balancer's subnets in place, as CloudFormation and ELB's SetSubnets do
(an Availability Zone enabled or disabled at any time); moto kept the ones it was created with."""

from __future__ import annotations

import json

import pytest

from shared_nlb import standin
from shared_nlb.standin import patches
from tests.test_standin import STACK, deploy, network, status, template, without

# The stand-in's own fixtures (moto's state reset around each test), as tests/test_standin.py uses them.
from tests.test_standin import all_fixes_after, aws  # noqa: F401


@pytest.mark.parametrize("patched", [False, True])
def test_a_subnet_added_to_the_template_is_enabled_on_the_load_balancer(aws, patched):  # noqa: F811
    (standin.apply_patches if patched else lambda: without(patches._network_load_balancer_from_template))()
    vpc, subnets = network(aws)
    ec2 = aws.client("ec2")
    third = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.9.0/24", AvailabilityZone="us-east-1c")["Subnet"]["SubnetId"]
    deploy(aws, template(vpc, subnets, protection="false", with_service=False))
    elbv2 = aws.client("elbv2")

    def zones():
        arn = aws.client("cloudformation").describe_stack_resource(StackName=STACK, LogicalResourceId="Lb")["StackResourceDetail"]["PhysicalResourceId"]
        found = elbv2.describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"]
        return sorted(z["SubnetId"] for z in found[0]["AvailabilityZones"]) if found else None

    arn_before = aws.client("cloudformation").describe_stack_resource(StackName=STACK, LogicalResourceId="Lb")["StackResourceDetail"]["PhysicalResourceId"]
    grown = json.loads(template(vpc, [*subnets, third], protection="false", with_service=False))
    try:
        deploy(aws, json.dumps(grown), "UPDATE")
    except Exception:  # noqa: BLE001 - without the fix moto may fail the update outright
        pass
    if not patched:  # moto's load balancer keeps the subnets it was created with, or is lost from the stack
        assert zones() != sorted([*subnets, third])
        return
    assert status(aws) == "UPDATE_COMPLETE" and zones() == sorted([*subnets, third])
    after = aws.client("cloudformation").describe_stack_resource(StackName=STACK, LogicalResourceId="Lb")["StackResourceDetail"]["PhysicalResourceId"]
    assert after == arn_before  # in place, not replaced
    deploy(aws, template(vpc, subnets, protection="false", with_service=False), "UPDATE")  # a zone disabled again
    assert zones() == sorted(subnets)
