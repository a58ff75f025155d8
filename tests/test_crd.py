"""shared_nlb.crd: the vendored CRD, its schema and the controller's webhook rules, each rule with a
compliant and a non-compliant case."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path

import pytest

from shared_nlb import crd
from tests.factories import ROOT

SOURCE_SHA256 = "0efbdd3d88d29abbdd6feb2c1329dceb5e1b7788644f2d9b0be9158589a98432"  # data/SOURCE.md

GOOD = {
    "apiVersion": "elbv2.k8s.aws/v1beta1",
    "kind": "TargetGroupBinding",
    "metadata": {"name": "redis-1a2b3c4d", "namespace": "data"},
    "spec": {
        "serviceRef": {"name": "redis", "port": 6380},
        "targetGroupARN": "arn:aws:elasticloadbalancing:ap-northeast-2:111111111111:targetgroup/t/0123456789abcdef",
        "targetType": "ip",
        "ipAddressType": "ipv4",
        "vpcID": "vpc-0a1b2c3d4e5f60718",
        "networking": {"ingress": [{"from": [{"securityGroup": {"groupID": "sg-0123456789abcdef0"}}], "ports": [{"port": 6380, "protocol": "TCP"}]}]},
    },
}


def changed(path: str, value: object) -> dict:
    """GOOD with the dotted `path` set to `value` (deleted when value is ...)."""
    doc = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    node = doc
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return doc


def test_vendored_crd_is_the_published_file():
    data = ROOT / "shared_nlb" / "data"
    assert hashlib.sha256((data / crd.CRD_FILE).read_bytes()).hexdigest() == SOURCE_SHA256
    assert SOURCE_SHA256 in (data / "SOURCE.md").read_text()


def test_vendored_crd_matches_shared_copy_when_present():
    shared = ROOT.parent / "shared" / "crds" / crd.CRD_FILE
    if not shared.exists():
        pytest.skip("../shared/crds is not checked out next to this clone (CI)")
    assert crd.crd_text().encode() == shared.read_bytes()


def test_good_binding_has_no_problems():
    assert crd.validate_binding(GOOD) == []


def test_port_name_is_allowed_as_int_or_string():
    assert crd.validate_binding(changed("spec.serviceRef.port", "redis")) == []


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("spec.targetType", "pod", "spec.targetType: 'pod' is not one of ['instance', 'ip'] (CRD schema)"),
        ("spec.ipAddressType", "dualstack", "spec.ipAddressType: 'dualstack' is not one of ['ipv4', 'ipv6'] (CRD schema)"),
        ("spec.serviceRef.port", 6.5, "spec.serviceRef.port: 6.5 is not valid under any of the given schemas (CRD schema)"),
        ("spec.serviceRef.name", ..., "spec.serviceRef: 'name' is a required property (CRD schema)"),
        ("spec.serviceRef", ..., "spec: 'serviceRef' is a required property (CRD schema)"),
        ("spec.networking.ingress.0.ports.0.protocol", "TCP_UDP", "spec.networking.ingress[0].ports[0].protocol: 'TCP_UDP' is not one of ['TCP', 'UDP'] (CRD schema)"),
        ("spec.networking.ingress.0.from", ..., "spec.networking.ingress[0]: 'from' is a required property (CRD schema)"),
        ("spec.vpcId", "vpc-1", "spec: Additional properties are not allowed ('vpcId' was unexpected) (CRD schema)"),
    ],
)
def test_schema_problems(path, value, expected):
    assert crd.validate_binding(changed(path, value)) == [expected]


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("apiVersion", "elbv2.k8s.aws/v1alpha1", "apiVersion: 'elbv2.k8s.aws/v1alpha1'; allowed: 'elbv2.k8s.aws/v1beta1' (the CRD's storage version)"),
        ("kind", "Service", "kind: 'Service'; allowed: 'TargetGroupBinding'"),
        ("metadata.name", "Redis_1", "metadata.name: 'Redis_1'; allowed: a DNS-1123 subdomain of at most 253 characters (generateName is not used: names must be stable)"),
        ("metadata.namespace", ..., "metadata.namespace: None; allowed: a DNS-1123 label (TargetGroupBinding is namespaced, and the binding must sit beside its Service)"),
        ("metadata.namespace", "a" * 64, f"metadata.namespace: {'a' * 64!r}; allowed: a DNS-1123 label (TargetGroupBinding is namespaced, and the binding must sit beside its Service)"),
        ("metadata.namespace", "data-", "metadata.namespace: 'data-'; allowed: a DNS-1123 label (TargetGroupBinding is namespaced, and the binding must sit beside its Service)"),
    ],
)
def test_api_server_problems(path, value, expected):
    assert crd.validate_binding(changed(path, value)) == [expected]


def test_namespace_label_of_63_characters_or_starting_with_a_digit_is_allowed():
    assert crd.validate_binding(changed("metadata.namespace", "a" * 63)) == []
    assert crd.validate_binding(changed("metadata.namespace", "0data")) == []


def test_webhook_requires_a_target_group():
    assert crd.validate_binding(changed("spec.targetGroupARN", ...)) == [
        "spec.targetGroupARN: missing; the controller's webhook requires targetGroupARN or targetGroupName"
    ]
    by_name = changed("spec.targetGroupARN", ...)
    by_name["spec"]["targetGroupName"] = "t"
    assert crd.validate_binding(by_name) == []


def test_webhook_forbids_node_selector_with_ip_targets():
    selector = {"matchLabels": {"pool": "a"}}
    assert crd.validate_binding(changed("spec.nodeSelector", selector)) == [
        "spec.nodeSelector: must not be set with targetType ip (the controller's webhook rejects it)"
    ]
    instance = changed("spec.nodeSelector", selector)
    instance["spec"]["targetType"] = "instance"
    assert crd.validate_binding(instance) == []


def test_every_problem_is_reported_at_once():
    doc = changed("spec.targetType", "pod")
    doc["kind"] = "Service"
    del doc["spec"]["targetGroupARN"]
    assert len(crd.validate_binding(doc)) == 3


def test_not_a_mapping():
    assert crd.validate_binding(["x"]) == ["(document): list, not a mapping"]


def test_one_target_group_takes_one_binding():
    other = changed("metadata.name", "redis-ffffffff")
    assert crd.validate_bindings([GOOD, other]) == [
        f"data/redis-ffffffff: spec.targetGroupARN: {GOOD['spec']['targetGroupARN']} is already bound by data/redis-1a2b3c4d; one target group takes one binding"
    ]
    assert crd.validate_bindings([GOOD]) == []


def test_the_cluster_fields_are_in_the_schema():
    """`clusters:` writes multiClusterTargetGroup, iamRoleArnToAssume and assumeRoleExternalId: the CRD
    takes them with their types, and a misspelt or mistyped one is a problem."""
    doc = copy.deepcopy(GOOD)
    doc["spec"].update(multiClusterTargetGroup=True, iamRoleArnToAssume="arn:aws:iam::111111111111:role/r", assumeRoleExternalId="shared-nlb:core:green")
    assert crd.validate_binding(doc) == []
    assert crd.validate_binding(changed("spec.multiClusterTargetGroup", "true")) == ["spec.multiClusterTargetGroup: 'true' is not of type 'boolean' (CRD schema)"]
    assert crd.validate_binding(changed("spec.iamRoleARNToAssume", "arn:aws:iam::111111111111:role/r")) == [
        "spec: Additional properties are not allowed ('iamRoleARNToAssume' was unexpected) (CRD schema)"
    ]


def test_several_bindings_of_one_target_group_must_all_be_multi_cluster():
    """The webhook's checkExistingTargetGroups: a second binding of a group is allowed only when every
    binding of it sets multiClusterTargetGroup."""
    multi, other = changed("spec.multiClusterTargetGroup", True), changed("metadata.name", "redis-ffffffff")
    assert crd.validate_bindings([multi, {**other, "spec": {**other["spec"], "multiClusterTargetGroup": True}}]) == []
    assert len(crd.validate_bindings([multi, other])) == 1
    assert len(crd.validate_bindings([GOOD, {**other, "spec": {**other["spec"], "multiClusterTargetGroup": True}}])) == 1


def test_schema_is_read_from_the_package_not_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # CI runs from anywhere; the CRD ships inside shared_nlb/data
    assert Path.cwd() == tmp_path
    assert hashlib.sha256(crd.crd_text().encode()).hexdigest() == SOURCE_SHA256
