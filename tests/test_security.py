"""Secure by default, proven: cfn-lint and cdk-nag over synthesized templates, and openness rules."""

from __future__ import annotations

import json
import tempfile

import pytest

from shared_nlb.config import parse_config
from shared_nlb.lint import lint_template
from tests.factories import all_settings, base_dict, example_dict, many_services
from tests.test_reach import reach_dict

ARN = "arn:aws:acm:us-east-1:111111111111:certificate/12345678-1234-1234-1234-123456789012"


def mixed() -> dict:
    data = base_dict(
        [
            {"name": "dns", "service_port": 53, "listener_port": 53, "protocol": "TCP_UDP"},
            {"name": "syslog", "service_port": 514, "listener_port": 514, "protocol": "UDP", "health_check": {"port": 8080, "protocol": "HTTP", "path": "/ready"}},
            {"name": "gw", "service_port": 8443, "listener_port": 443, "protocol": "TLS", "certificate_arn": ARN, "proxy_protocol_v2": True, "preserve_client_ip": True},
        ]
    )
    data["load_balancer"] = {"access_logs": {"bucket": "my-nlb-logs", "prefix": "core"}, "cross_zone": True, "path_mtu_discovery": True}
    data["network"]["target_cidrs"] = ["10.0.0.0/16", "100.64.0.0/16"]
    data["clients"].append({"prefix_list": "pl-0123456789abcdef0", "max_entries": 5})
    return data


def internet_facing() -> dict:
    data = base_dict([{"name": "web", "service_port": 443, "listener_port": 443}])
    data["load_balancer"] = {"scheme": "internet-facing", "ip_address_type": "dualstack"}
    data["clients"] = [{"cidr": "0.0.0.0/0", "allow_anywhere": True}, {"cidr": "::/0", "allow_anywhere": True}]
    return data


CONFIGS = {"example": example_dict, "fifty": lambda: many_services(50), "mixed": mixed, "internet-facing": internet_facing, "settings": all_settings, "reach": reach_dict}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_cfn_lint_is_clean(synth, name: str) -> None:
    assert lint_template(synth(CONFIGS[name]()), name=name) == []


def test_cfn_lint_reports_a_broken_template(example_template: dict) -> None:
    broken = json.loads(json.dumps(example_template))
    broken["Resources"]["RedisListener"]["Properties"]["Protocol"] = "SCTP"
    problems = lint_template(json.dumps(broken), name="broken")
    assert problems and all(line.startswith("broken:") for line in problems)
    assert any("SCTP" in line for line in problems)


def nag_findings(data: dict) -> str:
    """Synthesize with cdk-nag's AwsSolutions pack; '' when it passes, else its report."""
    from aws_cdk import Validations
    from cdk_nag import AwsSolutionsChecks

    from shared_nlb.synth import build_app

    with tempfile.TemporaryDirectory() as outdir:
        app, _ = build_app(parse_config(data), outdir=outdir)
        Validations.of(app).add_plugins(AwsSolutionsChecks())
        try:
            app.synth()
        except Exception as error:  # jsii raises the plugin's report as a plain error
            return str(error)
    return ""


@pytest.mark.parametrize("name", ["example", "mixed", "internet-facing", "reach"])
def test_cdk_nag_aws_solutions_passes(name: str) -> None:
    assert nag_findings(CONFIGS[name]()) == ""


def test_cdk_nag_acknowledgment_is_tied_to_the_reason() -> None:
    """Access logs on: no acknowledgment is needed and none hides a finding. The internet-facing case
    is acknowledged only for clients that asked for it: a plain CIDR rule is not acknowledged."""
    data = internet_facing()
    data["clients"].append({"cidr": "203.0.113.0/24"})
    assert nag_findings(data) == ""
    from shared_nlb.synth import build_app

    app, stack = build_app(parse_config(data))
    acknowledged = {
        stack.resolve(rule.logical_id)
        for rule in stack.shared_nlb.services["web"].ingress_rules.values()
        if any("acknowledg" in entry.type for entry in rule.node.metadata)
    }
    assert acknowledged >= {"WebIngressTcpFromCidr0x0x0x0x0"}
    assert "WebIngressTcpFromCidr203x0x113x0x24" not in acknowledged


def test_security_group_never_allows_all_egress(synth) -> None:
    for name, make in CONFIGS.items():
        resources = json.loads(synth(make()))["Resources"]
        for resource in resources.values():
            if resource["Type"] == "AWS::EC2::SecurityGroupEgress":
                props = resource["Properties"]
                assert props["CidrIp"] in parse_config(make()).network.pod_cidrs, name
                assert props["IpProtocol"] in ("tcp", "udp") and props["FromPort"] == props["ToPort"], name
        group = resources["LoadBalancerSecurityGroup"]["Properties"]
        assert group["SecurityGroupEgress"][0]["CidrIp"] == "255.255.255.255/32", name
