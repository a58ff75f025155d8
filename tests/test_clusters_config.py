"""`clusters:` in the config: defaults, and each rule with a compliant and a non-compliant case (exact lines)."""

from __future__ import annotations

from typing import Any

import pytest

from shared_nlb import crd
from shared_nlb.config import controller, parse_config
from tests.factories import base_dict, write
from tests.test_config import problems_of

OTHER = "arn:aws:iam::222222222222:role/aws-load-balancer-controller"
OWN = "arn:aws:iam::111111111111:role/aws-load-balancer-controller"


def with_clusters(clusters: Any, **stack: Any) -> dict:
    data = base_dict()
    data["clusters"] = clusters
    if stack:
        data["stack"] = stack
    return data


def test_no_clusters_key_means_the_one_cluster_tree() -> None:
    assert parse_config(base_dict()).clusters is None


def test_cluster_defaults() -> None:
    config = parse_config(with_clusters([{"name": "blue"}, {"name": "green", "controller_role_arn": OTHER}, {"name": "red", "controller_role_arn": OTHER, "external_id": "x1"}]))
    blue, green, red = config.clusters
    assert (blue.cross_account, blue.external_id_of("test")) == (False, None)
    # deterministic, non-empty: an empty assumeRoleExternalId breaks the controller's AssumeRole (#4656)
    assert (green.cross_account, green.controller_account, green.external_id_of("test")) == (True, "222222222222", "shared-nlb:test:green")
    assert red.external_id_of("test") == "x1"


def test_the_longest_external_id_and_every_allowed_character_are_valid() -> None:
    for external_id in ("a" * 1224, "Aa0_+=,.@:/-"):
        (green,) = parse_config(with_clusters([{"name": "green", "controller_role_arn": OTHER, "external_id": external_id}])).clusters
        assert green.external_id_of("test") == external_id  # kept whole, as the role's trust policy and the bindings need it
    # one more character, or one not allowed: the BAD table below (external-id-long, external-id-space)


def test_a_cluster_in_another_account_than_the_stack_is_valid() -> None:
    (green,) = parse_config(with_clusters([{"name": "green", "controller_role_arn": OTHER}], account="111111111111")).clusters
    assert (green.cross_account, green.controller_account) == (True, "222222222222")
    # an environment-agnostic stack: the account is unknown, nothing to compare; the role still is another account's
    (own,) = parse_config(with_clusters([{"name": "green", "controller_role_arn": OWN}])).clusters
    assert (own.cross_account, own.controller_account) == (True, "111111111111")


EXTERNAL_ID_TEXT = "allowed: 2-1224 letters, digits and _+=,.@:/- (STS AssumeRole ExternalId)"

BAD: list[tuple[str, dict, list[str]]] = [
    ("empty-list", with_clusters([]), ["c.yaml: clusters: is empty; allowed: at least one item"]),
    ("name-not-a-label", with_clusters([{"name": "Blue"}]), ["c.yaml: clusters[0].name: 'Blue' is not valid; allowed: a DNS label: 1-63 lowercase letters, digits and '-', starting with a letter, not ending with '-'"]),
    ("unique-names", with_clusters([{"name": "blue"}, {"name": "green"}, {"name": "blue"}]), ["c.yaml: clusters[2].name: 'blue' is already used by clusters[0]; names must be unique"]),
    ("unique-ids", with_clusters([{"name": "blue-1"}, {"name": "blue1"}]), ["c.yaml: clusters[1].name: 'blue1' gives the same IDs (Blue1) as clusters[0] 'blue-1'; rename one"]),
    ("role-arn-format", with_clusters([{"name": "green", "controller_role_arn": "arn:aws:iam::222222222222:user/lbc"}]), [
        "c.yaml: clusters[0].controller_role_arn: 'arn:aws:iam::222222222222:user/lbc' is not valid; allowed: an IAM role ARN (arn:aws:iam::<account>:role/<name>): the cluster's AWS Load Balancer Controller role"
    ]),
    ("role-in-own-account", with_clusters([{"name": "green", "controller_role_arn": OWN}], account="111111111111"), [
        "c.yaml: clusters[0].controller_role_arn: is in the NLB's own account (111111111111, stack.account); a cluster in this account needs no role: remove controller_role_arn"
    ]),
    ("external-id-without-role", with_clusters([{"name": "blue", "external_id": "abc"}]), ["c.yaml: clusters[0].external_id: is only for a cluster in another account; add controller_role_arn or remove it"]),
    ("external-id-short", with_clusters([{"name": "green", "controller_role_arn": OTHER, "external_id": "x"}]), [f"c.yaml: clusters[0].external_id: 'x' is not valid; {EXTERNAL_ID_TEXT}"]),
    ("external-id-long", with_clusters([{"name": "green", "controller_role_arn": OTHER, "external_id": "a" * 1225}]), [
        f"c.yaml: clusters[0].external_id: '{'a' * 76}... is not valid; {EXTERNAL_ID_TEXT}"  # cut to 80 characters
    ]),
    ("external-id-space", with_clusters([{"name": "green", "controller_role_arn": OTHER, "external_id": "a b"}]), [f"c.yaml: clusters[0].external_id: 'a b' is not valid; {EXTERNAL_ID_TEXT}"]),
    ("unknown-key", with_clusters([{"name": "green", "role_arn": OTHER}]), ["c.yaml: clusters[0].role_arn: unknown key 'role_arn'; allowed: name, controller_role_arn, external_id, controller, controller_version, node_security_group"]),
    # a rule between clusters is still checked beside a field error of another cluster, indices kept
    ("rules-beside-a-bad-cluster", with_clusters([{"name": "Bad"}, {"name": "blue"}, {"name": "blue"}]), [
        "c.yaml: clusters[0].name: 'Bad' is not valid; allowed: a DNS label: 1-63 lowercase letters, digits and '-', starting with a letter, not ending with '-'",
        "c.yaml: clusters[2].name: 'blue' is already used by clusters[1]; names must be unique",
    ]),
]


# --- controller_version: each floor with the release before it (refused) and the release itself (valid) ---
VERSION_TEXT = "allowed: a semantic version of the AWS Load Balancer Controller, such as v2.12.0 (its Helm chart's appVersion)"
MULTI = "multiClusterTargetGroup (asked for by clusters: every binding of a config with clusters: carries it); allowed: v2.10.0 or later (upgrade the controller and its CRDs first)"
ASSUME = "iamRoleArnToAssume and assumeRoleExternalId (asked for by clusters[{i}].controller_role_arn); allowed: v2.12.0 or later (upgrade the controller and its CRDs first)"
VPC = "vpcID (asked for by network.vpc_id: every binding names the target group's VPC); allowed: v2.8.0 or later (upgrade the controller and its CRDs first)"


def runs(version: Any, **cluster: Any) -> dict:
    return {"name": "blue", "controller_version": version, **cluster}


def test_controller_versions_that_have_every_field_the_bindings_carry_are_valid() -> None:
    for version in ("v2.10.0", "2.10.0", "v2.11.1", "v3.5.0", "v2.10.0+build.7"):
        parse_config(with_clusters([runs(version)]))
    for version in ("v2.12.0", "2.12.0", "v2.13.1", "v3.0.0"):
        parse_config(with_clusters([runs(version, name="green", controller_role_arn=OTHER)]))
    assert parse_config(with_clusters([{"name": "blue"}])).clusters[0].controller_version is None  # unknown: nothing checked


BAD += [
    ("version-before-multi-cluster", with_clusters([runs("v2.9.2")]), [f"c.yaml: clusters[0].controller_version: cluster 'blue' runs v2.9.2, whose TargetGroupBinding CRD has no {MULTI}"]),
    ("version-before-assume-role", with_clusters([{"name": "blue"}, runs("v2.11.0", name="green", controller_role_arn=OTHER)]), [
        f"c.yaml: clusters[1].controller_version: cluster 'green' runs v2.11.0, whose TargetGroupBinding CRD has no {ASSUME.format(i=1)}"
    ]),
    # a pre-release comes before its release (semver precedence)
    ("pre-release-of-the-floor", with_clusters([runs("v2.12.0-rc.1", name="green", controller_role_arn=OTHER)]), [
        f"c.yaml: clusters[0].controller_version: cluster 'green' runs v2.12.0-rc.1, whose TargetGroupBinding CRD has no {ASSUME.format(i=0)}"
    ]),
    # every field the release lacks, one line each
    ("version-before-every-field", with_clusters([runs("v2.7.2", name="green", controller_role_arn=OTHER)]), [
        f"c.yaml: clusters[0].controller_version: cluster 'green' runs v2.7.2, whose TargetGroupBinding CRD has no {ASSUME.format(i=0)}",
        f"c.yaml: clusters[0].controller_version: cluster 'green' runs v2.7.2, whose TargetGroupBinding CRD has no {MULTI}",
        f"c.yaml: clusters[0].controller_version: cluster 'green' runs v2.7.2, whose TargetGroupBinding CRD has no {VPC}",
    ]),
    ("version-not-semver", with_clusters([runs("v2.12")]), [f"c.yaml: clusters[0].controller_version: 'v2.12' is not valid; {VERSION_TEXT}"]),
    ("version-leading-zero", with_clusters([runs("v2.09.0")]), [f"c.yaml: clusters[0].controller_version: 'v2.09.0' is not valid; {VERSION_TEXT}"]),
    ("version-a-number", with_clusters([runs(2.12)]), [f"c.yaml: clusters[0].controller_version: 2.12 is not a string; {VERSION_TEXT}"]),
    # the version rule still runs beside another cluster's field error, its index kept
    ("version-beside-a-bad-cluster", with_clusters([{"name": "Bad"}, runs("v2.9.0")]), [
        "c.yaml: clusters[0].name: 'Bad' is not valid; allowed: a DNS label: 1-63 lowercase letters, digits and '-', starting with a letter, not ending with '-'",
        f"c.yaml: clusters[1].controller_version: cluster 'blue' runs v2.9.0, whose TargetGroupBinding CRD has no {MULTI}",
    ]),
]


def test_every_feature_field_is_in_the_vendored_crd() -> None:
    """The floors name fields as the CRD spells them (a misspelt one would never be refused)."""
    properties = crd.v1beta1_schema()["properties"]["spec"]["properties"]
    assert [f for feature in controller.FEATURES for f in feature.fields if f not in properties] == []
    assert [controller.version_key(f.since) for f in controller.FEATURES] == sorted(controller.version_key(f.since) for f in controller.FEATURES)


@pytest.mark.parametrize(("data", "expected"), [(d, e) for _, d, e in BAD], ids=[name for name, _, _ in BAD])
def test_bad_clusters_get_exact_lines(data: dict, expected: list[str]) -> None:
    assert problems_of(data) == expected


def test_a_controller_too_old_is_one_line_with_its_line_through_validate(tmp_path, capsys) -> None:
    from shared_nlb.cli import main

    data = with_clusters([{"name": "blue", "controller_version": "v2.12.0"}, {"name": "green", "controller_role_arn": OTHER, "controller_version": "v2.11.0"}])
    path = write(tmp_path, data, "c.yaml")
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "v2.11.0" in text)
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{path}:{line}: clusters[1].controller_version: cluster 'green' runs v2.11.0, whose TargetGroupBinding CRD has no {ASSUME.format(i=1)}"
    ]
