"""Reach and operations of a shared NLB: Route 53 alias records per service, the NLB as a PrivateLink
endpoint service, and a "no healthy target" alarm per service (DESIGN.md, "Reach and operations").

Builders of aws-cdk-lib L2 constructs, one job each; `SharedNetworkLoadBalancer.add_dns_records`,
`add_endpoint_service` and `add_alarms` call them for every service, the ones added later too.
Logical IDs start with the service's name (`RedisDnsRecord`, `RedisNoHealthyTargetsAlarm`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import Duration, Token
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as route53_targets
from aws_cdk import aws_sns as sns
from constructs import Construct

from constructs_lib.service import SharedService
from shared_nlb import naming

# PutMetricAlarm AlarmName: 1-255 characters (CloudWatch API reference).
MAX_ALARM_NAME = 255


@dataclass(frozen=True)
class DnsSettings:
    """What `add_dns_records` was given, kept for the services added later."""

    zone: route53.IHostedZone
    zone_name: str


@dataclass(frozen=True)
class AlarmSettings:
    """What `add_alarms` was given, kept for the services added later."""

    topic: sns.ITopic
    name_prefix: str
    period: Duration
    evaluation_periods: int


def record_name(service_name: str, zone_name: str) -> str:
    """`redis`, `internal.example.com` -> `redis.internal.example.com` (tokens welcome)."""
    return f"{service_name}.{zone_name}"


def dns_records(scope: Construct, handle: SharedService, load_balancer: elbv2.NetworkLoadBalancer, dns: DnsSettings, *, dualstack: bool) -> list[route53.RecordSet]:
    """The service's alias records to the NLB: A, and AAAA on a dualstack NLB. An alias record has
    one type, and for an ELB load balancer that is "A — IPv4 address or AAAA — IPv6 address" (Route 53,
    "Values specific for simple alias records", Record type): IPv6 clients need the AAAA record."""
    target = route53.RecordTarget.from_alias(route53_targets.LoadBalancerTarget(load_balancer))
    name = record_name(handle.name, dns.zone_name)
    comment = f"{handle.name}: {handle.namespace}/{handle.service} behind the shared NLB"
    records: list[route53.RecordSet] = [route53.ARecord(scope, naming.dns_record_id(handle.name), zone=dns.zone, record_name=name, target=target, comment=comment)]
    if dualstack:
        records.append(route53.AaaaRecord(scope, naming.dns_record_id(handle.name, ipv6=True), zone=dns.zone, record_name=name, target=target, comment=comment))
    return records


def endpoint_service(scope: Construct, load_balancer: elbv2.NetworkLoadBalancer, principals: Sequence[iam.ArnPrincipal], *, acceptance_required: bool) -> ec2.VpcEndpointService:
    """The NLB as a VPC endpoint service (`AWS::EC2::VPCEndpointService`), and the principals allowed
    to create endpoints to it (`AWS::EC2::VPCEndpointServicePermissions`)."""
    return ec2.VpcEndpointService(
        scope,
        "EndpointService",
        vpc_endpoint_service_load_balancers=[load_balancer],
        acceptance_required=acceptance_required,
        allowed_principals=list(principals) or None,
    )


def alarm_name(prefix: str, service_name: str) -> str:
    """`shared-nlb-core`, `redis` -> `shared-nlb-core-redis-no-healthy-targets`."""
    return f"{prefix}-{service_name}-no-healthy-targets"


def no_healthy_targets_alarm(scope: Construct, handle: SharedService, settings: AlarmSettings) -> cloudwatch.Alarm:
    """HealthyHostCount (AWS/NetworkELB, dimensions TargetGroup and LoadBalancer), Minimum below 1 for
    `evaluation_periods` periods in a row. Missing data breaches: ELB reports HealthyHostCount whenever
    health checks are enabled ("CloudWatch metrics for your Network Load Balancer", reporting
    criteria), which they always are here, so no data points means no target group to count, not a
    quiet one. The topic hears both the alarm and the recovery."""
    name = alarm_name(settings.name_prefix, handle.name)
    alarm = cloudwatch.Alarm(
        scope,
        naming.alarm_id(handle.name),
        alarm_name=name,
        alarm_description=(
            f"{handle.name} ({handle.namespace}/{handle.service}:{handle.service_port}, listener {handle.listener_port}/{handle.protocol}) "
            "has no healthy target: check its TargetGroupBinding, its pods' readiness, the security groups and the health check port"
        ),
        metric=handle.target_group.metrics.healthy_host_count(period=settings.period, statistic=cloudwatch.Stats.MINIMUM),
        threshold=1,
        comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluation_periods=settings.evaluation_periods,
        datapoints_to_alarm=settings.evaluation_periods,
        treat_missing_data=cloudwatch.TreatMissingData.BREACHING,
    )
    action = cloudwatch_actions.SnsAction(settings.topic)
    alarm.add_alarm_action(action)
    alarm.add_ok_action(action)
    return alarm


def alarm_name_problem(settings: AlarmSettings, service_name: str) -> str | None:
    name = alarm_name(settings.name_prefix, service_name)
    if Token.is_unresolved(name) or len(name) <= MAX_ALARM_NAME:
        return None
    return f"service {service_name!r}: alarm name {name[:40]}... is {len(name)} characters; allowed: at most {MAX_ALARM_NAME} (PutMetricAlarm AlarmName); give add_alarms a shorter alarm_name_prefix"


def alarm_topic_problem(settings: AlarmSettings, stack_region: str) -> str | None:
    """An alarm's actions are in its own region (CloudWatch: "Alarm actions must reside in the same
    region as the alarm"; PutMetricAlarm AlarmActions: `arn:aws:sns:<region>:<account-id>:<topic>`).
    Checked when both regions are literal (an imported topic's comes from its ARN)."""
    topic_region = settings.topic.env.region
    if Token.is_unresolved(topic_region) or Token.is_unresolved(stack_region) or topic_region == stack_region:
        return None
    return f"add_alarms: topic {settings.topic.topic_arn} is in {topic_region}, but the alarms are in the stack's region {stack_region}; a CloudWatch alarm only notifies a topic of its own region"
