"""The stand-in refuses a listener moved onto a port another listener of the same update gives up:
CloudFormation updates both in parallel, so on AWS the change set fails whenever the first move
comes first; moto updated one at a time and retried, so it always passed."""

from __future__ import annotations

import json

import pytest

from shared_nlb import standin
from shared_nlb.standin import patches
from tests.test_standin import DUPLICATE_LISTENER, STACK, _res, deploy, failure, network, outcome, status, template, without

# The stand-in's own fixture (moto's state reset around each test), as tests/test_standin.py uses it.
from tests.test_standin import all_fixes_after, aws  # noqa: F401


def _two_listeners(vpc, subnets, first: int, second: int) -> str:
    body = json.loads(template(vpc, subnets, protection="false", listener={"Port": first}))
    body["Resources"]["Second"] = _res("AWS::ElasticLoadBalancingV2::Listener", LoadBalancerArn={"Ref": "Lb"}, Port=second, Protocol="TCP", DefaultActions=[{"Type": "forward", "TargetGroupArn": {"Ref": "Tg"}}])
    return json.dumps(body)


@pytest.mark.parametrize("patched", [False, True])
def test_a_listener_moved_onto_a_port_another_one_leaves_in_the_same_update(aws, patched):  # noqa: F811
    (standin.apply_patches if patched else lambda: without(patches._duplicate_listeners))()
    vpc, subnets = network(aws)
    deploy(aws, _two_listeners(vpc, subnets, 6379, 9092))
    elbv2 = aws.client("elbv2")

    def ports():
        outputs = aws.client("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]["Outputs"]
        arn = next(o["OutputValue"] for o in outputs if o["OutputKey"] == "LbArn")
        return sorted(l["Port"] for l in elbv2.describe_listeners(LoadBalancerArn=arn)["Listeners"])

    # Listener 6379 -> 9092 while Second 9092 -> 4222: a chain that only works if Second goes first
    result = outcome(lambda: deploy(aws, _two_listeners(vpc, subnets, 9092, 4222), "UPDATE"))
    if not patched:  # moto retried the first move after the second: it passed
        assert status(aws) == "UPDATE_COMPLETE" and ports() == [4222, 9092]
        return
    assert status(aws) == "UPDATE_ROLLBACK_COMPLETE" and DUPLICATE_LISTENER in failure(aws, result)
    assert ports() == [6379, 9092]
    # each move alone, in turn, is taken: the second first, then the first onto the port it freed
    deploy(aws, _two_listeners(vpc, subnets, 6379, 4222), "UPDATE")
    deploy(aws, _two_listeners(vpc, subnets, 9092, 4222), "UPDATE")
    assert status(aws) == "UPDATE_COMPLETE" and ports() == [4222, 9092]
