"""`protocol: QUIC` and `TCP_QUIC`: every AWS rule both ways in the config and the construct, the
template (the escape hatch for aws-cdk-lib's missing protocols, an NLB without a security group),
and the bindings of such an NLB (the pods admit the clients and the VPC's CIDR)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from shared_nlb import crd, naming
from shared_nlb.config import parse_config
from shared_nlb.manifests import render_tree_from_outputs
from tests.factories import base_dict
from tests.fake_outputs import outputs_for
from tests.test_config import problems_of

CLIENT_SG = "sg-0ec5000000000001a"


def quic(*services: dict, **load_balancer: Any) -> dict:
    """A config of `services` (default: one QUIC service) on an NLB without a security group, and `load_balancer` settings."""
    data = base_dict(list(services) or [svc()])
    data["load_balancer"] = {"security_group": False, **load_balancer}
    data["clients"] = [{"cidr": "10.20.0.0/16"}, {"security_group": CLIENT_SG}]
    return data


def svc(name: str = "h3", port: int = 443, protocol: str = "QUIC", **fields: Any) -> dict:
    return {"name": name, "service_port": port, "listener_port": port, "protocol": protocol, "health_check": {"port": 8080}, **fields}


# --- the config, each rule both ways --------------------------------------------------------------------
def test_quic_and_tcp_quic_services_on_an_nlb_without_a_security_group_are_valid() -> None:
    config = parse_config(quic(svc()))
    assert config.load_balancer.security_group is False
    assert config.services[0].target_rules() == [("tcp", 8080), ("udp", 443)]
    tcp_quic = parse_config(quic(svc(protocol="TCP_QUIC"), svc("api", 8443, "TCP")))
    assert tcp_quic.services[0].target_rules() == [("tcp", 443), ("tcp", 8080), ("udp", 443)]
    assert tcp_quic.services[0].target_protocol == "TCP_QUIC"  # a TCP_QUIC listener's group is TCP_QUIC


SG_LINE = "c.yaml: services[0].protocol: QUIC is not allowed on an NLB with a security group (AWS refuses QUIC and TCP_QUIC listeners there); give this NLB security_group: false"
BAD: list[tuple[str, dict, list[str]]] = [
    ("with-a-security-group", {**quic(), "load_balancer": {}}, [SG_LINE]),
    ("dualstack", quic(ip_address_type="dualstack"), ["c.yaml: services[0].protocol: QUIC is not allowed on a dualstack NLB; use ip_address_type: ipv4"]),
    ("two-quic-listeners", quic(svc(), svc("h3b", 8443, "TCP_QUIC")), [
        "c.yaml: services[1].protocol: TCP_QUIC is a second QUIC or TCP_QUIC listener on this NLB (the first is 'h3'); AWS allows one per NLB: move it to another NLB"
    ]),
    ("beside-udp", quic(svc(), svc("dns", 53, "UDP")), ["c.yaml: services[0].protocol: QUIC is not allowed on an NLB that also has UDP or TCP_UDP listeners; move one to another NLB"]),
    ("zonal-shift-cross-zone", quic(zonal_shift=True, cross_zone=True), [
        "c.yaml: services[0].protocol: QUIC is not allowed with load_balancer.zonal_shift and cross_zone both on: zonal shift of a cross-zone NLB needs TCP or TLS target groups; allowed: TCP or TLS, or turn off cross_zone or zonal_shift"
    ]),
    ("prefix-list-without-group", {**quic(), "clients": [{"prefix_list": "pl-0123456789abcdef0", "max_entries": 5}]}, [
        "c.yaml: clients[0].prefix_list: needs the NLB's security group (a binding admits security groups and CIDRs only); with load_balancer.security_group: false list its CIDRs or a security group"
    ]),
    ("path-mtu-without-group", quic(path_mtu_discovery=True), ["c.yaml: load_balancer.path_mtu_discovery: needs the NLB's security group; remove it with load_balancer.security_group: false"]),
    ("privatelink-enforcement-without-group", {**quic(), "privatelink": {"allowed_principals": ["arn:aws:iam::333333333333:root"], "enforce_inbound_rules": True}}, [
        "c.yaml: privatelink.enforce_inbound_rules: needs the NLB's security group; remove it with load_balancer.security_group: false (the pods' rules admit the clients)"
    ]),
    ("auto-mode-without-group", {**quic(), "clusters": [{"name": "auto", "controller": "eks-auto-mode", "node_security_group": "sg-0a0a0a0a0a0a0a0a0"}]}, [
        "c.yaml: clusters[0].controller: eks-auto-mode cannot bind the target groups of an NLB without a security group (Auto Mode supports only Security Group Mode for NLBs); bind them from an aws-load-balancer-controller cluster, or keep load_balancer.security_group: true (then no QUIC)"
    ]),
    ("controller-before-quic", {**quic(), "clusters": [{"name": "blue", "controller_version": "v2.14.1"}]}, [
        "c.yaml: clusters[0].controller_version: cluster 'blue' runs v2.14.1, which has no QUIC target groups in its TargetGroupBinding (asked for by the QUIC or TCP_QUIC services); allowed: v2.15.0 or later"
    ]),
]


@pytest.mark.parametrize(("data", "expected"), [(d, e) for _, d, e in BAD], ids=[name for name, _, _ in BAD])
def test_bad_quic_configs_get_exact_lines(data: dict, expected: list[str]) -> None:
    assert problems_of(data) == expected


def test_what_the_rules_refuse_passes_when_the_rule_is_met() -> None:
    parse_config(quic(svc(), svc("api", 8443, "TCP")))  # beside TCP
    parse_config(quic(zonal_shift=True))  # zonal shift without cross-zone
    parse_config({**quic(), "clusters": [{"name": "blue", "controller_version": "v2.15.0"}]})
    parse_config({**quic(), "privatelink": {"allowed_principals": ["arn:aws:iam::333333333333:root"], "enforce_inbound_rules": False}})
    # without QUIC, an NLB without a group takes any protocol, UDP included
    parse_config(quic(svc("dns", 53, "UDP")))


# --- the template -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def template(synth) -> dict:
    return json.loads(synth(quic(svc(), svc("api", 8443, "TCP"))))


def of_type(template: dict, kind: str) -> dict[str, dict]:
    return {k: v.get("Properties", {}) for k, v in template["Resources"].items() if v["Type"] == kind}


def test_the_template_has_quic_listener_and_group_and_no_security_group(template) -> None:
    listeners, groups = of_type(template, "AWS::ElasticLoadBalancingV2::Listener"), of_type(template, "AWS::ElasticLoadBalancingV2::TargetGroup")
    assert {k: v["Protocol"] for k, v in listeners.items()} == {"H3Listener": "QUIC", "ApiListener": "TCP"}
    assert {k: (v["Protocol"], v["Port"], v["TargetType"]) for k, v in groups.items()} == {"H3TargetGroup": ("QUIC", 443, "ip"), "ApiTargetGroup": ("TCP", 8443, "ip")}
    assert groups["H3TargetGroup"]["HealthCheckPort"] == "8080"
    (lb,) = of_type(template, "AWS::ElasticLoadBalancingV2::LoadBalancer").values()
    assert "SecurityGroups" not in lb
    for kind in ("AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"):
        assert of_type(template, kind) == {}
    assert naming.SECURITY_GROUP_OUTPUT not in template["Outputs"] and naming.LOAD_BALANCER_ARN_OUTPUT in template["Outputs"]


def test_a_tcp_quic_service_gets_a_tcp_quic_listener_and_group(synth) -> None:
    template = json.loads(synth(quic(svc(protocol="TCP_QUIC"))))
    assert [v["Protocol"] for v in of_type(template, "AWS::ElasticLoadBalancingV2::Listener").values()] == ["TCP_QUIC"]
    assert [v["Protocol"] for v in of_type(template, "AWS::ElasticLoadBalancingV2::TargetGroup").values()] == ["TCP_QUIC"]


# --- the bindings -------------------------------------------------------------------------------------
def test_bindings_of_an_nlb_without_a_group_admit_the_clients_and_the_vpc() -> None:
    config = parse_config(quic(svc(), svc("api", 8443, "TCP")))
    tree = render_tree_from_outputs(config, outputs_for(config))
    docs = {doc["spec"]["serviceRef"]["port"]: doc for doc in (yaml.safe_load(t) for p, t in tree.items() if not p.endswith("kustomization.yaml"))}
    assert crd.validate_bindings(list(docs.values())) == []
    (ingress,) = docs[443]["spec"]["networking"]["ingress"]
    assert ingress["from"] == [{"ipBlock": {"cidr": "10.0.0.0/16"}}, {"ipBlock": {"cidr": "10.20.0.0/16"}}, {"securityGroup": {"groupID": CLIENT_SG}}]
    assert ingress["ports"] == [{"port": 8080, "protocol": "TCP"}, {"port": 443, "protocol": "UDP"}]
    assert docs[8443]["spec"]["networking"]["ingress"][0]["from"] == ingress["from"]


# --- the construct ------------------------------------------------------------------------------------
def construct_errors(*services: tuple[str, int, Any], **settings: Any) -> list[str]:
    """Synth errors of the construct with `services` (name, port, protocol) and `settings`."""
    from tests.test_auto_mode import edge

    _, shared = edge(**settings)
    for name, port, protocol in services:
        shared.add_service(name, service_port=port, listener_port=port, protocol=protocol)
    return [str(e) for e in shared.node.validate()]


def test_the_construct_enforces_the_quic_rules_both_ways() -> None:
    from aws_cdk import aws_ec2 as ec2
    from aws_cdk import aws_elasticloadbalancingv2 as elbv2

    assert construct_errors(("h3", 443, "QUIC"), ("api", 8443, elbv2.Protocol.TCP), security_group_enabled=False) == []
    assert construct_errors(("h3", 443, "QUIC")) == ["service 'h3': QUIC is not allowed on an NLB with a security group (AWS refuses QUIC and TCP_QUIC listeners there); give this NLB security_group_enabled=False"]
    assert construct_errors(("h3", 443, "QUIC"), ("dns", 53, elbv2.Protocol.UDP), ("h3b", 8443, "TCP_QUIC"), security_group_enabled=False) == [
        "service 'h3': QUIC is not allowed on an NLB that also has UDP or TCP_UDP listeners; move one to another NLB",
        "service 'h3b': TCP_QUIC is a second QUIC or TCP_QUIC listener on this NLB (the first is 'h3'); AWS allows one per NLB: move it to another NLB",
        "service 'h3b': TCP_QUIC is not allowed on an NLB that also has UDP or TCP_UDP listeners; move one to another NLB",
    ]
    assert construct_errors(("h3", 443, "QUIC"), security_group_enabled=False, ip_address_type=elbv2.IpAddressType.DUAL_STACK) == ["service 'h3': QUIC is not allowed on a dualstack NLB; use ip_address_type: ipv4"]
    assert construct_errors(("h3", 443, "QUIC"), security_group_enabled=False, zonal_shift=True, cross_zone_enabled=True) == [
        "service 'h3': QUIC target groups cannot take part in zonal shift with cross-zone load balancing on; use TCP or TLS, or turn off cross_zone_enabled or zonal_shift"
    ]
    assert construct_errors(("h3", 443, "QUIC"), security_group_enabled=False, clients=[ec2.Peer.prefix_list("pl-0123456789abcdef0")]) == [
        "service 'h3': client pl-0123456789abcdef0 is a prefix list, which needs the NLB's security group (security_group_enabled is False)"
    ]


def test_the_construct_refuses_what_needs_the_group_it_does_not_have() -> None:
    from tests.test_auto_mode import edge

    with pytest.raises(ValueError, match="SharedNetworkLoadBalancer: path_mtu_discovery needs the NLB's security group; security_group_enabled is False"):
        edge(security_group_enabled=False, path_mtu_discovery=True)
    _, shared = edge(security_group_enabled=False)
    assert shared.security_group is None and shared.connections.security_groups == []
    with pytest.raises(ValueError, match="allow_to_nodes 'auto': the NLB has no security group"):
        shared.allow_to_nodes("auto", "sg-0a0a0a0a0a0a0a0a0")


def test_binding_outputs_of_an_nlb_without_a_group_carry_its_peers_and_make_its_bindings() -> None:
    from aws_cdk import aws_ec2 as ec2
    from aws_cdk.assertions import Template

    from shared_nlb.binding_outputs import parse_binding_outputs
    from shared_nlb.manifests import binding_documents
    from tests.test_auto_mode import edge
    from tests.test_binding_outputs import ARN, binding

    stack, shared = edge(security_group_enabled=False, clients=[ec2.Peer.ipv4("10.20.0.0/16")])
    shared.add_service("h3", service_port=443, listener_port=443, protocol="QUIC")
    (value,) = [o["Value"] for k, o in Template.from_stack(stack).find_outputs("*").items() if "Binding" in k]
    text = json.dumps(value)
    assert '\\"ingressFrom\\":[[\\"cidr\\",\\"10.0.0.0/16\\"],[\\"cidr\\",\\"10.20.0.0/16\\"]]' in text and "securityGroupId" not in text
    # read back: the peers become the binding's ipBlocks
    peers = [["cidr", "10.0.0.0/16"], ["securityGroup", CLIENT_SG]]
    (spec,) = parse_binding_outputs({"Edge": {"K": binding(securityGroupId=None, ingressFrom=peers)}})
    assert (spec.security_group_id, spec.ingress_from) == (None, (("cidr", "10.0.0.0/16"), ("security_group", CLIENT_SG)))
    (doc,) = binding_documents([spec]).values()
    assert doc["spec"]["networking"]["ingress"][0]["from"] == [{"ipBlock": {"cidr": "10.0.0.0/16"}}, {"securityGroup": {"groupID": CLIENT_SG}}]
    # malformed or ambiguous peers are refused in one line
    from shared_nlb.errors import UserError

    for bad, line in (
        (binding(securityGroupId=None, ingressFrom=[["prefixList", "pl-0123456789abcdef0"]]), "ingressFrom [['prefixList', 'pl-0123456789abcdef0']] is not a list of [cidr, <CIDR>] or [securityGroup, sg-...]"),
        (binding(ingressFrom=peers), "has both securityGroupId and ingressFrom; deploy again with this shared-nlb's construct"),
    ):
        with pytest.raises(UserError) as caught:
            parse_binding_outputs({"Edge": {"K": bad}})
        assert str(caught.value) == f"outputs: stack Edge output K: {line}"
    assert ARN in binding()


# --- a deploy on the stand-in ---------------------------------------------------------------------------
@pytest.mark.e2e
def test_a_quic_service_deploys_on_the_stand_in_and_its_bindings_follow(aws, tmp_path) -> None:
    from shared_nlb.manifests import render_tree
    from tests.test_nlb_lifecycle import Deployer

    data = {**quic(svc(), svc("api", 8443, "TCP")), "name": "quic-e2e"}
    deployer = Deployer(aws, tmp_path, data)
    outputs = deployer.deploy(deployer.data)["shared-nlb-quic-e2e"]
    assert naming.SECURITY_GROUP_OUTPUT not in outputs and naming.LOAD_BALANCER_ARN_OUTPUT in outputs
    elbv2 = aws.client("elbv2")
    (balancer,) = elbv2.describe_load_balancers(LoadBalancerArns=[outputs["LoadBalancerArn"]])["LoadBalancers"]
    assert not balancer.get("SecurityGroups")
    listeners = elbv2.describe_listeners(LoadBalancerArn=outputs["LoadBalancerArn"])["Listeners"]
    assert sorted((listener["Port"], listener["Protocol"]) for listener in listeners) == [(443, "QUIC"), (8443, "TCP")]
    (group,) = elbv2.describe_target_groups(TargetGroupArns=[outputs["H3TargetGroupArn"]])["TargetGroups"]
    assert (group["Protocol"], group["TargetType"], group["HealthCheckPort"]) == ("QUIC", "ip", "8080")
    tree = render_tree(parse_config(deployer.data), deployer.out)
    docs = [yaml.safe_load(text) for path, text in tree.items() if not path.endswith("kustomization.yaml")]
    assert crd.validate_bindings(docs) == [] and {d["spec"]["targetGroupARN"] for d in docs} == {outputs["H3TargetGroupArn"], outputs["ApiTargetGroupArn"]}
