"""examples/cdk-app, the construct in a CDK user's own app: synthesized once, offline, in-process."""

from __future__ import annotations

import importlib.util
import json
import re

import pytest
from aws_cdk import App, Validations
from aws_cdk.assertions import Match, Template

from tests.factories import ROOT

EXAMPLE_APP = ROOT / "examples" / "cdk-app"


@pytest.fixture(scope="session")
def example():
    """The example's `build_app()` on an App without analytics or creation stack traces, with no AWS
    environment (as offline), its edge stack's template and cdk-nag's report on that stack."""
    from cdk_nag import AwsSolutionsChecks

    with pytest.MonkeyPatch.context() as patch:
        for name in ("CDK_DEFAULT_ACCOUNT", "CDK_DEFAULT_REGION"):
            patch.delenv(name, raising=False)
        patch.syspath_prepend(str(EXAMPLE_APP))  # the app imports its own package, platform_edge
        # a name of its own: the project's app.py is another module called `app`
        spec = importlib.util.spec_from_file_location("example_cdk_app", EXAMPLE_APP / "app.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        app = module.build_app(App(analytics_reporting=False, context={"aws:cdk:disable-creation-stack-traces": True}))
        edge, network = app.node.find_child("Edge"), app.node.find_child("Network")
        template = Template.from_stack(edge)
        # The plugin runs on synthesis; the app was synthesized above, so synthesize it again.
        Validations.of(edge).add_plugins(AwsSolutionsChecks())
        try:
            app.synth(force=True)
            report = ""
        except Exception as error:  # jsii raises the plugin's report as one error
            report = str(error)
    return {"edge": edge, "network": network, "template": template, "nag": report}


def test_cdk_json_runs_the_app_like_cdk_init() -> None:
    assert json.loads((EXAMPLE_APP / "cdk.json").read_text())["app"] == "python3 app.py"


def test_two_internal_nlbs_in_the_edge_stack(example) -> None:
    template = example["template"]
    template.resource_count_is("AWS::ElasticLoadBalancingV2::LoadBalancer", 2)
    for nlb in template.find_resources("AWS::ElasticLoadBalancingV2::LoadBalancer").values():
        assert nlb["Properties"]["Scheme"] == "internal"
        assert {"Key": "team", "Value": "platform"} in nlb["Properties"]["Tags"]


def test_the_ecs_security_group_comes_from_the_network_stack(example) -> None:
    rules = example["template"].find_resources("AWS::EC2::SecurityGroupIngress", {"Properties": {"Description": "redis listener 6379/tcp from ECS tasks"}})
    assert len(rules) == 1
    source = next(iter(rules.values()))["Properties"]["SourceSecurityGroupId"]
    assert list(source) == ["Fn::ImportValue"] and source["Fn::ImportValue"].startswith(f"{example['network'].stack_name}:")


def test_the_openobserve_target_group_checks_http_healthz(example) -> None:
    example["template"].has_resource_properties(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        {"Port": 5080, "TargetType": "ip", "HealthCheckProtocol": "HTTP", "HealthCheckPath": "/healthz"},
    )


def test_alarm_on_healthy_host_count(example) -> None:
    alarms = example["template"].find_resources("AWS::CloudWatch::Alarm")
    assert len(alarms) == 1
    alarm = next(iter(alarms.values()))["Properties"]
    assert (alarm["MetricName"], alarm["Namespace"], alarm["Threshold"], alarm["ComparisonOperator"]) == ("HealthyHostCount", "AWS/NetworkELB", 1, "LessThanThreshold")
    assert sorted(d["Name"] for d in alarm["Dimensions"]) == ["LoadBalancer", "TargetGroup"]
    assert alarm["TreatMissingData"] == "breaching"


def test_route53_alias_to_the_nlb(example) -> None:
    template = example["template"]
    template.has_resource_properties("AWS::Route53::HostedZone", {"Name": "internal.example.com.", "VPCs": [Match.object_like({"VPCId": {"Fn::ImportValue": Match.any_value()}})]})
    records = template.find_resources("AWS::Route53::RecordSet")
    assert len(records) == 1
    record = next(iter(records.values()))["Properties"]
    assert (record["Name"], record["Type"]) == ("redis.internal.example.com.", "A")
    (nlb_id,) = (i for i in template.find_resources("AWS::ElasticLoadBalancingV2::LoadBalancer") if i.startswith("DataLoadBalancer"))
    assert {"Fn::GetAtt": [nlb_id, "DNSName"]} in record["AliasTarget"]["DNSName"]["Fn::Join"][1]


def test_one_binding_output_per_service(example) -> None:
    outputs = example["template"].find_outputs("*")
    # <construct ID><Service>Binding, then CDK's digest of the path
    assert sorted(re.sub(r"Binding[0-9A-F]{8}$", "", key) for key in outputs) == ["DataKafka", "DataRedis", "ObservabilityOpenobserve"]


def test_cdk_nag_reports_real_findings(example) -> None:
    report = example["nag"]
    assert report, "AwsSolutionsChecks found nothing"
    # no access-log bucket in the example: both NLBs lack access logs
    assert "AwsSolutions-ELB2" in report
    assert "Edge/Data/LoadBalancer/Resource" in report and "Edge/Observability/LoadBalancer/Resource" in report


def test_the_edge_stack_has_termination_protection(example) -> None:
    """`cdk deploy` sets it from the cloud assembly, so `cdk destroy` is refused before anything goes."""
    assert example["edge"].termination_protection is True
