"""Drift, end to end on the stand-in, one stack for every case: a listener deleted by hand, a health
check changed, an ingress rule revoked are each reported by `plan` per service (and fail
--fail-on-drift), `deploy` repairs each and says so, and `plan` then reports no drift. Plus the
reporting itself, without AWS: each kind of property difference, and a detection that takes a while
or fails part-way."""

from __future__ import annotations

import pytest

from shared_nlb.changeset.drift import PropertyDrift, ResourceDrift, StackDrift, detect
from shared_nlb.changeset.labels import ResourceLabels
from shared_nlb.deploy import drift
from shared_nlb.deploy.drift import describe
from shared_nlb.errors import UserError
from tests.factories import base_dict
from tests.test_nlb_lifecycle import Deployer

SERVICES = [
    {"name": "redis", "service_port": 6379, "listener_port": 6379},
    # the interval is set in the config: CloudFormation compares only what the template sets
    {"name": "kafka", "service_port": 9092, "listener_port": 9092, "health_check": {"protocol": "TCP", "interval_seconds": 10}},
    {"name": "web", "service_port": 8443, "listener_port": 443},
]


def said(capsys) -> str:
    return " ".join(capsys.readouterr().out.split())


def drift_by_hand(aws, outputs: dict[str, str]) -> None:
    """What an operator does in the console: redis's listener deleted, kafka's health check
    interval changed, web's ingress rule revoked, an ingress rule of their own added."""
    elbv2, ec2 = aws.client("elbv2"), aws.client("ec2")
    listeners = elbv2.describe_listeners(LoadBalancerArn=outputs["LoadBalancerArn"])["Listeners"]
    elbv2.delete_listener(ListenerArn=next(item["ListenerArn"] for item in listeners if item["Port"] == 6379))
    elbv2.modify_target_group(TargetGroupArn=outputs["KafkaTargetGroupArn"], HealthCheckIntervalSeconds=30)
    group = outputs["LoadBalancerSecurityGroupId"]
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])["SecurityGroupRules"]
    ec2.revoke_security_group_ingress(GroupId=group, SecurityGroupRuleIds=[r["SecurityGroupRuleId"] for r in rules if not r["IsEgress"] and r["FromPort"] == 443])
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.99.0.0/16"}]}])


@pytest.mark.e2e
def test_drift_is_reported_per_service_and_repaired_by_deploy(aws, tmp_path, capsys):
    data = base_dict(SERVICES)
    data["name"] = "drift"
    data["load_balancer"] = {"deletion_protection": False}
    deployer = Deployer(aws, tmp_path, data)
    outputs = deployer.deploy(deployer.data)["shared-nlb-drift"]
    capsys.readouterr()
    assert deployer.run("plan", "--fail-on-drift") == 0  # an untouched stack passes
    assert "drift: stack shared-nlb-drift: none, every checked resource is as deployed" in said(capsys)

    drift_by_hand(aws, outputs)
    assert deployer.run("plan", "--fail-on-drift") == 1
    text = said(capsys)
    assert "drift: service redis (stack shared-nlb-drift): listener (RedisListener): deleted outside CloudFormation" in text
    assert "drift: service kafka (stack shared-nlb-drift): target group (KafkaTargetGroup): changed outside CloudFormation: HealthCheckIntervalSeconds is 30, the template says 10" in text
    assert "drift: service web (stack shared-nlb-drift): ingress rule (WebIngressTcpFromSg" in text
    assert "drift: stack shared-nlb-drift: the load balancer's security group (LoadBalancerSecurityGroup): changed outside CloudFormation: SecurityGroupIngress.0 was added ({\"CidrIp\": \"10.99.0.0/16\", \"FromPort\": 22," in text
    assert "drift: stack shared-nlb-drift: 4 resource(s) changed or deleted outside CloudFormation; deploy sets them back to the template" in text
    assert "--fail-on-drift: fails: 4 resource(s) drifted in stack(s) shared-nlb-drift" in text
    assert "stack shared-nlb-drift: no changes" in text  # an ordinary change set sees nothing: the template is unchanged
    assert deployer.run("plan") == 0  # only the flag fails

    capsys.readouterr()
    assert deployer.deploy(deployer.data)["shared-nlb-drift"] == outputs
    text = said(capsys)
    assert "repaired: service redis (stack shared-nlb-drift): listener (RedisListener): re-created, as the template says" in text
    assert "repaired: service kafka (stack shared-nlb-drift): target group (KafkaTargetGroup): set back to the template (HealthCheckIntervalSeconds)" in text
    assert "repaired: service web (stack shared-nlb-drift): ingress rule (WebIngressTcpFromSg" in text
    assert "repaired: stack shared-nlb-drift: the load balancer's security group (LoadBalancerSecurityGroup): set back to the template (SecurityGroupIngress/0)" in text
    elbv2 = aws.client("elbv2")
    listeners = elbv2.describe_listeners(LoadBalancerArn=outputs["LoadBalancerArn"])["Listeners"]
    assert {item["Port"]: item["DefaultActions"][0]["TargetGroupArn"] for item in listeners}[6379] == outputs["RedisTargetGroupArn"]
    assert elbv2.describe_target_groups(TargetGroupArns=[outputs["KafkaTargetGroupArn"]])["TargetGroups"][0]["HealthCheckIntervalSeconds"] == 10
    rules = aws.client("ec2").describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [outputs["LoadBalancerSecurityGroupId"]]}])["SecurityGroupRules"]
    assert sorted(r["FromPort"] for r in rules if not r["IsEgress"]) == [443, 6379, 9092]  # web's rule back, the one added by hand gone

    assert deployer.run("plan", "--fail-on-drift") == 0
    assert "drift: stack shared-nlb-drift: none" in said(capsys)


def test_each_kind_of_property_difference_is_one_readable_clause():
    found = StackDrift(
        "s",
        (
            ResourceDrift("LoadBalancerSecurityGroup", "AWS::EC2::SecurityGroup", "MODIFIED", (PropertyDrift("/SecurityGroupIngress/1", "", '{"CidrIp": "' + "9" * 500 + '"}', "ADD"),)),
            ResourceDrift("RedisTargetGroup", "AWS::ElasticLoadBalancingV2::TargetGroup", "MODIFIED", (PropertyDrift("/HealthCheckPath", "/ready", "", "REMOVE"),)),
        ),
        not_checked=2,
    )
    lines = describe(found, ResourceLabels(["redis"]))
    assert lines[0] == "drift: service redis (stack s): target group (RedisTargetGroup): changed outside CloudFormation: HealthCheckPath was removed (the template says /ready)"
    assert lines[1].startswith("drift: stack s: the load balancer's security group (LoadBalancerSecurityGroup): changed outside CloudFormation: SecurityGroupIngress.1 was added ({\"CidrIp\": \"999")
    assert lines[1].endswith("...)") and len(lines[1]) < 250  # a long value is cut
    assert lines[2] == "drift: stack s: 2 resource(s) changed or deleted outside CloudFormation; deploy sets them back to the template; 2 resource(s) of a type CloudFormation cannot check for drift"


class SlowDetection:
    """A connection whose detection is in progress once, then done (or failed part-way)."""

    poll_seconds = 0

    def __init__(self, outcome: str):
        self.statuses = ["DETECTION_IN_PROGRESS", outcome]
        self.cfn = self

    def stack(self, name):
        return {"StackId": f"id-{name}", "StackStatus": "UPDATE_COMPLETE"}

    def call(self, what, method, **kwargs):
        return method(**kwargs)

    def detect_stack_drift(self, StackName):
        return {"StackDriftDetectionId": "d1"}

    def describe_stack_drift_detection_status(self, StackDriftDetectionId):
        status = self.statuses.pop(0)
        return {"DetectionStatus": status, **({"DetectionStatusReason": "no permission to read AWS::Route53::RecordSet"} if status == "DETECTION_FAILED" else {})}

    def describe_stack_resource_drifts(self, **kwargs):
        return {"StackResourceDrifts": [{"LogicalResourceId": "RedisListener", "ResourceType": "AWS::ElasticLoadBalancingV2::Listener", "StackResourceDriftStatus": "DELETED"}]}


@pytest.mark.parametrize("outcome", ["DETECTION_COMPLETE", "DETECTION_FAILED"])
def test_a_detection_in_progress_is_waited_for_and_a_failure_said(outcome):
    connection = SlowDetection(outcome)
    found = detect(connection, "s")  # type: ignore[arg-type]
    assert connection.statuses == []  # asked again until it was no longer in progress
    assert [r.logical_id for r in found.resources] == ["RedisListener"]  # a failed detection's results are read too
    assert (found.failure == "no permission to read AWS::Route53::RecordSet") == (outcome == "DETECTION_FAILED")


def test_a_detection_that_never_ends_stops_the_wait_at_the_limit():
    """A detection stuck in progress holds no deploy forever: past the limit it is a UserError, which
    plan and deploy say as "not checked" (the next test) and go on."""
    connection = SlowDetection("DETECTION_IN_PROGRESS")
    connection.statuses = ["DETECTION_IN_PROGRESS"] * 3
    with pytest.raises(UserError, match="^the drift detection d1 did not finish within 0 minutes$"):
        detect(connection, "s", limit_seconds=0)  # type: ignore[arg-type]
    assert connection.statuses == ["DETECTION_IN_PROGRESS"] * 2  # asked once, then stopped


class DeniedDetection:
    """A connection whose role may not detect drift (a plan role of an older setup)."""

    labels = ResourceLabels()

    def stack(self, name):
        return {"StackId": f"id-{name}", "StackStatus": "UPDATE_COMPLETE"}

    def detect_drift(self, name):
        raise UserError("could not start the drift detection: AccessDenied: not authorized to perform: cloudformation:DetectStackDrift")


def test_a_detection_that_cannot_run_is_said_and_fails_only_the_gate(capsys):
    from rich.console import Console

    console = Console(soft_wrap=True, width=1000)
    found = drift.detect(console, DeniedDetection(), "s")  # type: ignore[arg-type]
    assert "drift: stack s: not checked: could not start the drift detection: AccessDenied" in said(capsys)
    assert not found.drifted and not found.ran
    assert drift.fail_on_drift(console, [found]) is True
    assert "--fail-on-drift: fails: the drift of stack(s) s could not be detected" in said(capsys)
    assert drift.fail_on_drift(console, [StackDrift("s", ())]) is False  # checked and in sync: the gate passes
