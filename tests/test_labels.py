"""Failure lines name the service behind a logical ID: `shared_nlb.changeset.labels`, the naming
functions read backwards."""

from __future__ import annotations

import json

import pytest

from shared_nlb import naming
from shared_nlb.changeset import ResourceLabels
from tests.factories import ROOT, example_dict

SERVICES = ("redis", "redis-cache", "kafka", "redis-ingress-tcp-from-x")


@pytest.mark.parametrize(
    ("logical_id", "label"),
    [
        ("LoadBalancer", "the load balancer (LoadBalancer)"),
        ("LoadBalancerSecurityGroup", "the load balancer's security group (LoadBalancerSecurityGroup)"),
        ("RedisTargetGroup", "target group of service redis (RedisTargetGroup)"),
        ("RedisListener", "listener of service redis (RedisListener)"),
        ("RedisCacheListener", "listener of service redis-cache (RedisCacheListener)"),
        (naming.ingress_rule_id("redis", "tcp", "Sg0abc"), "ingress rule of service redis (RedisIngressTcpFromSg0abc)"),
        (naming.ingress_rule_id("redis-cache", "udp", "Cidr10x20x0x0x16"), "ingress rule of service redis-cache (RedisCacheIngressUdpFromCidr10x20x0x0x16)"),
        # a service's own ID wins over another service's rule prefix it happens to start with
        ("RedisIngressTcpFromXListener", "listener of service redis-ingress-tcp-from-x (RedisIngressTcpFromXListener)"),
        (naming.staged_target_group_id("redis", "1a2b3c4d"), "target group of service redis (RedisTargetGroup1a2b3c4d)"),  # staged beside the live one
        (naming.egress_rule_id("tcp", 6380), "egress rule to tcp port 6380 (EgressToTcp6380)"),
        (naming.egress_rule_id("udp", 53, "100.64.0.0/16"), "egress rule to udp port 53 (EgressToUdp53ToCidr100x64x0x0x16)"),
        (naming.path_mtu_rule_id("Sg0abc"), "path MTU discovery rule (PathMtuDiscoveryFromSg0abc)"),
        (naming.dns_record_id("redis"), "DNS record of service redis (RedisDnsRecord)"),
        (naming.dns_record_id("redis-cache", ipv6=True), "DNS record (AAAA) of service redis-cache (RedisCacheDnsRecordAaaa)"),
        (naming.alarm_id("kafka"), "no-healthy-targets alarm of service kafka (KafkaNoHealthyTargetsAlarm)"),
        (naming.ENDPOINT_SERVICE_ID, "the endpoint service (EndpointService)"),
        (naming.ENDPOINT_SERVICE_PERMISSIONS_ID, "the endpoint service's allowed principals (EndpointServicePermissions)"),
        (naming.controller_role_id("green"), "controller role of a cluster in another account (GreenControllerRole)"),
        ("CDKMetadata", "CDKMetadata"),
        ("OpenobserveListener", "OpenobserveListener"),  # not a service of this config
    ],
)
def test_labels_name_the_owner(logical_id, label):
    assert ResourceLabels(SERVICES)(logical_id) == label


def test_every_resource_of_a_config_stack_has_an_owner():
    resources = json.loads((ROOT / "tests" / "data" / "previous" / "shared-nlb-rich.template.json").read_text())["Resources"]
    labels = ResourceLabels(["dns", "kafka", "redis", "syslog"])
    assert [logical_id for logical_id in resources if labels(logical_id) == logical_id] == []
    assert ResourceLabels(s["name"] for s in example_dict()["services"])("OpenobserveListener") == "listener of service openobserve (OpenobserveListener)"


def test_event_lines_and_failures():
    labels = ResourceLabels(["redis"])
    failed = {"LogicalResourceId": "RedisListener", "ResourceType": "AWS::ElasticLoadBalancingV2::Listener", "ResourceStatus": "CREATE_FAILED", "ResourceStatusReason": "CertificateNotFound:\n Certificate 'x' not found"}
    assert labels.event(failed) == "CREATE_FAILED listener of service redis (RedisListener): CertificateNotFound: Certificate 'x' not found"
    assert labels.failure(failed) == "listener of service redis (RedisListener): CertificateNotFound: Certificate 'x' not found"
    stack = {"LogicalResourceId": "shared-nlb-core", "ResourceType": "AWS::CloudFormation::Stack", "ResourceStatus": "ROLLBACK_COMPLETE"}
    assert labels.event(stack) == "ROLLBACK_COMPLETE stack shared-nlb-core"


def test_mentioned_ids_only_with_an_owner():
    reason = "Template format error: Unresolved resource dependencies [RedisTargetGroup] in the Resources block; Redis Listener LoadBalancerArn"
    assert ResourceLabels(["redis"]).mentioned(reason) == ["target group of service redis (RedisTargetGroup)"]


def test_service_of_a_logical_id():
    labels = ResourceLabels(SERVICES)
    found = {i: labels.service(i) for i in ("RedisCacheListener", "RedisDnsRecord", naming.staged_target_group_id("kafka", "1a2b3c4d"), "LoadBalancer", "GreenControllerRole", "OpenobserveListener")}
    assert found == {
        "RedisCacheListener": ("redis-cache", "listener"),
        "RedisDnsRecord": ("redis", "DNS record"),
        "KafkaTargetGroup1a2b3c4d": ("kafka", "target group"),
        "LoadBalancer": None,
        "GreenControllerRole": None,
        "OpenobserveListener": None,
    }
