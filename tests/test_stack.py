"""Exact properties of the synthesized stack, pinned logical IDs, and the ID invariants."""

from __future__ import annotations

import json

import pytest
from aws_cdk.assertions import Match, Template

from shared_nlb.config import parse_config
from shared_nlb.config.rules import egress_rules
from tests.factories import all_settings, base_dict, example_dict, many_services

SG = {"Fn::GetAtt": ["LoadBalancerSecurityGroup", "GroupId"]}


@pytest.fixture(scope="session")
def template(example_template: dict) -> Template:
    return Template.from_json(example_template)


def resources(text: str) -> dict:
    return json.loads(text)["Resources"]


def test_logical_ids_are_pinned(example_template: dict) -> None:
    assert sorted(example_template["Resources"]) == sorted(
        [
            "LoadBalancer",
            "LoadBalancerSecurityGroup",
            "EgressToTcp5080",
            "EgressToTcp6380",
            "EgressToTcp9092",
            "KafkaTargetGroup",
            "KafkaListener",
            "KafkaIngressTcpFromSg0ec5000000000001a",
            "KafkaIngressTcpFromCidr10x20x0x0x16",
            "OpenobserveTargetGroup",
            "OpenobserveListener",
            "OpenobserveIngressTcpFromSg0ec5000000000001a",
            "OpenobserveIngressTcpFromCidr10x20x0x0x16",
            "RedisTargetGroup",
            "RedisListener",
            "RedisIngressTcpFromSg0ec5000000000001a",
            "RedisIngressTcpFromCidr10x20x0x0x16",
        ]
    )
    assert sorted(example_template["Outputs"]) == [
        "KafkaTargetGroupArn",
        "LoadBalancerArn",
        "LoadBalancerDnsName",
        "LoadBalancerSecurityGroupId",
        "OpenobserveTargetGroupArn",
        "RedisTargetGroupArn",
        "VpcId",
    ]


def test_one_internal_network_load_balancer_with_its_security_group(template: Template) -> None:
    template.resource_count_is("AWS::ElasticLoadBalancingV2::LoadBalancer", 1)
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        {
            "Type": "network",
            "Scheme": "internal",
            "Name": "shared-nlb-core",
            "IpAddressType": "ipv4",
            "Subnets": ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"],
            "SecurityGroups": [SG],
            "LoadBalancerAttributes": [
                {"Key": "deletion_protection.enabled", "Value": "true"},
                {"Key": "load_balancing.cross_zone.enabled", "Value": "false"},
            ],
        },
    )
    # The security group starts with CDK's match-nothing egress rule instead of allow-all.
    template.has_resource_properties(
        "AWS::EC2::SecurityGroup",
        {
            "VpcId": "vpc-0a1b2c3d4e5f60718",
            "SecurityGroupEgress": [Match.object_like({"CidrIp": "255.255.255.255/32", "IpProtocol": "icmp"})],
        },
    )


def test_target_groups_are_empty_ip_groups_without_names(example_template: dict) -> None:
    groups = {k: v["Properties"] for k, v in example_template["Resources"].items() if v["Type"].endswith("TargetGroup")}
    assert set(groups) == {"KafkaTargetGroup", "OpenobserveTargetGroup", "RedisTargetGroup"}
    for props in groups.values():
        assert props["TargetType"] == "ip"
        assert "Name" not in props and "Targets" not in props
        assert props["VpcId"] == "vpc-0a1b2c3d4e5f60718"
    assert groups["RedisTargetGroup"] == {
        "HealthCheckEnabled": True,
        "HealthCheckPort": "traffic-port",
        "HealthCheckProtocol": "TCP",
        "Port": 6380,
        "Protocol": "TCP",
        "Tags": [{"Key": "team", "Value": "platform"}],
        "TargetType": "ip",
        "VpcId": "vpc-0a1b2c3d4e5f60718",
    }
    kafka = groups["KafkaTargetGroup"]
    assert (kafka["Port"], kafka["HealthCheckIntervalSeconds"], kafka["HealthyThresholdCount"], kafka["UnhealthyThresholdCount"]) == (9092, 10, 3, 3)
    assert kafka["TargetGroupAttributes"] == [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}]
    assert (groups["OpenobserveTargetGroup"]["HealthCheckProtocol"], groups["OpenobserveTargetGroup"]["HealthCheckPath"]) == ("HTTP", "/healthz")


@pytest.mark.parametrize(
    ("listener", "port", "group"),
    [("RedisListener", 6379, "RedisTargetGroup"), ("KafkaListener", 31021, "KafkaTargetGroup"), ("OpenobserveListener", 5080, "OpenobserveTargetGroup")],
)
def test_each_listener_forwards_to_its_target_group(example_template: dict, listener: str, port: int, group: str) -> None:
    props = example_template["Resources"][listener]["Properties"]
    assert props["Port"] == port and props["Protocol"] == "TCP"
    assert props["LoadBalancerArn"] == {"Ref": "LoadBalancer"}
    assert props["DefaultActions"] == [{"TargetGroupArn": {"Ref": group}, "Type": "forward"}]


def test_security_group_rules_are_exactly_listener_ingress_and_target_egress(example_template: dict) -> None:
    rules = example_template["Resources"]
    ingress = sorted(
        (p["IpProtocol"], p["FromPort"], p["ToPort"], p.get("SourceSecurityGroupId") or p.get("CidrIp"))
        for r in rules.values()
        if r["Type"] == "AWS::EC2::SecurityGroupIngress"
        for p in [r["Properties"]]
    )
    assert ingress == sorted(
        (proto, port, port, source)
        for port in (6379, 31021, 5080)
        for proto, source in [("tcp", "sg-0ec5000000000001a"), ("tcp", "10.20.0.0/16")]
    )
    egress = sorted(
        (p["IpProtocol"], p["FromPort"], p["ToPort"], p["CidrIp"])
        for r in rules.values()
        if r["Type"] == "AWS::EC2::SecurityGroupEgress"
        for p in [r["Properties"]]
    )
    assert egress == [("tcp", port, port, "10.0.0.0/16") for port in (5080, 6380, 9092)]
    assert all(r["Properties"]["GroupId"] == SG for r in rules.values() if r["Type"].startswith("AWS::EC2::SecurityGroup") and r["Type"] != "AWS::EC2::SecurityGroup")


def test_outputs_and_exports(example_template: dict) -> None:
    outputs = example_template["Outputs"]
    assert outputs["RedisTargetGroupArn"]["Value"] == {"Ref": "RedisTargetGroup"}
    assert outputs["RedisTargetGroupArn"]["Export"] == {"Name": "shared-nlb-core-RedisTargetGroupArn"}
    assert outputs["LoadBalancerDnsName"]["Value"] == {"Fn::GetAtt": ["LoadBalancer", "DNSName"]}
    assert outputs["LoadBalancerSecurityGroupId"]["Value"] == SG
    assert outputs["VpcId"]["Value"] == "vpc-0a1b2c3d4e5f60718"


def test_no_exports_unless_asked(synth) -> None:
    outputs = json.loads(synth(base_dict()))["Outputs"]
    assert all("Export" not in o for o in outputs.values())


def test_environment_agnostic_by_default_and_pinned_when_asked(synth, example_template: dict) -> None:
    assert "us-east-1" not in json.dumps(example_template)
    data = base_dict()
    data["stack"] = {"account": "111111111111", "region": "ap-northeast-2"}
    template = json.loads(synth(data))
    assert template["Resources"]["LoadBalancer"]["Type"] == "AWS::ElasticLoadBalancingV2::LoadBalancer"


def test_udp_tcp_udp_and_tls_listeners(synth) -> None:
    arn = "arn:aws:acm:us-east-1:111111111111:certificate/12345678-1234-1234-1234-123456789012"
    data = base_dict(
        [
            {"name": "dns", "service_port": 53, "listener_port": 53, "protocol": "TCP_UDP"},
            {"name": "syslog", "service_port": 514, "listener_port": 514, "protocol": "UDP", "health_check": {"port": 8080}},
            {"name": "syslog-tcp", "service_port": 514, "listener_port": 1514, "protocol": "TCP"},
            {"name": "gw", "service_port": 8443, "target_port": 8080, "listener_port": 443, "protocol": "TLS", "certificate_arn": arn, "alpn_policy": "HTTP2Preferred"},
        ]
    )
    res = json.loads(synth(data))["Resources"]
    assert res["DnsListener"]["Properties"]["Protocol"] == "TCP_UDP"
    assert res["DnsTargetGroup"]["Properties"]["Protocol"] == "TCP_UDP"
    assert {"DnsIngressTcpFromSg0ec5000000000001a", "DnsIngressUdpFromSg0ec5000000000001a"} <= set(res)
    assert res["SyslogListener"]["Properties"]["Protocol"] == "UDP"
    assert res["SyslogTargetGroup"]["Properties"]["HealthCheckPort"] == "8080"
    assert res["SyslogTcpListener"]["Properties"]["Port"] == 1514
    tls = res["GwListener"]["Properties"]
    assert tls["Protocol"] == "TLS" and tls["Certificates"] == [{"CertificateArn": arn}]
    assert tls["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06" and tls["AlpnPolicy"] == ["HTTP2Preferred"]
    assert res["GwTargetGroup"]["Properties"]["Protocol"] == "TCP" and res["GwTargetGroup"]["Properties"]["Port"] == 8080
    egress = {k for k, v in res.items() if v["Type"] == "AWS::EC2::SecurityGroupEgress"}
    # UDP 514 to targets, TCP 8080 for the syslog health check and the TLS targets, TCP 514, DNS both ways
    assert egress == {"EgressToUdp53", "EgressToTcp53", "EgressToUdp514", "EgressToTcp514", "EgressToTcp8080"}


def test_prefix_list_ipv6_and_service_level_clients(synth) -> None:
    data = base_dict(
        [
            {"name": "a", "service_port": 1, "listener_port": 1, "clients": [{"prefix_list": "pl-0123456789abcdef0", "max_entries": 3}, {"cidr": "fd00::/8"}]},
            {"name": "b", "service_port": 2, "listener_port": 2},
        ]
    )
    data["load_balancer"] = {"ip_address_type": "dualstack"}  # IPv6 clients need a dualstack NLB
    res = json.loads(synth(data))["Resources"]
    ingress = {k: v["Properties"] for k, v in res.items() if v["Type"] == "AWS::EC2::SecurityGroupIngress"}
    assert set(ingress) == {"AIngressTcpFromPl0123456789abcdef0", "AIngressTcpFromCidr6fd000000000000000000000000000000x8", "BIngressTcpFromSg0ec5000000000001a"}
    assert ingress["AIngressTcpFromPl0123456789abcdef0"]["SourcePrefixListId"] == "pl-0123456789abcdef0"
    assert ingress["AIngressTcpFromCidr6fd000000000000000000000000000000x8"]["CidrIpv6"] == "fd00::/8"


def test_target_cidrs_and_path_mtu_discovery(synth) -> None:
    data = base_dict([{"name": "redis", "service_port": 6379, "listener_port": 6379}])
    data["network"]["target_cidrs"] = ["10.0.0.0/16", "100.64.0.0/16"]
    data["load_balancer"] = {"path_mtu_discovery": True}
    res = json.loads(synth(data))["Resources"]
    egress = {k: v["Properties"]["CidrIp"] for k, v in res.items() if v["Type"] == "AWS::EC2::SecurityGroupEgress"}
    # the VPC's CIDR keeps the ID config stacks have always had; a secondary pod CIDR gets its own
    assert egress == {"EgressToTcp6379": "10.0.0.0/16", "EgressToTcp6379ToCidr100x64x0x0x16": "100.64.0.0/16"}
    icmp = res["PathMtuDiscoveryFromSg0ec5000000000001a"]["Properties"]
    assert (icmp["IpProtocol"], icmp["FromPort"], icmp["ToPort"], icmp["SourceSecurityGroupId"]) == ("icmp", 3, 4, "sg-0ec5000000000001a")
    # the quotas the config model checks count exactly the rules the template holds
    config = parse_config(data)
    assert config.inbound_rule_count() == sum(1 for v in res.values() if v["Type"] == "AWS::EC2::SecurityGroupIngress") == 2
    assert len(egress_rules(config.services)) * len(config.network.pod_cidrs) == len(egress) == 2


def test_deletion_protection_is_on_unless_the_config_turns_it_off(synth) -> None:
    """Losing the NLB loses its DNS name for every client: a config that says nothing gets it protected."""

    def protection(data: dict) -> str:
        attributes = resources(synth(data))["LoadBalancer"]["Properties"]["LoadBalancerAttributes"]
        return next(a["Value"] for a in attributes if a["Key"] == "deletion_protection.enabled")

    data = base_dict()
    assert "load_balancer" not in data and protection(data) == "true"
    assert protection({**data, "load_balancer": {"deletion_protection": False}}) == "false"


def test_long_client_descriptions_stay_within_ec2s_255_characters(synth) -> None:
    data = base_dict([{"name": "a-" + "x" * 61, "service_port": 6379, "listener_port": 6379}])
    data["clients"] = [{"security_group": "sg-0ec5000000000001a", "description": "d" * 255}]
    res = json.loads(synth(data))["Resources"]
    (rule,) = [v["Properties"] for v in res.values() if v["Type"] == "AWS::EC2::SecurityGroupIngress"]
    # AWS::EC2::SecurityGroupIngress Description: up to 255 characters
    assert len(rule["Description"]) == 255 and rule["Description"].startswith(f"a-{'x' * 61} listener 6379/tcp from ddd")


def test_nlb_and_target_group_settings(synth) -> None:
    """Each setting as the AWS property or attribute it is (README, "NLB and target group settings")."""
    res = resources(synth(all_settings()))

    def attributes(logical_id: str, key: str) -> list[tuple[str, str]]:
        return [(a["Key"], a["Value"]) for a in res[logical_id]["Properties"][key]]

    assert res["LoadBalancer"]["Properties"]["MinimumLoadBalancerCapacity"] == {"CapacityUnits": 5500}
    assert attributes("LoadBalancer", "LoadBalancerAttributes")[2:] == [("dns_record.client_routing_policy", "availability_zone_affinity"), ("zonal_shift.config.enabled", "true")]
    assert attributes("KafkaTargetGroup", "TargetGroupAttributes") == [
        ("target_group_health.dns_failover.minimum_healthy_targets.count", "2"),
        ("target_group_health.dns_failover.minimum_healthy_targets.percentage", "off"),
        ("deregistration_delay.connection_termination.enabled", "true"),
        ("target_health_state.unhealthy.connection_termination.enabled", "false"),
        ("target_health_state.unhealthy.draining_interval_seconds", "300"),
    ]
    # zonal shift on a cross-zone NLB: connection termination for unhealthy targets is off on every group
    assert attributes("RedisTargetGroup", "TargetGroupAttributes") == [
        ("target_group_health.dns_failover.minimum_healthy_targets.percentage", "50"),
        ("target_health_state.unhealthy.connection_termination.enabled", "false"),
    ]


def test_settings_left_unset_add_nothing(example_template: dict, synth) -> None:
    """Unset settings are AWS's defaults and add no property; zonal shift without cross-zone leaves the
    target groups alone (AWS asks for unhealthy connection termination off only with cross-zone on)."""
    text = json.dumps(example_template)
    for key in ("MinimumLoadBalancerCapacity", "zonal_shift", "client_routing_policy", "target_health_state", "target_group_health", "connection_termination"):
        assert key not in text, key
    data = base_dict([{"name": "dns", "service_port": 53, "listener_port": 53, "protocol": "TCP_UDP"}])
    data["load_balancer"] = {"zonal_shift": True}
    res = resources(synth(data))
    assert {"Key": "zonal_shift.config.enabled", "Value": "true"} in res["LoadBalancer"]["Properties"]["LoadBalancerAttributes"]
    assert "TargetGroupAttributes" not in res["DnsTargetGroup"]["Properties"]


def test_same_config_twice_is_byte_identical(example_config) -> None:
    from shared_nlb.synth import template_text

    assert template_text(example_config) == template_text(example_config)


def test_reordering_services_changes_nothing(synth) -> None:
    data = example_dict()
    reordered = example_dict()
    reordered["services"] = list(reversed(reordered["services"]))
    assert synth(data) == synth(reordered)


def test_adding_a_service_changes_no_other_resource(synth) -> None:
    before = resources(synth(many_services(5)))
    grown = many_services(5)
    grown["services"].insert(2, {"name": "aaa-new", "service_port": 7000, "listener_port": 7000})
    after = resources(synth(grown))
    assert {k: after[k] for k in before} == before
    assert sorted(set(after) - set(before)) == ["AaaNewIngressTcpFromSg0ec5000000000001a", "AaaNewListener", "AaaNewTargetGroup", "EgressToTcp7000"]


def test_removing_a_service_leaves_the_others_unchanged(synth) -> None:
    before = resources(synth(many_services(5)))
    shrunk = many_services(5)
    del shrunk["services"][2]  # svc-03
    after = resources(synth(shrunk))
    assert {k: before[k] for k in after} == after
    assert sorted(set(before) - set(after)) == ["EgressToTcp8003", "Svc03IngressTcpFromSg0ec5000000000001a", "Svc03Listener", "Svc03TargetGroup"]


def test_fifty_services(synth) -> None:
    template = json.loads(synth(many_services(50)))
    types = [r["Type"] for r in template["Resources"].values()]
    assert types.count("AWS::ElasticLoadBalancingV2::Listener") == 50
    assert types.count("AWS::ElasticLoadBalancingV2::TargetGroup") == 50
    assert len(template["Outputs"]) == 54


def test_example_template_snapshot(example_template_text: str, snapshot) -> None:
    assert example_template_text == snapshot


@pytest.mark.parametrize(("setting", "protected"), [({}, True), ({"termination_protection": True}, True), ({"termination_protection": False}, False)])
def test_termination_protection_is_on_unless_the_config_opts_out(tmp_path, setting: dict, protected: bool) -> None:
    """Termination protection is not in the template: `cdk deploy` reads it from the cloud assembly's
    manifest and sets it on the stack (UpdateTerminationProtection), so that is where it is checked."""
    from shared_nlb.config import parse_config
    from shared_nlb.synth import add_stacks, new_app, synthesize

    data = base_dict()
    data["stack"] = setting
    app = new_app(outdir=str(tmp_path))
    (stack,) = add_stacks(app, parse_config(data))
    assert stack.termination_protection is protected
    synthesize(app)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["artifacts"][stack.artifact_id]["properties"]["terminationProtection"] is protected
