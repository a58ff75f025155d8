"""The config model: defaults, and a table of bad configs with the exact line each gets."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from shared_nlb.config import ConfigError, load_config, parse_config
from tests.factories import base_dict, example_dict, many_services, write

ARN = "arn:aws:acm:us-east-1:111111111111:certificate/12345678-1234-1234-1234-123456789012"


def problems_of(data: Any) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(data, file="c.yaml")
    return [str(p) for p in caught.value.problems]


def svc(**fields: Any) -> dict[str, Any]:
    return {"name": "redis", "service_port": 6379, "listener_port": 6379, **fields}


def test_example_is_valid_with_documented_defaults() -> None:
    config = parse_config(example_dict())
    assert config.stack_name == "shared-nlb-core" and config.load_balancer_name == "shared-nlb-core"
    assert config.load_balancer.scheme == "internal"
    assert config.load_balancer.deletion_protection is True and config.load_balancer.cross_zone is False
    redis = config.services[0]
    assert (redis.protocol, redis.pod_port, redis.k8s_service) == ("TCP", 6380, "redis")
    openobserve = config.services[2]
    assert (openobserve.namespace, openobserve.k8s_service, openobserve.pod_port) == ("observability", "openobserve", 5080)
    assert parse_config(base_dict()).services[0].namespace == "default"


def test_config_is_frozen() -> None:
    config = parse_config(base_dict())
    with pytest.raises(Exception):
        config.name = "other"  # type: ignore[misc]


def test_fifty_services_and_tcp_udp_on_one_listener_are_valid() -> None:
    assert len(parse_config(many_services(50)).services) == 50
    parse_config(base_dict([svc(protocol="TCP_UDP")]))


def test_tcp_and_udp_services_cannot_share_a_listener_port() -> None:
    # AWS keys NLB listeners by port alone (CreateListener: DuplicateListener); TCP_UDP is the way.
    with pytest.raises(ConfigError) as error:
        parse_config(base_dict([svc(), svc(name="redis-udp", protocol="UDP")]))
    assert str(error.value) == (
        "<config>: services[1].listener_port: 6379 is already used by services[0] 'redis'; "
        "for TCP and UDP on one port use one service with protocol: TCP_UDP"
    )


def mutate(path: str, value: Any, data: dict | None = None) -> dict:
    """Set `a.b[0].c` to value (or delete it when value is DELETE)."""
    out = copy.deepcopy(data or base_dict())
    parts = path.replace("]", "").replace("[", ".").split(".")
    node = out
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    last: Any = int(parts[-1]) if parts[-1].isdigit() else parts[-1]
    if value is DELETE:
        del node[last]
    else:
        node[last] = value
    return out


DELETE = object()

# (config, exact lines) — one rule each; the message names the field, what is wrong and what is allowed.
BAD: list[tuple[str, dict, list[str]]] = [
    ("version", mutate("version", 2), ["c.yaml: version: 2 is not a known format version; allowed: 1"]),
    ("name-case", mutate("name", "Core"), ["c.yaml: name: 'Core' is not valid; allowed: a DNS label: 1-63 lowercase letters, digits and '-', starting with a letter, not ending with '-'"]),
    ("missing-network", mutate("network", DELETE), ["c.yaml: network: is required: The existing VPC and subnets."]),
    ("unknown-key", mutate("services[0].listner_port", 1), ["c.yaml: services[0].listner_port: unknown key 'listner_port'; did you mean 'listener_port'?"]),
    ("unknown-top-key", mutate("servics", []), ["c.yaml: servics: unknown key 'servics'; did you mean 'services'?"]),
    ("port-range", mutate("services[0].listener_port", 70000), ["c.yaml: services[0].listener_port: 70000 is out of range; allowed: 1-65535"]),
    ("port-zero", mutate("services[0].target_port", 0), ["c.yaml: services[0].target_port: 0 is out of range; allowed: 1-65535"]),
    ("port-string", mutate("services[0].listener_port", "6379"), ["c.yaml: services[0].listener_port: '6379' is not an integer; allowed: 1-65535"]),
    ("port-float", mutate("services[0].listener_port", 63.5), ["c.yaml: services[0].listener_port: 63.5 is not an integer; allowed: 1-65535"]),
    ("port-bool", mutate("services[0].listener_port", True), ["c.yaml: services[0].listener_port: true is not an integer; allowed: 1-65535"]),
    ("service-port-name", mutate("services[0].service_port", "Redis_Port"), ["c.yaml: services[0].service_port: 'Redis_Port' is not a valid port; allowed: 1-65535, or a port name (1-15 lowercase letters, digits and '-', at least one letter)"]),
    ("named-port-needs-target", mutate("services[0].service_port", "redis"), ["c.yaml: services[0].target_port: required when service_port is a port name ('redis'); give the pod's port number"]),
    ("protocol", mutate("services[0].protocol", "tcp"), ["c.yaml: services[0].protocol: 'tcp' is not allowed; allowed: TCP, UDP, TCP_UDP, TLS, QUIC, TCP_QUIC (did you mean 'TCP'?)"]),
    ("tls-needs-cert", mutate("services[0].protocol", "TLS"), ["c.yaml: services[0].certificate_arn: required for protocol TLS; allowed: an ACM certificate ARN"]),
    ("cert-only-tls", mutate("services[0].certificate_arn", ARN), ["c.yaml: services[0].certificate_arn: is only for protocol TLS, this service is TCP; remove it or set protocol: TLS"]),
    ("alpn-only-tls", mutate("services[0].alpn_policy", "HTTP2Only"), ["c.yaml: services[0].alpn_policy: is only for protocol TLS, this service is TCP; remove it or set protocol: TLS"]),
    ("cert-format", base_dict([svc(protocol="TLS", certificate_arn="arn:aws:iam::111111111111:server-certificate/x")]), ["c.yaml: services[0].certificate_arn: 'arn:aws:iam::111111111111:server-certificate/x' is not valid; allowed: an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<uuid>)"]),
    ("hc-protocol", mutate("services[0].health_check", {"protocol": "UDP"}), ["c.yaml: services[0].health_check.protocol: 'UDP' is not allowed; allowed: TCP, HTTP, HTTPS"]),
    ("hc-path-tcp", mutate("services[0].health_check", {"path": "/x"}), ["c.yaml: services[0].health_check.path: is only for HTTP and HTTPS health checks, this one is TCP; remove it or set protocol: HTTP"]),
    ("hc-interval", mutate("services[0].health_check", {"interval_seconds": 4}), ["c.yaml: services[0].health_check.interval_seconds: 4 is out of range; allowed: 5-300 seconds"]),
    ("hc-timeout", mutate("services[0].health_check", {"timeout_seconds": 121}), ["c.yaml: services[0].health_check.timeout_seconds: 121 is out of range; allowed: 2-120 seconds"]),
    ("hc-timeout-vs-interval", mutate("services[0].health_check", {"timeout_seconds": 11, "interval_seconds": 10}), ["c.yaml: services[0].health_check.timeout_seconds: 11 is more than interval_seconds (10); allowed: at most the interval"]),
    # the protocol's default timeout counts too: TCP and HTTPS 10 s, HTTP 6 s (CreateTargetGroup)
    ("hc-interval-vs-tcp-default", mutate("services[0].health_check", {"interval_seconds": 5}), ["c.yaml: services[0].health_check.interval_seconds: 5 is less than the TCP health check's default timeout (10 s); allowed: at least the timeout, or set timeout_seconds too"]),
    ("hc-interval-vs-https-default", mutate("services[0].health_check", {"protocol": "HTTPS", "interval_seconds": 9}), ["c.yaml: services[0].health_check.interval_seconds: 9 is less than the HTTPS health check's default timeout (10 s); allowed: at least the timeout, or set timeout_seconds too"]),
    ("hc-interval-vs-http-default", mutate("services[0].health_check", {"protocol": "HTTP", "interval_seconds": 5}), ["c.yaml: services[0].health_check.interval_seconds: 5 is less than the HTTP health check's default timeout (6 s); allowed: at least the timeout, or set timeout_seconds too"]),
    ("udp-preserve-ip-off", mutate("services[0].protocol", "UDP", mutate("services[0].preserve_client_ip", False)), ["c.yaml: services[0].preserve_client_ip: false is not allowed for protocol UDP: AWS keeps client IPs for UDP and TCP_UDP target groups; remove it"]),
    ("tcp-udp-preserve-ip-off", mutate("services[0].protocol", "TCP_UDP", mutate("services[0].preserve_client_ip", False)), ["c.yaml: services[0].preserve_client_ip: false is not allowed for protocol TCP_UDP: AWS keeps client IPs for UDP and TCP_UDP target groups; remove it"]),
    ("dualstack-udp", mutate("load_balancer", {"ip_address_type": "dualstack"}, mutate("services[0].protocol", "UDP")), ["c.yaml: services[0].protocol: UDP on a dualstack NLB needs IPv6 target groups and an IPv6 source NAT prefix, which shared-nlb does not build; use load_balancer.ip_address_type: ipv4 or a TCP protocol"]),
    ("ipv6-client-on-ipv4", mutate("clients", [{"cidr": "fd00::/8"}]), ["c.yaml: clients[0].cidr: fd00::/8 is IPv6, but the NLB is ipv4 and has no IPv6 address; set load_balancer.ip_address_type: dualstack or remove it"]),
    ("prefix-list-no-max-entries", mutate("clients", [{"prefix_list": "pl-0123456789abcdef0"}]), ["c.yaml: clients[0].max_entries: required for a prefix list: a rule that references it counts as its max entries against the 60 rules of a security group (VPC quotas); give the list's MaxEntries"]),
    ("max-entries-not-prefix-list", mutate("clients", [{"security_group": "sg-0ec5000000000001a", "max_entries": 5}]), ["c.yaml: clients[0].max_entries: is only for prefix_list clients; remove it"]),
    ("prefix-list-weight", mutate("clients", [{"prefix_list": "pl-0123456789abcdef0", "max_entries": 61}]), ["c.yaml: clients: 61 inbound security group rules (clients x listener ports x protocols, a prefix list counted as its max entries, plus path MTU discovery); allowed: at most 60 per security group (VPC quota); use a shared client security group or prefix list"]),
    ("target-cidrs-v6", mutate("network.target_cidrs", ["fd00::/8"]), ["c.yaml: network.target_cidrs[0]: 'fd00::/8' is IPv6; allowed: an IPv4 CIDR such as 100.64.0.0/16"]),
    ("target-cidrs-dup", mutate("network.target_cidrs", ["10.0.0.0/16", "10.0.0.0/16"]), ["c.yaml: network.target_cidrs[1]: CIDR 10.0.0.0/16 is already listed at network.target_cidrs[0]"]),
    ("hc-threshold", mutate("services[0].health_check", {"healthy_threshold": 11}), ["c.yaml: services[0].health_check.healthy_threshold: 11 is out of range; allowed: 2-10"]),
    ("hc-unhealthy", mutate("services[0].health_check", {"unhealthy_threshold": 1}), ["c.yaml: services[0].health_check.unhealthy_threshold: 1 is out of range; allowed: 2-10"]),
    ("dereg", mutate("services[0].deregistration_delay_seconds", 3601), ["c.yaml: services[0].deregistration_delay_seconds: 3601 is out of range; allowed: 0-3600 seconds"]),
    ("vpc-id", mutate("network.vpc_id", "vpc-123"), ["c.yaml: network.vpc_id: 'vpc-123' is not valid; allowed: 'vpc-' and 8 or 17 hexadecimal digits (0-9, a-f), as EC2 issues them"]),
    ("subnet-id", mutate("network.subnet_ids", ["subnet_0aaaaaaa"]), ["c.yaml: network.subnet_ids[0]: 'subnet_0aaaaaaa' is not valid; allowed: 'subnet-' and 8 or 17 hexadecimal digits (0-9, a-f), as EC2 issues them"]),
    ("sg-id", mutate("clients", [{"security_group": "sg-XYZ"}]), ["c.yaml: clients[0].security_group: 'sg-XYZ' is not valid; allowed: 'sg-' and 8 or 17 hexadecimal digits (0-9, a-f), as EC2 issues them"]),
    ("sg-id-not-hex", mutate("clients", [{"security_group": "sg-0ecs0000000000001"}]), ["c.yaml: clients[0].security_group: 'sg-0ecs0000000000001' is not valid; allowed: 'sg-' and 8 or 17 hexadecimal digits (0-9, a-f), as EC2 issues them"]),
    ("pl-id", mutate("clients", [{"prefix_list": "pl-1"}]), ["c.yaml: clients[0].prefix_list: 'pl-1' is not valid; allowed: 'pl-' and 8 or 17 hexadecimal digits (0-9, a-f), as EC2 issues them"]),
    ("dup-subnet", mutate("network.subnet_ids", ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa1"]), ["c.yaml: network.subnet_ids[1]: subnet subnet-0aaaaaaaaaaaaaaa1 is already listed at network.subnet_ids[0]"]),
    ("no-subnets", mutate("network.subnet_ids", []), ["c.yaml: network.subnet_ids: is empty; allowed: at least one item"]),
    ("vpc-cidr-host-bits", mutate("network.vpc_cidr", "10.0.0.1/16"), ["c.yaml: network.vpc_cidr: '10.0.0.1/16' has host bits set; did you mean '10.0.0.0/16'?"]),
    ("vpc-cidr-size", mutate("network.vpc_cidr", "10.0.0.0/8"), ["c.yaml: network.vpc_cidr: '10.0.0.0/8' has prefix /8; allowed: /16 to /28, as VPC CIDR blocks are"]),
    ("vpc-cidr-garbage", mutate("network.vpc_cidr", "10.0.0/16"), ["c.yaml: network.vpc_cidr: '10.0.0/16' is not a valid CIDR; allowed: an IPv4 CIDR with a prefix of /16 to /28"]),
    ("client-cidr-no-prefix", mutate("clients", [{"cidr": "10.1.2.3"}]), ["c.yaml: clients[0].cidr: '10.1.2.3' has no prefix length; write it as '10.1.2.3/32'"]),
    ("client-two-sources", mutate("clients", [{"cidr": "10.1.0.0/16", "security_group": "sg-0ec5000000000001a"}]), ["c.yaml: clients[0]: has security_group and cidr; allowed: exactly one of security_group, cidr, prefix_list"]),
    ("client-no-source", mutate("clients", [{"description": "x"}]), ["c.yaml: clients[0]: has none; allowed: exactly one of security_group, cidr, prefix_list"]),
    ("client-dup", mutate("clients", [{"cidr": "10.1.0.0/16"}, {"cidr": "10.1.0.0/16"}]), ["c.yaml: clients[1]: client 10.1.0.0/16 is already listed at clients[0]"]),
    ("no-clients", mutate("clients", []), ["c.yaml: clients: is empty and services redis have no clients of their own, so nobody could connect; list security_group, cidr or prefix_list sources"]),
    ("empty-service-clients", base_dict([svc(clients=[])]), ["c.yaml: services[0].clients: is empty, so nobody could connect; list at least one client or remove the key to use the top-level clients"]),
    ("anywhere-internal", mutate("clients", [{"cidr": "0.0.0.0/0"}]), ["c.yaml: clients[0].cidr: 0.0.0.0/0 opens the listeners to every address; allowed only with load_balancer.scheme: internet-facing and allow_anywhere: true on this client"]),
    ("anywhere-v6-internal", mutate("load_balancer", {"ip_address_type": "dualstack"}, mutate("clients", [{"cidr": "::/0", "allow_anywhere": True}])), ["c.yaml: clients[0].cidr: ::/0 opens the listeners to every address; allowed only with load_balancer.scheme: internet-facing and allow_anywhere: true on this client"]),
    ("anywhere-not-asked", mutate("load_balancer", {"scheme": "internet-facing"}, mutate("clients", [{"cidr": "0.0.0.0/0"}])), ["c.yaml: clients[0].cidr: 0.0.0.0/0 opens the listeners to every address; to ask for it, add allow_anywhere: true to this client"]),
    ("allow-anywhere-misused", mutate("clients", [{"cidr": "10.1.0.0/16", "allow_anywhere": True}]), ["c.yaml: clients[0].allow_anywhere: is only for CIDRs wider than /8 (IPv4) or /16 (IPv6), such as 0.0.0.0/0; remove it"]),
    ("wide-v4", mutate("clients", [{"cidr": "0.0.0.0/1"}]), ["c.yaml: clients[0].cidr: 0.0.0.0/1 opens the listeners to a large part of the internet; allowed only with load_balancer.scheme: internet-facing and allow_anywhere: true on this client"]),
    ("wide-v6", mutate("load_balancer", {"scheme": "internet-facing", "ip_address_type": "dualstack"}, mutate("clients", [{"cidr": "2000::/3"}])), ["c.yaml: clients[0].cidr: 2000::/3 opens the listeners to a large part of the internet; to ask for it, add allow_anywhere: true to this client"]),
    ("scheme", mutate("load_balancer", {"scheme": "public"}), ["c.yaml: load_balancer.scheme: 'public' is not allowed; allowed: internal, internet-facing"]),
    ("bool", mutate("load_balancer", {"cross_zone": "yes"}), ["c.yaml: load_balancer.cross_zone: 'yes' is not a boolean; allowed: true, false"]),
    ("lb-name-long", mutate("name", "a-very-long-config-name-x"), ["c.yaml: name: gives the NLB name 'shared-nlb-a-very-long-config-name-x' of 36 characters; allowed: at most 32 (shorten it or set load_balancer.name)"]),
    ("lb-name-internal", mutate("load_balancer", {"name": "internal-core"}), ["c.yaml: load_balancer.name: gives the NLB name 'internal-core'; AWS does not allow names starting with 'internal-'"]),
    ("account-number", mutate("stack", {"account": 111111111111}), ['c.yaml: stack.account: 111111111111 is a number; write the account ID quoted, as a string of 12 digits: "111111111111"']),
    ("region", mutate("stack", {"region": "Seoul"}), ["c.yaml: stack.region: 'Seoul' is not valid; allowed: an AWS region such as ap-northeast-2"]),
    ("tag-aws", mutate("stack", {"tags": {"aws:x": "y"}}), ["c.yaml: stack.tags: tag key 'aws:x' is not valid; allowed: 1-128 characters, not starting with 'aws:'"]),
    ("termination-protection", mutate("stack", {"termination_protection": "off"}), ["c.yaml: stack.termination_protection: 'off' is not a boolean; allowed: true, false"]),
    ("namespace", mutate("services[0].namespace", "Data"), ["c.yaml: services[0].namespace: 'Data' is not valid; allowed: a DNS label: 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit"]),
    ("k8s-service", mutate("services[0].service", "1redis"), ["c.yaml: services[0].service: '1redis' is not valid; allowed: a DNS label: 1-63 lowercase letters, digits and '-', starting with a letter, not ending with '-'"]),
    ("no-services", mutate("services", []), ["c.yaml: services: is empty; allowed: at least one item"]),
    ("dup-name", base_dict([svc(), svc(listener_port=1)]), ["c.yaml: services[1].name: 'redis' is already used by services[0]; names must be unique"]),
    ("id-collision", base_dict([svc(name="x-1"), svc(name="x1", listener_port=1)]), ["c.yaml: services[1].name: 'x1' gives the same IDs (X1) as services[0] 'x-1'; rename one"]),
    ("port-clash", base_dict([svc(), svc(name="a", listener_port=1), svc(name="b")]), ["c.yaml: services[2].listener_port: 6379 is already used by services[0] 'redis'"]),
    ("tls-shares-tcp-space", base_dict([svc(), svc(name="b", protocol="TLS", certificate_arn=ARN)]), ["c.yaml: services[1].listener_port: 6379 is already used by services[0] 'redis'"]),
    ("tcp-udp-takes-both", base_dict([svc(protocol="UDP"), svc(name="b", protocol="TCP_UDP")]), ["c.yaml: services[1].listener_port: 6379 is already used by services[0] 'redis'"]),
    # NLB and target group settings (README, "Reach and operations settings")
    ("lcu-with-tls", mutate("load_balancer", {"minimum_capacity_units": 5500}, base_dict([svc(), svc(name="gw", listener_port=443, protocol="TLS", certificate_arn=ARN)])), ["c.yaml: load_balancer.minimum_capacity_units: LCU reservation is not supported on an NLB with TLS listeners (services[1] 'gw'); remove it or move the TLS services to another NLB"]),
    ("lcu-per-zone-low", mutate("load_balancer", {"minimum_capacity_units": 5000}), ["c.yaml: load_balancer.minimum_capacity_units: 5000 is 2500 LCUs per zone over 2 subnets; allowed: 2750-45000 per zone, 5500-90000 for 2 subnets"]),
    ("lcu-per-zone-high", mutate("load_balancer", {"minimum_capacity_units": 90001}), ["c.yaml: load_balancer.minimum_capacity_units: 90001 is 45000.5 LCUs per zone over 2 subnets; allowed: 2750-45000 per zone, 5500-90000 for 2 subnets"]),
    ("lcu-not-integer", mutate("load_balancer", {"minimum_capacity_units": "lots"}), ["c.yaml: load_balancer.minimum_capacity_units: 'lots' is not a positive integer; allowed: a number of LCUs, 2750-45000 per zone of the NLB"]),
    ("zonal-shift-cross-zone-udp", mutate("load_balancer", {"zonal_shift": True, "cross_zone": True}, base_dict([svc(), svc(name="dns", listener_port=53, protocol="TCP_UDP"), svc(name="syslog", listener_port=514, protocol="UDP")])), [
        "c.yaml: services[1].protocol: TCP_UDP is not allowed with load_balancer.zonal_shift and cross_zone both on: zonal shift of a cross-zone NLB needs TCP or TLS target groups; allowed: TCP or TLS, or turn off cross_zone or zonal_shift",
        "c.yaml: services[2].protocol: UDP is not allowed with load_balancer.zonal_shift and cross_zone both on: zonal shift of a cross-zone NLB needs TCP or TLS target groups; allowed: TCP or TLS, or turn off cross_zone or zonal_shift",
    ]),
    ("zonal-shift-bool", mutate("load_balancer", {"zonal_shift": "on"}), ["c.yaml: load_balancer.zonal_shift: 'on' is not a boolean; allowed: true, false"]),
    ("client-routing-policy", mutate("load_balancer", {"client_routing_policy": "zonal"}), ["c.yaml: load_balancer.client_routing_policy: 'zonal' is not allowed; allowed: availability_zone_affinity, partial_availability_zone_affinity, any_availability_zone"]),
    ("min-healthy-zero", mutate("services[0].target_group_health", {"minimum_healthy_targets": 0}), ["c.yaml: services[0].target_group_health.minimum_healthy_targets: 0 is out of range; allowed: an integer of at least 1, or off"]),
    ("min-healthy-true", mutate("services[0].target_group_health", {"minimum_healthy_targets": True}), ["c.yaml: services[0].target_group_health.minimum_healthy_targets: true is not an integer or off; allowed: an integer of at least 1, or off"]),
    ("min-healthy-percentage", mutate("services[0].target_group_health", {"minimum_healthy_targets_percentage": 101}), ["c.yaml: services[0].target_group_health.minimum_healthy_targets_percentage: 101 is out of range; allowed: 1-100 percent or off"]),
    ("target-group-health-key", mutate("services[0].target_group_health", {"minimum_healthy": 1}), ["c.yaml: services[0].target_group_health.minimum_healthy: unknown key 'minimum_healthy'; did you mean 'minimum_healthy_targets'?"]),
    ("unhealthy-draining", mutate("services[0].unhealthy_draining_seconds", 360001), ["c.yaml: services[0].unhealthy_draining_seconds: 360001 is out of range; allowed: 0-360000 seconds"]),
    ("connection-termination", mutate("services[0].connection_termination", "yes"), ["c.yaml: services[0].connection_termination: 'yes' is not a boolean; allowed: true, false"]),
    ("listener-quota", many_services(51), ["c.yaml: services: 51 listeners on one NLB; allowed: at most 50 (ELB quota 'Listeners per Network Load Balancer')"]),
    (
        "inbound-quota",
        mutate("clients", [{"cidr": f"10.{i}.0.0/16"} for i in range(1, 3)], many_services(31)),
        ["c.yaml: clients: 62 inbound security group rules (clients x listener ports x protocols, a prefix list counted as its max entries, plus path MTU discovery); allowed: at most 60 per security group (VPC quota); use a shared client security group or prefix list, or list the NLB under load_balancers with max_listeners: 30 (the most listeners whose rules fit in one group)"],
    ),
]


@pytest.mark.parametrize(("data", "expected"), [(d, e) for _, d, e in BAD], ids=[name for name, _, _ in BAD])
def test_bad_config_gets_exact_lines(data: dict, expected: list[str]) -> None:
    assert problems_of(data) == expected


def test_nlb_and_target_group_settings_within_awss_rules_pass(tmp_path) -> None:
    """Each rule of the settings table above, kept: the edges of each range, TLS without LCU
    reservation, zonal shift with UDP when cross-zone is off (and with cross-zone and TCP/TLS only)."""
    lb = {"zonal_shift": True, "client_routing_policy": "partial_availability_zone_affinity", "minimum_capacity_units": 5500}
    edges = [svc(target_group_health={"minimum_healthy_targets": 1, "minimum_healthy_targets_percentage": 100}, unhealthy_draining_seconds=360000, connection_termination=True),
             svc(name="dns", listener_port=53, protocol="TCP_UDP", unhealthy_draining_seconds=0)]
    config = parse_config(mutate("load_balancer", lb, base_dict(edges)))
    assert (config.load_balancer.minimum_capacity_units, config.services[0].unhealthy_draining_seconds) == (5500, 360000)
    parse_config(mutate("load_balancer", {"minimum_capacity_units": 90000}))
    parse_config(mutate("load_balancer", {"zonal_shift": True, "cross_zone": True}, base_dict([svc(), svc(name="gw", listener_port=443, protocol="TLS", certificate_arn=ARN)])))
    # YAML 1.1 reads a bare `off` as false: both spellings mean off
    path = write(tmp_path, mutate("services[0].target_group_health", {"minimum_healthy_targets": "off"}))
    path.write_text(path.read_text().replace("'off'", "off"))
    assert load_config(path).services[0].target_group_health.minimum_healthy_targets == "off"
    assert parse_config(mutate("services[0].target_group_health", {"minimum_healthy_targets_percentage": "off"})).services[0].target_group_health.minimum_healthy_targets_percentage == "off"


def test_settings_default_to_awss_own() -> None:
    config = parse_config(base_dict())
    lb, service = config.load_balancer, config.services[0]
    assert (lb.zonal_shift, lb.client_routing_policy, lb.minimum_capacity_units) == (False, None, None)
    assert (service.target_group_health, service.unhealthy_draining_seconds, service.connection_termination) == (None, None, None)


def test_every_problem_of_a_file_is_reported_at_once(tmp_path) -> None:
    path = write(
        tmp_path,
        """version: 1
name: core
network:
  vpc_id: vpc-123
  vpc_cidr: 10.0.0.0/16
  subnet_ids: [subnet-0aaaaaaaaaaaaaaa1]
clients:
  - cidr: 0.0.0.0/0
services:
  - name: redis
    service_port: 6379
    listener_port: 6379
  - name: kafka
    service_port: 9092
    listener_port: 6379
    protocl: TCP
  - name: other
    service_port: 1
    listener_port: 1
    protocol: TLS
""",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).splitlines() == [
        f"{path}:4: network.vpc_id: 'vpc-123' is not valid; allowed: 'vpc-' and 8 or 17 hexadecimal digits (0-9, a-f), as EC2 issues them",
        f"{path}:8: clients[0].cidr: 0.0.0.0/0 opens the listeners to every address; allowed only with load_balancer.scheme: internet-facing and allow_anywhere: true on this client",
        f"{path}:15: services[1].listener_port: 6379 is already used by services[0] 'redis'",
        f"{path}:16: services[1].protocl: unknown key 'protocl'; did you mean 'protocol'?",
        f"{path}:17: services[2].certificate_arn: required for protocol TLS; allowed: an ACM certificate ARN",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "{path}: the document is empty; allowed: a mapping with version, name, network, clients, services"),
        ("just text\n", "{path}: the document is a string, not a mapping; allowed: a mapping with version, name, network, clients, services"),
        ("- a\n- b\n", "{path}: the document is a list, not a mapping; allowed: a mapping with version, name, network, clients, services"),
        ("version: 1\nname: [core\n", "{path}:3: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence started at line 2)"),
        ("version: 1\nname: a\nname: b\n", "{path}:3: YAML syntax error: duplicate key 'name' (first at line 2)"),
        ("a: 1\n---\nb: 2\n", "{path}:2: YAML syntax error: expected a single document in the stream but found another document"),
    ],
)
def test_unreadable_files(tmp_path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == expected.format(path=path)


def test_missing_file_and_directory(tmp_path) -> None:
    with pytest.raises(ConfigError, match=r"nope.yaml: no such file$"):
        load_config(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match=r": is a directory; allowed: a YAML file$"):
        load_config(tmp_path)


@pytest.mark.parametrize(("data", "expected"), [(d, e) for _, d, e in BAD], ids=[name for name, _, _ in BAD])
def test_bad_config_through_the_command_line(tmp_path, capsys, data: dict, expected: list[str]) -> None:
    """The same table through `shared-nlb synth`: exit 2, the same lines on stderr (with the file and
    line in front), nothing written and the previous output untouched. It fails before jsii starts."""
    from shared_nlb.cli import main

    path = write(tmp_path, data)
    out = tmp_path / "out"
    out.mkdir()
    (out / "previous.template.json").write_text("previous")
    assert main(["synth", str(path), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert [re.sub(rf"^{re.escape(str(path))}(:\d+)?: ", "", line) for line in lines] == [e.removeprefix("c.yaml: ") for e in expected]
    assert all(line.startswith(f"{path}") for line in lines)
    assert [p.name for p in out.iterdir()] == ["previous.template.json"] and (out / "previous.template.json").read_text() == "previous"


def test_long_values_are_cut_short_in_messages() -> None:
    [line] = problems_of(mutate("services[0].listener_port", list(range(100))))
    assert line.startswith("c.yaml: services[0].listener_port: [0, 1, 2,") and line.endswith("... is not an integer; allowed: 1-65535")
    assert len(line) < 160


def bad_vpc(data: dict | None = None) -> dict:
    return mutate("network.vpc_id", "vpc-1", data)


VPC_LINE = "c.yaml: network.vpc_id: 'vpc-1' is not valid; allowed: 'vpc-' and 8 or 17 hexadecimal digits (0-9, a-f), as EC2 issues them"
PROTOCOL_LINE = "c.yaml: services[{}].protocol: 'tcp' is not allowed; allowed: TCP, UDP, TCP_UDP, TLS, QUIC, TCP_QUIC (did you mean 'TCP'?)"
SG_LINE = "c.yaml: clients[0].security_group: 'sg-X' is not valid; allowed: 'sg-' and 8 or 17 hexadecimal digits (0-9, a-f), as EC2 issues them"
WIDE = {"cidr": "0.0.0.0/0"}
CIDR = {"cidr": "10.1.0.0/16"}

# (config, exact lines): a field error next to a rule that reads only valid parts of the file. Every
# rule of Config.problems() runs on the valid parts, so both are reported in one run.
BESIDE_A_FIELD_ERROR: list[tuple[str, dict, list[str]]] = [
    ("client-dup", bad_vpc(mutate("clients", [CIDR, CIDR])), ["c.yaml: clients[1]: client 10.1.0.0/16 is already listed at clients[0]", VPC_LINE]),
    ("no-clients", bad_vpc(mutate("clients", [])), ["c.yaml: clients: is empty and services redis have no clients of their own, so nobody could connect; list security_group, cidr or prefix_list sources", VPC_LINE]),
    ("lb-name-long", bad_vpc(mutate("name", "a-very-long-config-name-x")), ["c.yaml: name: gives the NLB name 'shared-nlb-a-very-long-config-name-x' of 36 characters; allowed: at most 32 (shorten it or set load_balancer.name)", VPC_LINE]),
    ("lb-name-internal", bad_vpc(mutate("load_balancer", {"name": "internal-core", "cross_zone": "yes"})), [
        "c.yaml: load_balancer.cross_zone: 'yes' is not a boolean; allowed: true, false",
        "c.yaml: load_balancer.name: gives the NLB name 'internal-core'; AWS does not allow names starting with 'internal-'",
        VPC_LINE,
    ]),
    ("stack-name-long", mutate("stack", {"name": "s" * 129, "region": "Seoul"}), [
        "c.yaml: stack.name: '" + "s" * 129 + "' is 129 characters; allowed: at most 128",
        "c.yaml: stack.region: 'Seoul' is not valid; allowed: an AWS region such as ap-northeast-2",
    ]),
    ("service-own-wide-client", mutate("clients", [{"security_group": "sg-X"}], base_dict([svc(clients=[WIDE])])), [
        SG_LINE,
        "c.yaml: services[0].clients[0].cidr: 0.0.0.0/0 opens the listeners to every address; allowed only with load_balancer.scheme: internet-facing and allow_anywhere: true on this client",
    ]),
    ("indices-after-a-bad-item", mutate("clients", [{"security_group": "sg-X"}, CIDR, CIDR], base_dict([svc(protocol="tcp"), svc(name="a"), svc(name="b", listener_port=1, clients=[CIDR, CIDR])])), [
        SG_LINE,
        "c.yaml: clients[2]: client 10.1.0.0/16 is already listed at clients[1]",
        PROTOCOL_LINE.format(0),
        "c.yaml: services[2].clients[1]: client 10.1.0.0/16 is already listed at services[2].clients[0]",
    ]),
    ("orphans-beside-a-bad-service", mutate("clients", [], base_dict([svc(protocol="tcp"), svc(name="a", listener_port=1)])), [
        "c.yaml: clients: is empty and services a have no clients of their own, so nobody could connect; list security_group, cidr or prefix_list sources",
        PROTOCOL_LINE.format(0),
    ]),
    # A bad scheme: a client problem that depends on the scheme cannot be judged; the duplicate can.
    ("bad-scheme", mutate("load_balancer", {"scheme": "public"}, mutate("clients", [WIDE, WIDE])), [
        "c.yaml: clients[1]: client 0.0.0.0/0 is already listed at clients[0]",
        "c.yaml: load_balancer.scheme: 'public' is not allowed; allowed: internal, internet-facing",
    ]),
    # Quotas count the valid services: a lower bound, enough to report these.
    ("listener-quota", mutate("services[0].protocol", "tcp", many_services(52)), [
        "c.yaml: services: 51 listeners on one NLB; allowed: at most 50 (ELB quota 'Listeners per Network Load Balancer')",
        PROTOCOL_LINE.format(0),
    ]),
    ("inbound-quota", mutate("services[31]", svc(protocol="tcp"), mutate("clients", [CIDR, {"cidr": "10.2.0.0/16"}], many_services(32))), [
        "c.yaml: clients: 62 inbound security group rules (clients x listener ports x protocols, a prefix list counted as its max entries, plus path MTU discovery); allowed: at most 60 per security group (VPC quota); use a shared client security group or prefix list, or list the NLB under load_balancers with max_listeners: 30 (the most listeners whose rules fit in one group)",
        PROTOCOL_LINE.format(31),
    ]),
    ("outbound-quota", bad_vpc(base_dict([{**svc(name=f"s{i}", listener_port=i, service_port=i), "protocol": "TCP_UDP", "clients": [CIDR]} for i in range(1, 32)])), [
        "c.yaml: clients: 62 inbound security group rules (clients x listener ports x protocols, a prefix list counted as its max entries, plus path MTU discovery); allowed: at most 60 per security group (VPC quota); use a shared client security group or prefix list, or list the NLB under load_balancers with max_listeners: 30 (the most listeners whose rules fit in one group)",
        VPC_LINE,
        "c.yaml: services: 62 outbound security group rules (distinct target and health check ports x protocols x target CIDRs); allowed: at most 60 per security group (VPC quota)",
    ]),
]


@pytest.mark.parametrize(("data", "expected"), [(d, e) for _, d, e in BESIDE_A_FIELD_ERROR], ids=[name for name, _, _ in BESIDE_A_FIELD_ERROR])
def test_a_field_error_hides_no_rule_error(data: dict, expected: list[str]) -> None:
    assert problems_of(data) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # The NLB name derives from `name` only when load_balancer.name is not set, even if it is invalid.
        (mutate("load_balancer", {"name": "-core"}, mutate("name", "a-very-long-config-name-x")), ["c.yaml: load_balancer.name: '-core' is not valid; allowed: letters, digits and '-', not starting or ending with '-'"]),
        # Written clients, all invalid: the list is not empty.
        (mutate("clients", [{"security_group": "sg-X"}]), [SG_LINE]),
        (mutate("clients", None), ["c.yaml: clients: None is not a list; allowed: a YAML list (- item)"]),
        # An invalid service is left out whole: its certificate_arn is neither required nor refused.
        (base_dict([svc(protocol="tls", certificate_arn=ARN)]), ["c.yaml: services[0].protocol: 'tls' is not allowed; allowed: TCP, UDP, TCP_UDP, TLS, QUIC, TCP_QUIC (did you mean 'TLS'?)"]),
    ],
    ids=["lb-name-set-but-invalid", "clients-all-invalid", "clients-null", "service-left-out-whole"],
)
def test_parts_that_are_invalid_make_up_no_problems(data: dict, expected: list[str]) -> None:
    assert problems_of(data) == expected


def test_a_key_with_a_non_ascii_digit_is_one_line() -> None:
    # '²' is a digit to str.isdigit() but not to int(): the line lookup once failed on such a key.
    assert problems_of({**base_dict(), "²": 1})[0] == "c.yaml: ['²']: unknown key '²'; allowed: version, name, stack, network, load_balancer, load_balancers, clients, services, dns, privatelink, alarms, clusters"


def test_a_non_string_key_in_a_section_is_one_line_even_with_other_errors() -> None:
    # found by the fuzz test: the partial check of the valid parts must skip such keys
    data = mutate("stack", {9223372036854775808: None}, mutate("network.vpc_id", "vpc-1"))
    with pytest.raises(ConfigError) as error:
        parse_config(data, file="c.yaml")
    lines = str(error.value).splitlines()
    assert any("network.vpc_id" in line for line in lines) and all(line.startswith("c.yaml:") for line in lines)


# --- quotas and the wide-CIDR rule at their boundaries, both ways ----------------------------------------
TWO_TARGET_CIDRS = ["10.0.0.0/16", "100.64.0.0/16"]
INBOUND_LINE = (
    "c.yaml: clients: {} inbound security group rules (clients x listener ports x protocols, a prefix list counted as its max entries, plus path MTU discovery); "
    "allowed: at most 60 per security group (VPC quota); use a shared client security group or prefix list, or list the NLB under load_balancers with max_listeners: {} "
    "(the most listeners whose rules fit in one group)"
)


def test_each_target_cidr_repeats_every_egress_rule_against_the_quota() -> None:
    """The NLB's egress is one rule per target port per target CIDR (the stack's EgressTo* rules):
    30 ports to two CIDRs are 60 rules, 31 are 62 ("Inbound or outbound rules per security group",
    Amazon VPC quotas: 60)."""
    assert len(parse_config(mutate("network.target_cidrs", TWO_TARGET_CIDRS, many_services(30))).services) == 30
    assert problems_of(mutate("network.target_cidrs", TWO_TARGET_CIDRS, many_services(31))) == [
        "c.yaml: services: 62 outbound security group rules (distinct target and health check ports x protocols x target CIDRs); allowed: at most 60 per security group (VPC quota)"
    ]


def test_a_health_check_port_shared_by_services_is_one_egress_rule() -> None:
    """31 target ports and one health check port every service shares: 32 egress rules, not 62."""
    data = many_services(31)
    for service in data["services"]:
        service["health_check"] = {"port": 8080}
    assert len(parse_config(data).services) == 31


def test_path_mtu_discovery_rules_count_against_the_inbound_quota() -> None:
    """One ICMP rule per client source (two here): 29 listeners x 2 clients + 2 fit in 60, 30 do not."""
    two_clients = [{"security_group": "sg-0ec5000000000001a"}, CIDR]
    fitting = mutate("load_balancer", {"path_mtu_discovery": True}, mutate("clients", two_clients, many_services(29)))
    assert parse_config(fitting).inbound_rule_count() == 60
    assert problems_of(mutate("load_balancer", {"path_mtu_discovery": True}, mutate("clients", two_clients, many_services(30)))) == [INBOUND_LINE.format(62, 29)]
    assert parse_config(mutate("clients", two_clients, many_services(30))).inbound_rule_count() == 60  # without it, 30 fit


@pytest.mark.parametrize(
    ("cidr", "dualstack", "expected"),
    [
        ("11.0.0.0/8", False, []),  # public, but /8 is where "wide" starts being refused: not wider
        ("12.0.0.0/7", False, ["c.yaml: clients[0].cidr: 12.0.0.0/7 opens the listeners to a large part of the internet; allowed only with load_balancer.scheme: internet-facing and allow_anywhere: true on this client"]),
        ("2a00::/16", True, []),
        ("2a00::/15", True, ["c.yaml: clients[0].cidr: 2a00::/15 opens the listeners to a large part of the internet; allowed only with load_balancer.scheme: internet-facing and allow_anywhere: true on this client"]),
    ],
    ids=["ipv4-8", "ipv4-7", "ipv6-16", "ipv6-15"],
)
def test_the_wide_cidr_boundary(cidr: str, dualstack: bool, expected: list[str]) -> None:
    data = mutate("clients", [{"cidr": cidr}])
    if dualstack:
        data = mutate("load_balancer", {"ip_address_type": "dualstack"}, data)
    if expected:
        assert problems_of(data) == expected
    else:
        assert parse_config(data).clients[0].cidr == cidr


def test_allow_anywhere_on_a_slash_8_is_refused_as_not_wide() -> None:
    data = mutate("load_balancer", {"scheme": "internet-facing"}, mutate("clients", [{"cidr": "11.0.0.0/8", "allow_anywhere": True}]))
    assert problems_of(data) == ["c.yaml: clients[0].allow_anywhere: is only for CIDRs wider than /8 (IPv4) or /16 (IPv6), such as 0.0.0.0/0; remove it"]
