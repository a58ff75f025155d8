"""The stand-in's drift fixes (shared_nlb/standin/patches/cloudformation_drift.py), each with the fix
taken away (the gap shows) and with all fixes (it does not), on the small hand-written NLB stack of
test_standin: a listener deleted, a health check changed and an ingress rule revoked by hand."""

from __future__ import annotations

import pytest

from shared_nlb import standin
from shared_nlb.standin import patches
from tests.test_standin import INGRESS, NO_TRAFFIC_EGRESS, STACK, _res, aws, deploy, network, outcome, template, without  # noqa: F401 - `aws` is a fixture

pytestmark = pytest.mark.usefixtures("all_fixes_after")


@pytest.fixture
def all_fixes_after():
    yield
    standin.apply_patches()


def drifting_stack(aws, fix, patched):
    """Every fix, or all but `fix`; the small stack with one ingress rule resource and one inline
    egress rule deployed."""
    (standin.apply_patches if patched else lambda: without(fix))()
    vpc, subnets = network(aws)
    rule = _res(INGRESS, GroupId={"Fn::GetAtt": ["Sg", "GroupId"]}, IpProtocol="tcp", FromPort=6379, ToPort=6379, CidrIp="10.9.0.0/16", Description="clients")
    body = template(vpc, subnets, protection="false", rules={"Clients": rule}, group={"SecurityGroupEgress": [NO_TRAFFIC_EGRESS]})
    return body, deploy(aws, body)


def drift_by_hand(aws, outputs):
    """What an operator does in the console: delete the listener, shorten the health check interval,
    revoke the ingress rule and the inline egress rule, add an ingress rule of their own."""
    elbv2, ec2 = aws.client("elbv2"), aws.client("ec2")
    listener = elbv2.describe_listeners(LoadBalancerArn=outputs["LbArn"])["Listeners"][0]["ListenerArn"]
    elbv2.delete_listener(ListenerArn=listener)
    elbv2.modify_target_group(TargetGroupArn=outputs["TgArn"], HealthCheckIntervalSeconds=10)
    group = aws.client("cloudformation").describe_stack_resource(StackName=STACK, LogicalResourceId="Sg")["StackResourceDetail"]["PhysicalResourceId"]
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])["SecurityGroupRules"]
    ec2.revoke_security_group_ingress(GroupId=group, SecurityGroupRuleIds=[r["SecurityGroupRuleId"] for r in rules if not r["IsEgress"]])
    ec2.revoke_security_group_egress(GroupId=group, SecurityGroupRuleIds=[r["SecurityGroupRuleId"] for r in rules if r["IsEgress"]])
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.99.0.0/16"}]}])


def detect(aws):
    """(the detection's status, {logical ID: (drift status, property differences)} of drifted resources)."""
    cf = aws.client("cloudformation")
    detection = cf.detect_stack_drift(StackName=STACK)["StackDriftDetectionId"]
    status = cf.describe_stack_drift_detection_status(StackDriftDetectionId=detection)
    drifts = cf.describe_stack_resource_drifts(StackName=STACK, StackResourceDriftStatusFilters=["MODIFIED", "DELETED"])["StackResourceDrifts"]
    found = {d["LogicalResourceId"]: (d["StackResourceDriftStatus"], [(p["PropertyPath"], p["ExpectedValue"], p["ActualValue"]) for p in d.get("PropertyDifferences", [])]) for d in drifts}
    return status, found


HAND_MADE = {
    "Listener": ("DELETED", []),
    "Tg": ("MODIFIED", [("/HealthCheckIntervalSeconds", "30", "10")]),
    "Clients": ("DELETED", []),
    "Sg": (
        "MODIFIED",
        [
            ("/SecurityGroupIngress/0", "", '{"CidrIp": "10.99.0.0/16", "FromPort": 22, "IpProtocol": "tcp", "ToPort": 22}'),
            ("/SecurityGroupEgress/0", '{"CidrIp": "255.255.255.255/32", "Description": "Disallow all traffic", "FromPort": 252, "IpProtocol": "icmp", "ToPort": 86}', ""),
        ],
    ),
}


@pytest.mark.parametrize("patched", [False, True])
def test_drift_is_detected_per_resource(aws, patched):
    _, outputs = drifting_stack(aws, patches._stack_drift_detection, patched)
    started = outcome(lambda: aws.client("cloudformation").detect_stack_drift(StackName=STACK))
    if not patched:  # moto has no DetectStackDrift
        assert isinstance(started, Exception)
        return
    status, found = detect(aws)
    assert (status["DetectionStatus"], status["StackDriftStatus"], status["DriftedStackResourceCount"], found) == ("DETECTION_COMPLETE", "IN_SYNC", 0, {})
    drift_by_hand(aws, outputs)
    status, found = detect(aws)
    assert (status["StackDriftStatus"], status["DriftedStackResourceCount"]) == ("DRIFTED", 4)
    assert found == HAND_MADE
    every = aws.client("cloudformation").describe_stack_resource_drifts(StackName=STACK, MaxResults=2)
    assert len(every["StackResourceDrifts"]) == 2 and every["NextToken"]  # paged as asked


def test_drift_is_detected_only_in_a_status_that_allows_it(aws):
    standin.apply_patches()
    vpc, subnets = network(aws)
    aws.client("cloudformation").create_change_set(StackName=STACK, ChangeSetName="new", ChangeSetType="CREATE", TemplateBody=template(vpc, subnets))
    refused = outcome(lambda: aws.client("cloudformation").detect_stack_drift(StackName=STACK))
    assert isinstance(refused, Exception) and "REVIEW_IN_PROGRESS" in str(refused)


@pytest.mark.parametrize("patched", [False, True])
def test_a_drift_aware_change_set_repairs_what_was_deleted_or_changed(aws, patched):
    body, outputs = drifting_stack(aws, patches._drift_aware_change_sets, patched)
    drift_by_hand(aws, outputs)
    cf = aws.client("cloudformation")
    created = cf.create_change_set(StackName=STACK, ChangeSetName="repair", ChangeSetType="UPDATE", TemplateBody=body, DeploymentMode="REVERT_DRIFT")
    described = cf.describe_change_set(ChangeSetName=created["Id"])
    if not patched:  # the template is the deployed one, so moto sees nothing to do
        assert described["Status"] == "FAILED" and "didn't contain changes" in described["StatusReason"]
        return
    changes = {c["ResourceChange"]["LogicalResourceId"]: (c["ResourceChange"]["ResourceDriftStatus"], c["ResourceChange"]["Replacement"]) for c in described["Changes"]}
    assert changes == {"Listener": ("DELETED", "True"), "Tg": ("MODIFIED", "False"), "Clients": ("DELETED", "True"), "Sg": ("MODIFIED", "False")}
    cf.execute_change_set(ChangeSetName=created["Id"])
    elbv2 = aws.client("elbv2")
    listener = elbv2.describe_listeners(LoadBalancerArn=outputs["LbArn"])["Listeners"]
    assert [(item["Port"], item["DefaultActions"][0]["TargetGroupArn"]) for item in listener] == [(6379, outputs["TgArn"])]
    assert elbv2.describe_target_groups(TargetGroupArns=[outputs["TgArn"]])["TargetGroups"][0]["HealthCheckIntervalSeconds"] == 30
    assert detect(aws)[1] == {}  # the rules too: the revoked ones back, the one added by hand gone
    group = cf.describe_stack_resource(StackName=STACK, LogicalResourceId="Sg")["StackResourceDetail"]["PhysicalResourceId"]
    rules = aws.client("ec2").describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])["SecurityGroupRules"]
    assert sorted((r["IsEgress"], r["FromPort"], r.get("CidrIpv4")) for r in rules) == [(False, 6379, "10.9.0.0/16"), (True, 252, "255.255.255.255/32")]
