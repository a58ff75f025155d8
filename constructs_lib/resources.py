"""Pure builders of the stack's CloudFormation resources: config in, (logical ID, type, properties)
out, in CloudFormation's own casing. No aws-cdk import: they are plain data, tested without jsii.

One small function per resource kind, each deciding its properties from the config alone (the
aws-load-balancer-controller's model builders work the same way). Keys are sorted as aws-cdk's L1
classes render them, so the template is what an L1 stack would give, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared_nlb import naming
from shared_nlb.config import TLS_DEFAULT_POLICY, Client, Config, Service, egress_rules

SECURITY_GROUP_ID_ATTR = {"Fn::GetAtt": [naming.SECURITY_GROUP_ID, "GroupId"]}
LOAD_BALANCER_REF = {"Ref": naming.LOAD_BALANCER_ID}

# CDK's own trick for a security group with no egress (aws-ec2 security-group.ts MATCH_NO_TRAFFIC):
# CloudFormation gives a group declared without egress an allow-all rule; a rule that matches
# nothing replaces it, and the real egress rules are separate resources.
NO_TRAFFIC_EGRESS = {"CidrIp": "255.255.255.255/32", "Description": "Disallow all traffic", "FromPort": 252, "IpProtocol": "icmp", "ToPort": 86}


@dataclass(frozen=True)
class Resource:
    """One CloudFormation resource: what `CfnResource(scope, logical_id, type=..., properties=...)` takes."""

    logical_id: str
    type: str
    properties: dict[str, Any]
    acknowledge: tuple[tuple[str, str], ...] = field(default=())
    "cdk-nag findings accepted on this resource: (rule ID, reason)."


@dataclass(frozen=True)
class Output:
    """One stack output: `value` is a literal, or a ("Ref", id) / ("GetAtt", id, attribute) reference."""

    key: str
    value: str | tuple[str, ...]
    description: str


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _tags(config: Config) -> dict[str, Any]:
    return {"Tags": [{"Key": k, "Value": v} for k, v in sorted(config.stack.tags.items())]} if config.stack.tags else {}


def security_group(config: Config) -> Resource:
    return Resource(
        naming.SECURITY_GROUP_ID,
        "AWS::EC2::SecurityGroup",
        _sorted(
            {
                "GroupDescription": f"shared-nlb {config.name}: listener ingress from clients, egress to targets",
                "SecurityGroupEgress": [NO_TRAFFIC_EGRESS],
                "VpcId": config.network.vpc_id,
                **_tags(config),
            }
        ),
    )


def load_balancer(config: Config) -> Resource:
    lb = config.load_balancer
    attributes = {
        "deletion_protection.enabled": _flag(lb.deletion_protection),
        "load_balancing.cross_zone.enabled": _flag(lb.cross_zone),
        "access_logs.s3.enabled": _flag(lb.access_logs is not None),
    }
    if lb.access_logs is not None:
        attributes["access_logs.s3.bucket"] = lb.access_logs.bucket
        if lb.access_logs.prefix:
            attributes["access_logs.s3.prefix"] = lb.access_logs.prefix
    acknowledge = ()
    if lb.access_logs is None:
        acknowledge = (
            (
                "AwsSolutions::AwsSolutions-ELB2",
                "Access logs are off because the config names no bucket (load_balancer.access_logs); "
                "NLB access logs only record TLS listeners. README, 'Access logs', says how to turn them on.",
            ),
        )
    return Resource(
        naming.LOAD_BALANCER_ID,
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        _sorted(
            {
                "IpAddressType": lb.ip_address_type,
                "LoadBalancerAttributes": [{"Key": k, "Value": v} for k, v in sorted(attributes.items())],
                "Name": config.load_balancer_name,
                "Scheme": lb.scheme,
                "SecurityGroups": [SECURITY_GROUP_ID_ATTR],
                "Subnets": list(config.network.subnet_ids),
                "Type": "network",
                **_tags(config),
            }
        ),
        acknowledge,
    )


def egress_rule(config: Config, protocol: str, port: int) -> Resource:
    return Resource(
        naming.egress_rule_id(protocol, port),
        "AWS::EC2::SecurityGroupEgress",
        _sorted(
            {
                "CidrIp": config.network.vpc_cidr,
                "Description": f"to targets on {port}/{protocol} inside the VPC",
                "FromPort": port,
                "GroupId": SECURITY_GROUP_ID_ATTR,
                "IpProtocol": protocol,
                "ToPort": port,
            }
        ),
    )


def target_group(config: Config, service: Service) -> Resource:
    """An empty IP target group. No `Name`: a fixed name blocks the replacement that a port, protocol
    or VPC change requires."""
    check = service.health_check
    props: dict[str, Any] = {
        "HealthCheckEnabled": True,
        "HealthCheckPort": str(check.port),
        "HealthCheckProtocol": check.protocol,
        "Port": service.pod_port,
        "Protocol": service.target_protocol,
        "TargetType": "ip",
        "VpcId": config.network.vpc_id,
        **_tags(config),
    }
    optional = {
        "HealthCheckPath": check.path or ("/" if check.protocol != "TCP" else None),
        "HealthCheckIntervalSeconds": check.interval_seconds,
        "HealthCheckTimeoutSeconds": check.timeout_seconds,
        "HealthyThresholdCount": check.healthy_threshold,
        "UnhealthyThresholdCount": check.unhealthy_threshold,
    }
    props.update({k: v for k, v in optional.items() if v is not None})
    if check.success_codes:
        props["Matcher"] = {"HttpCode": check.success_codes}
    attributes = {
        "deregistration_delay.timeout_seconds": service.deregistration_delay_seconds,
        "preserve_client_ip.enabled": service.preserve_client_ip,
        "proxy_protocol_v2.enabled": service.proxy_protocol_v2,
    }
    chosen = sorted((k, _flag(v) if isinstance(v, bool) else str(v)) for k, v in attributes.items() if v is not None)
    if chosen:
        props["TargetGroupAttributes"] = [{"Key": k, "Value": v} for k, v in chosen]
    return Resource(naming.target_group_id(service.name), "AWS::ElasticLoadBalancingV2::TargetGroup", _sorted(props))


def listener(config: Config, service: Service) -> Resource:
    props: dict[str, Any] = {
        "DefaultActions": [{"TargetGroupArn": {"Ref": naming.target_group_id(service.name)}, "Type": "forward"}],
        "LoadBalancerArn": LOAD_BALANCER_REF,
        "Port": service.listener_port,
        "Protocol": service.protocol,
        **_tags(config),
    }
    if service.protocol == "TLS":
        props["Certificates"] = [{"CertificateArn": service.certificate_arn}]
        props["SslPolicy"] = service.ssl_policy or TLS_DEFAULT_POLICY
        if service.alpn_policy:
            props["AlpnPolicy"] = [service.alpn_policy]
    return Resource(naming.listener_id(service.name), "AWS::ElasticLoadBalancingV2::Listener", _sorted(props))


def ingress_rule(service: Service, protocol: str, client: Client) -> Resource:
    if client.security_group:
        source = {"SourceSecurityGroupId": client.security_group}
    elif client.prefix_list:
        source = {"SourcePrefixListId": client.prefix_list}
    elif client.cidr and ":" in client.cidr:
        source = {"CidrIpv6": client.cidr}
    else:
        source = {"CidrIp": client.cidr}
    acknowledge = ()
    if client.allow_anywhere:
        acknowledge = (("AwsSolutions::AwsSolutions-EC23", f"The config asks for {client.cidr} explicitly (allow_anywhere: true on an internet-facing NLB)."),)
    return Resource(
        naming.ingress_rule_id(service.name, protocol, client.key),
        "AWS::EC2::SecurityGroupIngress",
        _sorted(
            {
                "Description": f"{service.name} listener {service.listener_port}/{protocol} from {client.description or client.source}",
                "FromPort": service.listener_port,
                "GroupId": SECURITY_GROUP_ID_ATTR,
                "IpProtocol": protocol,
                "ToPort": service.listener_port,
                **source,
            }
        ),
        acknowledge,
    )


def resources(config: Config) -> list[Resource]:
    """Every resource, in template order: shared ones, egress rules, then each service by name, so
    reordering services in the file leaves the template byte-identical."""
    found = [security_group(config), load_balancer(config)]
    found += [egress_rule(config, protocol, port) for protocol, port in egress_rules(config.services)]
    for service in sorted(config.services, key=lambda s: s.name):
        found += [target_group(config, service), listener(config, service)]
        found += [ingress_rule(service, protocol, client) for client in config.clients_of(service) for protocol in service.port_spaces]
    return found


def outputs(config: Config) -> list[Output]:
    found = [
        Output(
            naming.target_group_output_key(s.name),
            ("Ref", naming.target_group_id(s.name)),
            f"Target group of {s.name} ({s.namespace}/{s.k8s_service}:{s.service_port})",
        )
        for s in sorted(config.services, key=lambda s: s.name)
    ]
    found += [
        Output(naming.LOAD_BALANCER_ARN_OUTPUT, ("Ref", naming.LOAD_BALANCER_ID), "ARN of the shared NLB"),
        Output(naming.LOAD_BALANCER_DNS_OUTPUT, ("GetAtt", naming.LOAD_BALANCER_ID, "DNSName"), "DNS name clients connect to"),
        Output(naming.SECURITY_GROUP_OUTPUT, ("GetAtt", naming.SECURITY_GROUP_ID, "GroupId"), "Security group of the NLB (source of the bindings' networking.ingress)"),
        Output(naming.VPC_ID_OUTPUT, config.network.vpc_id, "VPC of the NLB and its target groups"),
    ]
    return found
