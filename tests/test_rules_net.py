"""A second, wider net under the config rules: generated configs through validate and synth, and every
synthesized template checked against AWS's rules, written here from AWS's documentation and not from
the model's code. A rule the model forgets shows up as a config that validates but whose template
AWS would reject (or that does not synthesize at all).

Each example synthesizes once (0.3-1 s), so the examples are few and derandomized: the same configs
on every run.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from shared_nlb.config import ConfigError, parse_config
from tests.factories import base_dict

ARN = "arn:aws:acm:us-east-1:111111111111:certificate/12345678-1234-1234-1234-123456789012"
DESCRIPTION_CHARS = "abcXYZ019 ._-:/()#,@[]+=&;{}!$*"

descriptions = st.none() | st.text(alphabet=DESCRIPTION_CHARS, min_size=1, max_size=255)
sources = st.one_of(
    st.builds(lambda n: {"security_group": f"sg-0ec5{n:013x}"}, st.integers(0, 3)),
    st.builds(lambda n, p: {"cidr": f"10.{n}.0.0/{p}"}, st.integers(1, 3), st.sampled_from([16, 24])),
    st.builds(lambda n: {"cidr": f"fd00:{n:x}::/48"}, st.integers(1, 3)),
    st.builds(lambda n, m: {"prefix_list": f"pl-0{n:016x}", "max_entries": m}, st.integers(0, 2), st.sampled_from([1, 5, 20])),
)
def source_of(client: dict[str, Any]) -> Any:
    return client.get("security_group") or client.get("cidr") or client.get("prefix_list")


def client_lists(max_size: int) -> st.SearchStrategy[list[dict[str, Any]]]:
    client = st.builds(lambda s, d: {**s, **({"description": d} if d else {})}, sources, descriptions)
    return st.lists(client, min_size=1, max_size=max_size, unique_by=source_of)


@st.composite
def health_checks(draw: st.DrawFn) -> dict[str, Any]:
    check: dict[str, Any] = {"protocol": draw(st.sampled_from(["TCP", "HTTP", "HTTPS"]))}
    interval = draw(st.sampled_from([None, 5, 10, 30, 300]))
    if interval is not None:
        check["interval_seconds"] = interval
    if draw(st.booleans()):
        check["timeout_seconds"] = draw(st.sampled_from([2, 4, min((interval or 30) - 1, 120)]))
    return check


@st.composite
def services(draw: st.DrawFn, index: int, port: int, protocols: list[str], small: bool) -> dict[str, Any]:
    protocol = draw(st.sampled_from(protocols))
    service: dict[str, Any] = {"name": f"svc-{index}", "service_port": draw(st.sampled_from([80, 5432, 6379, 9092])), "listener_port": port, "protocol": protocol}
    if protocol == "TLS":
        service["certificate_arn"] = ARN
    preserve = draw(st.sampled_from([True, False, None]))
    if preserve is not None:
        service["preserve_client_ip"] = preserve
    if small and draw(st.booleans()):
        service["health_check"] = draw(health_checks())
    if small and draw(st.integers(0, 3)) == 0:
        service["clients"] = draw(client_lists(3))
    return service


# One change that no rule allows, in one config of four: the config must fail with one-line problems.
BREAKAGES: list[tuple[str, Any]] = [
    ("protocol", "tcp"), ("listener_port", 70000), ("service_port", "Bad_Name"), ("health_check", {"interval_seconds": 1}),
    ("clients", [{"cidr": "10.1.2.3"}]), ("health_check", {"interval_seconds": 10, "timeout_seconds": 10}),
    ("certificate_arn", None), ("listener_port", "clash"), ("clients", "twice"),
]


@st.composite
def configs(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.sampled_from([1, 2, 3, 4, 6, 50]))
    if count > 6:  # near the listener quota: one TCP port space each, one client, no health checks
        data = base_dict([draw(services(i, 1000 + i, ["TCP", "TLS"], small=False)) for i in range(count)])
        data["clients"] = draw(client_lists(1))
    else:  # ports from a small range: any two services may be TCP and UDP or TCP_UDP on one port
        ports = draw(st.permutations([53, 80, 443, 8080, 8443, 9092]))
        data = base_dict([draw(services(i, ports[i], ["TCP", "UDP", "TCP_UDP", "TLS"], small=True)) for i in range(count)])
        data["clients"] = draw(client_lists(4))
    if draw(st.integers(0, 3)) == 0:
        key, value = draw(st.sampled_from(BREAKAGES))
        service = data["services"][draw(st.integers(0, count - 1))]
        if value == "clash":
            service["listener_port"] = data["services"][0]["listener_port"] if service is not data["services"][0] else 70000
        elif value == "twice":
            data["clients"] = data["clients"] + data["clients"][:1]
        elif value is None:
            service["protocol"], service["certificate_arn"] = "TLS", None
            del service["certificate_arn"]
        else:
            service[key] = value
    return data


# --- the checks, from AWS's documentation ------------------------------------------------------------
def resources(template: dict, kind: str) -> list[dict]:
    return [r.get("Properties", {}) for r in template["Resources"].values() if r["Type"] == f"AWS::{kind}"]


def listener_ports_unique(template: dict) -> list[str]:
    # (a) An NLB keys its listeners by port alone: a second listener on a port fails with
    # DuplicateListener ("Listeners for your Network Load Balancers": TCP and UDP on one port is TCP_UDP).
    ports = [p["Port"] for p in resources(template, "ElasticLoadBalancingV2::Listener")]
    return [f"two listeners on port {port}" for port in sorted(set(ports)) if ports.count(port) > 1]


def client_ip_preserved_for_udp(template: dict) -> list[str]:
    # (b) ELB TargetGroupAttribute reference, preserve_client_ip.enabled: "Client IP preservation
    # can't be disabled for UDP and TCP_UDP target groups."
    found = []
    for group in resources(template, "ElasticLoadBalancingV2::TargetGroup"):
        attributes = {a["Key"]: a["Value"] for a in group.get("TargetGroupAttributes", [])}
        if group["Protocol"] in ("UDP", "TCP_UDP") and attributes.get("preserve_client_ip.enabled") == "false":
            found.append(f"{group['Protocol']} target group on port {group['Port']} disables client IP preservation")
    return found


def rules_of(template: dict, direction: str) -> list[dict]:
    """Ingress or Egress rules of the NLB's group: its own resources, and the ones written inline in
    the group (aws-cdk's 'Disallow all traffic' placeholder is a real rule to AWS)."""
    inline = [rule for group in resources(template, "EC2::SecurityGroup") for rule in group.get(f"SecurityGroup{direction}", [])]
    return resources(template, f"EC2::SecurityGroup{direction}") + inline


def descriptions_fit(template: dict) -> list[str]:
    # (c) EC2 AuthorizeSecurityGroupIngress/Egress, IpPermission Description: "Constraints: Up to 255
    # characters in length."
    return [
        f"{direction} rule description of {len(rule['Description'])} characters"
        for direction in ("Ingress", "Egress")
        for rule in rules_of(template, direction)
        if len(rule.get("Description", "")) > 255
    ]


def rule_quota(template: dict, prefix_list_entries: dict[str, int]) -> list[str]:
    # (d) VPC quota "Inbound or outbound rules per security group": 60 each way. A rule whose source
    # is a prefix list counts as the list's maximum number of entries.
    # The config says each prefix list's max entries (`clients[].max_entries`), as EC2 would.
    found = []
    for direction in ("Ingress", "Egress"):
        count = sum(prefix_list_entries.get(rule.get("SourcePrefixListId") or rule.get("DestinationPrefixListId"), 1) for rule in rules_of(template, direction))
        if count > 60:
            found.append(f"{count} {direction.lower()} rules in one security group")
    return found


def listener_quota(template: dict) -> list[str]:
    # (e) ELB quota "Listeners per Network Load Balancer": 50.
    count = len(resources(template, "ElasticLoadBalancingV2::Listener"))
    return [f"{count} listeners on one NLB"] if count > 50 else []


def health_check_timeout_fits(template: dict) -> list[str]:
    # (f) ELB CreateTargetGroup, HealthCheckTimeoutSeconds and HealthCheckIntervalSeconds: a health
    # check may not time out after the next one is due, so the timeout is at most the interval (the
    # model asks for strictly less, which is stricter).
    return [
        f"target group on port {g['Port']}: timeout {g['HealthCheckTimeoutSeconds']} s not below interval {g['HealthCheckIntervalSeconds']} s"
        for g in resources(template, "ElasticLoadBalancingV2::TargetGroup")
        if "HealthCheckTimeoutSeconds" in g and "HealthCheckIntervalSeconds" in g and g["HealthCheckTimeoutSeconds"] > g["HealthCheckIntervalSeconds"]
    ]


def tls_listeners_have_certificates(template: dict) -> list[str]:
    # (g) ELB CreateListener, Certificates: "If the protocol is HTTPS or TLS, you must specify exactly
    # one certificate" (CertificateNotFound otherwise).
    return [
        f"TLS listener on port {listener['Port']} without a certificate"
        for listener in resources(template, "ElasticLoadBalancingV2::Listener")
        if listener["Protocol"] == "TLS" and len(listener.get("Certificates", [])) != 1
    ]


CHECKS = [listener_ports_unique, client_ip_preserved_for_udp, descriptions_fit, rule_quota, listener_quota, health_check_timeout_fits, tls_listeners_have_certificates]
ONE_LINE = re.compile(r"c\.yaml(:\d+)?: [^\n]+")


def prefix_list_entries(data: dict[str, Any]) -> dict[str, int]:
    """Prefix list ID -> its max entries, from every client list of a config."""
    lists = [data.get("clients") or []] + [s.get("clients") or [] for s in data.get("services", [])]
    return {c["prefix_list"]: c.get("max_entries", 1) for clients in lists for c in clients if c.get("prefix_list")}


def breaks(template: dict, checks: list[Any] = CHECKS, entries: dict[str, int] | None = None) -> list[str]:
    return [problem for check in checks for problem in (check(template, entries or {}) if check is rule_quota else check(template))]


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(configs())
def test_a_config_that_validates_gives_a_template_aws_accepts(data: dict[str, Any]) -> None:
    from shared_nlb.synth import template_text

    try:
        config = parse_config(data, file="c.yaml")
    except ConfigError as error:
        lines = [str(p) for p in error.problems]
        assert lines and all(ONE_LINE.fullmatch(line) for line in lines), lines
        assert not any("Traceback" in line or "validation error" in line or "errors.pydantic.dev" in line for line in lines), lines
        event("refused")
        return
    event(f"synthesized, {len(config.services)} services")
    try:
        template = json.loads(template_text(config))
    except Exception as error:  # noqa: BLE001  a config that validates must synthesize
        pytest.fail(f"validates but does not synthesize ({type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}):\n{json.dumps(data)}")
    assert breaks(template, CHECKS, prefix_list_entries(data)) == [], json.dumps(data)


def test_the_disagreement_the_net_found_is_refused() -> None:
    # Found by the net: a UDP service with preserve_client_ip: false validated, and its target group
    # turned client IP preservation off, which AWS refuses; the model now refuses the config.
    data = base_dict([{"name": "svc-0", "service_port": 80, "listener_port": 53, "protocol": "UDP", "preserve_client_ip": False}])
    with pytest.raises(ConfigError, match="preserve_client_ip: false is not allowed for protocol UDP"):
        parse_config(data)


def template_of(**resources_by_id: dict) -> dict:
    return {"Resources": {key: {"Type": kind, "Properties": props} for key, (kind, props) in resources_by_id.items()}}


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        (template_of(A=("AWS::ElasticLoadBalancingV2::Listener", {"Port": 53, "Protocol": "TCP"}), B=("AWS::ElasticLoadBalancingV2::Listener", {"Port": 53, "Protocol": "UDP"})), "two listeners on port 53"),
        (template_of(A=("AWS::ElasticLoadBalancingV2::TargetGroup", {"Port": 53, "Protocol": "UDP", "TargetGroupAttributes": [{"Key": "preserve_client_ip.enabled", "Value": "false"}]})), "UDP target group on port 53 disables client IP preservation"),
        (template_of(A=("AWS::EC2::SecurityGroupIngress", {"Description": "x" * 256})), "Ingress rule description of 256 characters"),
        (template_of(**{f"E{i}": ("AWS::EC2::SecurityGroupEgress", {}) for i in range(61)}), "61 egress rules in one security group"),
        (template_of(**{f"L{i}": ("AWS::ElasticLoadBalancingV2::Listener", {"Port": i, "Protocol": "TCP"}) for i in range(51)}), "51 listeners on one NLB"),
        (template_of(A=("AWS::ElasticLoadBalancingV2::TargetGroup", {"Port": 1, "Protocol": "TCP", "HealthCheckIntervalSeconds": 5, "HealthCheckTimeoutSeconds": 10})), "target group on port 1: timeout 10 s not below interval 5 s"),
        (template_of(A=("AWS::ElasticLoadBalancingV2::Listener", {"Port": 443, "Protocol": "TLS"})), "TLS listener on port 443 without a certificate"),
    ],
    ids=["ports", "client-ip", "description", "rule-quota", "listener-quota", "timeout", "certificate"],
)
def test_each_check_catches_what_it_is_for(template: dict, problem: str) -> None:
    assert breaks(template) == [problem]
