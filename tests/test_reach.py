"""Reach and operations: `dns`, `privatelink` and `alarms` in the config (each rule both ways), the
exact resources one rich config gives (synthesized once), and the construct's methods for services
added before and after them."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from shared_nlb.config import ConfigError, parse_config
from tests.factories import base_dict

ZONE = "Z0123456789ABCDEFGHIJ"
TOPIC = "arn:aws:sns:ap-northeast-2:111111111111:platform-alerts"
ACCOUNT = "arn:aws:iam::333333333333:root"
ROLE = "arn:aws:iam::444444444444:role/consumer"


def reach_dict() -> dict[str, Any]:
    """Two services on a dualstack NLB with all three keys: the one rich config these tests synthesize."""
    data = base_dict(
        [
            {"name": "redis", "namespace": "data", "service_port": 6380, "listener_port": 6379},
            {"name": "kafka-bootstrap", "namespace": "kafka", "service_port": 9092, "listener_port": 9092},
        ]
    )
    data["name"] = "reach"
    data["load_balancer"] = {"ip_address_type": "dualstack"}
    data["dns"] = {"zone_name": "internal.example.com", "zone_id": ZONE}
    data["privatelink"] = {"allowed_principals": [ACCOUNT, ROLE]}
    data["alarms"] = {"topic_arn": TOPIC}
    return data


@pytest.fixture(scope="session")
def reach_template(synth) -> dict:
    return json.loads(synth(reach_dict()))


def problems_of(data: Any) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(data, file="c.yaml")
    return [str(p) for p in caught.value.problems]


def with_reach(**sections: Any) -> dict[str, Any]:
    data = base_dict()
    data.update(copy.deepcopy(sections))
    return data


# --- config: each rule both ways --------------------------------------------------------------------
def test_reach_keys_are_optional_with_secure_defaults() -> None:
    assert (parse_config(base_dict()).dns, parse_config(base_dict()).privatelink, parse_config(base_dict()).alarms) == (None, None, None)
    config = parse_config(reach_dict())
    assert config.dns is not None and config.dns.record_name("redis") == "redis.internal.example.com"
    assert config.privatelink is not None
    assert (config.privatelink.acceptance_required, config.privatelink.allow_any_principal, config.privatelink.enforce_inbound_rules) == (True, False, False)
    assert config.alarms is not None and config.alarms.evaluation_periods == 2


@pytest.mark.parametrize(
    "sections",
    [
        {"dns": {"zone_name": "a.b", "zone_id": "Z1"}},
        {"dns": {"zone_name": "x" * 63 + ".example.com", "zone_id": "Z" + "A" * 31}},
        {"privatelink": {"allowed_principals": [ACCOUNT, ROLE, "arn:aws:iam::555555555555:user/ops", "arn:aws-cn:iam::666666666666:root"]}},
        {"privatelink": {"allowed_principals": ["*"], "allow_any_principal": True}},
        {"privatelink": {"allowed_principals": [ACCOUNT], "acceptance_required": False, "enforce_inbound_rules": True}},
        {"alarms": {"topic_arn": "arn:aws:sns:us-east-1:111111111111:alerts.fifo", "evaluation_periods": 60}},
        {"alarms": {"topic_arn": "arn:aws-us-gov:sns:us-gov-west-1:111111111111:a_b-c", "evaluation_periods": 1}},
    ],
)
def test_valid_reach_sections(sections: dict) -> None:
    """Each section at the edges of what is allowed is kept as written (the refused ones: below)."""
    config = parse_config(with_reach(**sections))
    for key, given in sections.items():
        parsed = getattr(config, key).model_dump()
        assert {field: parsed[field] for field in given} == given


@pytest.mark.parametrize(
    ("sections", "expected"),
    [
        (
            {"dns": {"zone_name": "Internal.Example.com.", "zone_id": ZONE}},
            ["c.yaml: dns.zone_name: 'Internal.Example.com.' is not valid; allowed: a DNS name such as internal.example.com: labels of 1-63 lowercase letters, digits and '-' (not at either end), joined by '.', no final dot, at most 253 characters"],
        ),
        (
            {"dns": {"zone_name": "internal.example.com", "zone_id": "/hostedzone/Z0123"}},
            ["c.yaml: dns.zone_id: '/hostedzone/Z0123' is not valid; allowed: a Route 53 hosted zone ID: 'Z' and up to 31 uppercase letters and digits, such as Z0123456789ABCDEFGHIJ (no /hostedzone/ prefix)"],
        ),
        ({"dns": {"zone_name": "internal.example.com", "zone_id": "z0123"}}, ["c.yaml: dns.zone_id: 'z0123' is not valid; allowed: a Route 53 hosted zone ID: 'Z' and up to 31 uppercase letters and digits, such as Z0123456789ABCDEFGHIJ (no /hostedzone/ prefix)"]),
        ({"dns": {"zone_name": "internal.example.com"}}, ["c.yaml: dns.zone_id: is required: The hosted zone's ID, such as Z0123456789ABCDEFGHIJ: the zone is imported, never created or looked up."]),
        (
            {"privatelink": {"allowed_principals": ["333333333333"]}},
            ["c.yaml: privatelink.allowed_principals[0]: '333333333333' is not valid; allowed: an IAM principal ARN: arn:aws:iam::<12 digits>:root (an account), :role/<name> or :user/<name>; or '*' with allow_any_principal: true"],
        ),
        ({"privatelink": {"allowed_principals": []}}, ["c.yaml: privatelink.allowed_principals: is empty; allowed: at least one item"]),
        ({"privatelink": {"allowed_principals": ["*"]}}, ["c.yaml: privatelink.allowed_principals: '*' lets every AWS account create an endpoint to this service; to ask for it, add allow_any_principal: true"]),
        (
            {"privatelink": {"allowed_principals": ["*"], "allow_any_principal": True, "acceptance_required": False}},
            ["c.yaml: privatelink.acceptance_required: false with '*' in allowed_principals connects every AWS account that asks, unreviewed; allowed: true, or list the principals"],
        ),
        ({"privatelink": {"allowed_principals": [ACCOUNT], "allow_any_principal": True}}, ["c.yaml: privatelink.allow_any_principal: is only for '*' in allowed_principals; remove it"]),
        ({"privatelink": {"allowed_principals": [ACCOUNT, ACCOUNT]}}, [f"c.yaml: privatelink.allowed_principals[1]: '{ACCOUNT}' is listed twice; remove one"]),
        (
            {"alarms": {"topic_arn": "arn:aws:sns:ap-northeast-2:1111:alerts"}},
            ["c.yaml: alarms.topic_arn: 'arn:aws:sns:ap-northeast-2:1111:alerts' is not valid; allowed: an SNS topic ARN: arn:aws:sns:<region>:<12-digit account>:<topic name>"],
        ),
        ({"alarms": {"topic_arn": TOPIC, "evaluation_periods": 0}}, ["c.yaml: alarms.evaluation_periods: 0 is out of range; allowed: 1-60 minutes"]),
    ],
)
def test_bad_reach_sections_get_exact_lines(sections: dict, expected: list[str]) -> None:
    assert problems_of(with_reach(**sections)) == expected


def test_record_names_stay_within_253_characters() -> None:
    # Route 53, "DNS domain name format": 255 bytes on the wire, 253 characters written out.
    zone = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 57])  # 249 characters: valid as a zone
    near = with_reach(dns={"zone_name": zone, "zone_id": ZONE})
    near["services"] = [{"name": "abc", "service_port": 1, "listener_port": 1}]  # abc. + 249 = 253
    parse_config(near)
    far = copy.deepcopy(near)
    far["services"].append({"name": "abcd", "service_port": 2, "listener_port": 2})  # 254
    assert [p.split(": ", 1)[1] for p in problems_of(far)] == [
        f"dns.zone_name: gives services[1] 'abcd' the record name abcd.{'a' * 35}... of 254 characters; allowed: at most 253 (Route 53, 'DNS domain name format'); shorten the zone or service name"
    ]


def test_the_alarm_topic_is_in_the_stacks_region_when_it_is_known() -> None:
    # An alarm notifies only a topic of its own region (PutMetricAlarm AlarmActions).
    data = with_reach(alarms={"topic_arn": "arn:aws:sns:us-east-1:111111111111:platform-alerts"}, stack={"region": "ap-northeast-2"})
    assert problems_of(data) == [
        "c.yaml: alarms.topic_arn: is a topic in us-east-1, but the alarms are in the stack's region ap-northeast-2 (stack.region), and a CloudWatch alarm only notifies a topic of its own region; allowed: an SNS topic in ap-northeast-2"
    ]
    parse_config(with_reach(alarms={"topic_arn": TOPIC}, stack={"region": "ap-northeast-2"}))
    parse_config(with_reach(alarms={"topic_arn": "arn:aws:sns:us-east-1:111111111111:platform-alerts"}))  # environment-agnostic: not known


def test_an_entrys_alarm_topic_is_checked_at_the_entrys_path() -> None:
    from tests.test_load_balancers import multi, problems

    data = multi(stack={"region": "ap-northeast-2"}, alarms={"topic_arn": TOPIC})
    data["load_balancers"][1]["alarms"] = {"topic_arn": "arn:aws:sns:eu-west-1:111111111111:public-alerts"}
    assert problems(data) == [
        "load_balancers[1].alarms.topic_arn: is a topic in eu-west-1, but the alarms are in the stack's region ap-northeast-2 (stack.region), and a CloudWatch alarm only notifies a topic of its own region; allowed: an SNS topic in ap-northeast-2"
    ]
    data["load_balancers"][1]["alarms"]["topic_arn"] = TOPIC.replace("platform", "public")
    assert problems(data) == []


def narrowed(enforce: Any = None, redis_clients: list[dict] | None = None) -> dict[str, Any]:
    """PrivateLink on an NLB whose redis admits only one of the two sources kafka admits."""
    data = with_reach(privatelink={"allowed_principals": [ACCOUNT], **({} if enforce is None else {"enforce_inbound_rules": enforce})})
    data["clients"].append({"cidr": "10.20.0.0/16"})
    data["services"] = [
        {"name": "kafka", "service_port": 9092, "listener_port": 9092},
        {"name": "redis", "service_port": 6379, "listener_port": 6379, "clients": redis_clients or [{"security_group": "sg-0ec5000000000001a"}]},
    ]
    return data


def test_private_link_must_not_bypass_a_narrower_service_unless_the_file_says_so() -> None:
    # EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic off: inbound rules are not evaluated for
    # PrivateLink traffic (SetSecurityGroups), so an accepted endpoint would reach redis too.
    assert problems_of(narrowed()) == [
        "c.yaml: privatelink.enforce_inbound_rules: is unset (off), so every accepted PrivateLink endpoint reaches every listener, services[1] 'redis' too, whose own clients admit fewer sources than another listener; allowed: true (then list the consumers' client CIDRs in clients), or false written out to accept that PrivateLink bypasses those clients"
    ]
    for enforce in (True, False):  # said explicitly, either way
        parse_config(narrowed(enforce))
    # own clients as wide as every other listener's: nothing to bypass
    parse_config(narrowed(redis_clients=[{"security_group": "sg-0ec5000000000001a"}, {"cidr": "10.20.0.0/16"}, {"cidr": "10.30.0.0/16"}]))
    no_link = narrowed()
    del no_link["privatelink"]
    parse_config(no_link)


def test_an_entrys_private_link_names_the_entrys_key_and_the_files_service() -> None:
    from tests.test_load_balancers import multi, problems

    data = multi()
    data["load_balancers"][1]["privatelink"] = {"allowed_principals": [ACCOUNT]}
    data["services"].append({"name": "admin", "service_port": 8443, "listener_port": 8443, "load_balancer": "public", "clients": [{"cidr": "203.0.113.7/32"}]})
    assert problems(data) == [
        "load_balancers[1].privatelink.enforce_inbound_rules: is unset (off), so every accepted PrivateLink endpoint reaches every listener, services[4] 'admin' too, whose own clients admit fewer sources than another listener; allowed: true (then list the consumers' client CIDRs in clients), or false written out to accept that PrivateLink bypasses those clients"
    ]
    data["load_balancers"][1]["privatelink"]["enforce_inbound_rules"] = False
    assert problems(data) == []


def test_a_bad_service_hides_no_reach_rule() -> None:
    data = with_reach(privatelink={"allowed_principals": ["*"]})
    data["services"].append({"name": "Bad", "service_port": 1, "listener_port": 1})
    assert any("allow_any_principal: true" in line for line in problems_of(data))


# --- template: one rich config ----------------------------------------------------------------------
def test_logical_ids_from_service_names(reach_template: dict) -> None:
    added = {k for k, v in reach_template["Resources"].items() if v["Type"].split("::")[1] in ("Route53", "CloudWatch") or "Endpoint" in v["Type"]}
    assert added == {
        "RedisDnsRecord", "RedisDnsRecordAaaa", "KafkaBootstrapDnsRecord", "KafkaBootstrapDnsRecordAaaa",
        "RedisNoHealthyTargetsAlarm", "KafkaBootstrapNoHealthyTargetsAlarm",
        "EndpointService", "EndpointServicePermissions",
    }  # fmt: skip
    assert {"RedisDnsName", "KafkaBootstrapDnsName", "EndpointServiceName"} <= set(reach_template["Outputs"])


def test_alias_records_a_and_aaaa_to_the_nlb(reach_template: dict) -> None:
    alias = {
        "DNSName": {"Fn::Join": ["", ["dualstack.", {"Fn::GetAtt": ["LoadBalancer", "DNSName"]}]]},
        "HostedZoneId": {"Fn::GetAtt": ["LoadBalancer", "CanonicalHostedZoneID"]},
    }
    for kind, logical_id in (("A", "RedisDnsRecord"), ("AAAA", "RedisDnsRecordAaaa")):
        assert reach_template["Resources"][logical_id]["Properties"] == {
            "AliasTarget": alias,
            "Comment": "redis: data/redis behind the shared NLB",
            "HostedZoneId": ZONE,
            "Name": "redis.internal.example.com.",
            "Type": kind,
        }
    assert reach_template["Outputs"]["RedisDnsName"] == {"Description": "DNS name of redis (alias to the shared NLB)", "Value": "redis.internal.example.com"}


def test_only_a_dualstack_nlb_gets_aaaa_records(synth) -> None:
    data = reach_dict()
    del data["load_balancer"]
    resources = json.loads(synth(data))["Resources"]
    assert sorted(k for k, v in resources.items() if v["Type"] == "AWS::Route53::RecordSet") == ["KafkaBootstrapDnsRecord", "RedisDnsRecord"]


def test_endpoint_service_its_principals_and_the_private_link_setting(reach_template: dict) -> None:
    resources = reach_template["Resources"]
    assert resources["EndpointService"]["Properties"] == {"AcceptanceRequired": True, "NetworkLoadBalancerArns": [{"Ref": "LoadBalancer"}]}
    assert resources["EndpointServicePermissions"]["Properties"] == {"AllowedPrincipals": [ACCOUNT, ROLE], "ServiceId": {"Ref": "EndpointService"}}
    # PrivateLink traffic is not filtered by the listeners' rules: its source would be the consumer's
    # client's own IP ("Update the security groups for your Network Load Balancer", Considerations).
    assert resources["LoadBalancer"]["Properties"]["EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"] == "off"
    assert reach_template["Outputs"]["EndpointServiceName"]["Value"] == {"Fn::Join": [".", ["com.amazonaws.vpce", {"Ref": "AWS::Region"}, {"Ref": "EndpointService"}]]}


def test_no_private_link_setting_without_privatelink(example_template: dict) -> None:
    assert "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic" not in example_template["Resources"]["LoadBalancer"]["Properties"]


def test_no_healthy_targets_alarm(reach_template: dict) -> None:
    def part(index: int) -> dict:
        return {"Fn::Select": [index, {"Fn::Split": ["/", {"Ref": "RedisListener"}]}]}

    assert reach_template["Resources"]["RedisNoHealthyTargetsAlarm"]["Properties"] == {
        "AlarmActions": [TOPIC],
        "OKActions": [TOPIC],
        "AlarmDescription": "redis (data/redis:6380, listener 6379/TCP) has no healthy target: check its TargetGroupBinding, its pods' readiness, the security groups and the health check port",
        "AlarmName": "shared-nlb-reach-redis-no-healthy-targets",
        "ComparisonOperator": "LessThanThreshold",
        "DatapointsToAlarm": 2,
        "EvaluationPeriods": 2,
        "Dimensions": [
            {"Name": "LoadBalancer", "Value": {"Fn::Join": ["", [part(1), "/", part(2), "/", part(3)]]}},
            {"Name": "TargetGroup", "Value": {"Fn::GetAtt": ["RedisTargetGroup", "TargetGroupFullName"]}},
        ],
        "MetricName": "HealthyHostCount",
        "Namespace": "AWS/NetworkELB",
        "Period": 60,
        "Statistic": "Minimum",
        "Threshold": 1,
        "TreatMissingData": "breaching",
    }


def test_graph_shows_the_dns_names() -> None:
    from shared_nlb import graph

    text = graph.mermaid(parse_config(reach_dict()))
    assert '["redis.internal.example.com:6379/TCP"]' in text and "+ PrivateLink endpoint service" in text


# --- the construct: services added before and after -------------------------------------------------
def test_construct_methods_cover_services_added_before_and_after() -> None:
    from aws_cdk import App, Stack
    from aws_cdk import aws_ec2 as ec2
    from aws_cdk import aws_iam as iam
    from aws_cdk import aws_route53 as route53
    from aws_cdk import aws_sns as sns
    from aws_cdk.assertions import Template

    from constructs_lib import SharedNetworkLoadBalancer

    app = App(analytics_reporting=False, context={"aws:cdk:disable-creation-stack-traces": True})
    stack = Stack(app, "Edge")
    vpc = ec2.Vpc.from_vpc_attributes(stack, "Vpc", vpc_id="vpc-0a1b2c3d4e5f60718", vpc_cidr_block="10.0.0.0/16", availability_zones=["a", "b"], private_subnet_ids=["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"])
    shared = SharedNetworkLoadBalancer(stack, "Shared", vpc=vpc, clients=[ec2.Peer.ipv4("10.20.0.0/16")])
    shared.add_service("redis", service_port=6379, listener_port=6379)
    zone = route53.HostedZone.from_hosted_zone_attributes(stack, "Zone", hosted_zone_id=ZONE, zone_name="internal.example.com")
    shared.add_dns_records(zone)
    shared.add_alarms(sns.Topic.from_topic_arn(stack, "Topic", TOPIC))
    service = shared.add_endpoint_service(allowed_principals=[iam.ArnPrincipal(ACCOUNT)], enforce_inbound_rules=True)
    shared.add_service("kafka", service_port=9092, listener_port=9092)
    with pytest.raises(ValueError, match="add_alarms: already called"):
        shared.add_alarms(sns.Topic.from_topic_arn(stack, "Other", TOPIC))
    assert sorted(shared.dns_records) == sorted(shared.alarms) == ["kafka", "redis"] and shared.endpoint_service is service
    template = Template.from_stack(stack).to_json()
    records = sorted(v["Properties"]["Name"] for v in template["Resources"].values() if v["Type"] == "AWS::Route53::RecordSet")
    assert records == ["kafka.internal.example.com.", "redis.internal.example.com."]
    alarms = sorted(v["Properties"]["AlarmName"] for v in template["Resources"].values() if v["Type"] == "AWS::CloudWatch::Alarm")
    assert alarms == ["Edge-Shared-kafka-no-healthy-targets", "Edge-Shared-redis-no-healthy-targets"]
    (balancer,) = [v["Properties"] for v in template["Resources"].values() if v["Type"] == "AWS::ElasticLoadBalancingV2::LoadBalancer"]
    assert balancer["EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"] == "on"
    # the construct's own outputs, as binding outputs are: path-based keys starting with the names
    assert {k[: -8] for k in template["Outputs"]} >= {"SharedRedisDnsName", "SharedKafkaDnsName", "SharedEndpointServiceName"}


def _shared_with_narrower_service(stack: Any, construct_id: str) -> Any:
    from aws_cdk import aws_ec2 as ec2

    from constructs_lib import SharedNetworkLoadBalancer

    vpc = ec2.Vpc.from_vpc_attributes(stack, f"{construct_id}Vpc", vpc_id="vpc-0a1b2c3d4e5f60718", vpc_cidr_block="10.0.0.0/16", availability_zones=["a"], private_subnet_ids=["subnet-0aaaaaaaaaaaaaaa1"])
    shared = SharedNetworkLoadBalancer(stack, construct_id, vpc=vpc, clients=[ec2.Peer.ipv4("10.20.0.0/16"), ec2.Peer.ipv4("10.30.0.0/16")])
    shared.add_service("kafka", service_port=9092, listener_port=9092)
    shared.add_service("redis", service_port=6379, listener_port=6379, clients=[ec2.Peer.ipv4("10.20.0.0/16")])
    return shared


def test_the_construct_refuses_private_link_past_a_narrower_service_unless_told() -> None:
    from aws_cdk import App, Stack
    from aws_cdk import aws_iam as iam

    app = App(analytics_reporting=False)
    stack = Stack(app, "Edge")
    for construct_id, enforce in (("Unset", None), ("Off", False), ("On", True)):
        shared = _shared_with_narrower_service(stack, construct_id)
        shared.add_endpoint_service(allowed_principals=[iam.ArnPrincipal(ACCOUNT)], **({} if enforce is None else {"enforce_inbound_rules": enforce}))
    _shared_with_narrower_service(stack, "NoLink")
    with pytest.raises(RuntimeError) as error:
        app.synth()
    lines = [line.strip() for line in str(error.value).splitlines() if line.strip().startswith("[")]
    assert lines == [
        "[Edge/Unset] service 'redis': its own clients admit fewer sources than another listener, but every accepted PrivateLink endpoint reaches it (add_endpoint_service: enforce_inbound_rules unset, so off); pass enforce_inbound_rules=True, or False to accept that"
    ]


def test_from_config_passes_an_explicit_false(synth) -> None:
    template = json.loads(synth(narrowed(False)))
    assert template["Resources"]["LoadBalancer"]["Properties"]["EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"] == "off"


def test_the_construct_refuses_an_alarm_topic_of_another_region_when_both_are_known() -> None:
    from aws_cdk import App, Environment, Stack
    from aws_cdk import aws_ec2 as ec2
    from aws_cdk import aws_sns as sns

    from constructs_lib import SharedNetworkLoadBalancer

    app = App(analytics_reporting=False)
    other = "arn:aws:sns:us-east-1:111111111111:platform-alerts"
    for stack_id, region, topic_arn in (("Far", "ap-northeast-2", other), ("Near", "ap-northeast-2", TOPIC), ("Agnostic", None, other)):
        stack = Stack(app, stack_id, env=Environment(region=region) if region else None)
        vpc = ec2.Vpc.from_vpc_attributes(stack, "Vpc", vpc_id="vpc-0a1b2c3d4e5f60718", vpc_cidr_block="10.0.0.0/16", availability_zones=["a"], private_subnet_ids=["subnet-0aaaaaaaaaaaaaaa1"])
        shared = SharedNetworkLoadBalancer(stack, "Shared", vpc=vpc)
        shared.add_service("redis", service_port=6379, listener_port=6379)
        shared.add_alarms(sns.Topic.from_topic_arn(stack, "Topic", topic_arn))
    local = Stack(app, "Local", env=Environment(region="eu-west-1"))  # a topic of the stack: its own region
    vpc = ec2.Vpc.from_vpc_attributes(local, "Vpc", vpc_id="vpc-0a1b2c3d4e5f60718", vpc_cidr_block="10.0.0.0/16", availability_zones=["a"], private_subnet_ids=["subnet-0aaaaaaaaaaaaaaa1"])
    shared = SharedNetworkLoadBalancer(local, "Shared", vpc=vpc)
    shared.add_service("redis", service_port=6379, listener_port=6379)
    shared.add_alarms(sns.Topic(local, "Topic"))
    with pytest.raises(RuntimeError) as error:
        app.synth()
    lines = [line.strip() for line in str(error.value).splitlines() if line.strip().startswith("[")]
    assert lines == [f"[Far/Shared] add_alarms: topic {other} is in us-east-1, but the alarms are in the stack's region ap-northeast-2; a CloudWatch alarm only notifies a topic of its own region"]


def test_an_alarm_name_over_255_characters_is_a_synth_error() -> None:
    from aws_cdk import App, Stack
    from aws_cdk import aws_ec2 as ec2
    from aws_cdk import aws_sns as sns

    from constructs_lib import SharedNetworkLoadBalancer

    app = App(analytics_reporting=False)
    stack = Stack(app, "Edge")
    vpc = ec2.Vpc.from_vpc_attributes(stack, "Vpc", vpc_id="vpc-0a1b2c3d4e5f60718", vpc_cidr_block="10.0.0.0/16", availability_zones=["a"], private_subnet_ids=["subnet-0aaaaaaaaaaaaaaa1"])
    for construct_id, prefix in (("Long", "p" * 233), ("Fits", "q" * 230)):  # 258 and exactly 255 characters
        shared = SharedNetworkLoadBalancer(stack, construct_id, vpc=vpc)
        shared.add_service("redis", service_port=6379, listener_port=6379)
        shared.add_alarms(sns.Topic.from_topic_arn(stack, f"{construct_id}Topic", TOPIC), alarm_name_prefix=prefix)
    with pytest.raises(RuntimeError) as error:
        app.synth()
    lines = [line.strip() for line in str(error.value).splitlines() if line.strip().startswith("[")]
    assert lines == [f"[Edge/Long] service 'redis': alarm name {'p' * 40}... is 258 characters; allowed: at most 255 (PutMetricAlarm AlarmName); give add_alarms a shorter alarm_name_prefix"]
