"""`clusters[].controller_version`: the AWS Load Balancer Controller release a cluster runs, and the
TargetGroupBinding fields its CRD has.

A field the installed CRD does not list is refused by `kubectl apply` (strict field validation) or
pruned by the API server (structural schemas drop unknown fields). A pruned `multiClusterTargetGroup`
is the worst case: the controller then treats the binding as the only owner of its target group and
deregisters every target it did not register, the other cluster's pods included. So a cluster that
states its version gets every field its bindings would carry checked against the release that first
has it; without `controller_version` nothing is checked (the version is unknown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Semantic Versioning 2.0.0 (semver.org, "Is there a suggested regular expression"), with the leading
# `v` the controller's release tags and its Helm chart's appVersion carry (`v2.12.0`) allowed.
SEMVER = (
    r"v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?"
)
SELF_MANAGED = "aws-load-balancer-controller"
AUTO_MODE = "eks-auto-mode"
CONTROLLERS = (SELF_MANAGED, AUTO_MODE)
# The TargetGroupBinding each controller serves ("Use Service Annotations to configure Network Load
# Balancers", TargetGroupBinding table: elbv2.k8s.aws/v1beta1 -> eks.amazonaws.com/v1).
API_VERSIONS = {SELF_MANAGED: "elbv2.k8s.aws/v1beta1", AUTO_MODE: "eks.amazonaws.com/v1"}
# Where the differences of EKS Auto Mode's load balancing controller are documented (Amazon EKS User
# Guide): "Use Service Annotations to configure Network Load Balancers" (TargetGroupBinding table),
# "Configure multi-cluster target groups" and "Load balancing" under "Learn about VPC Networking and
# Load Balancing in EKS Auto Mode" (considerations).
AUTO_MODE_SOURCE = "Amazon EKS User Guide: auto-configure-nlb, auto-multi-cluster-target-groups, auto-networking"
SEMVER_TEXT = "a semantic version of the AWS Load Balancer Controller, such as v2.12.0 (its Helm chart's appVersion)"


@dataclass(frozen=True)
class Feature:
    """TargetGroupBinding spec fields that arrived together in one controller release."""

    fields: tuple[str, ...]
    "The spec fields, as the CRD names them."
    since: str
    "The first release whose CRD (config/crd/bases/elbv2.k8s.aws_targetgroupbindings.yaml) has them."
    source: str
    "The upstream change that added them to the CRD."

    @property
    def name(self) -> str:
        return " and ".join(self.fields)


# Each floor is the first release tag containing the commit that added the field to the CRD
# (kubernetes-sigs/aws-load-balancer-controller, `git log -S` on the CRD file, then `git tag --contains`),
# and the tag before it has no such field.
VPC_ID = Feature(("vpcID",), "v2.8.0", "#3479, targets outside the cluster's VPC")
MULTI_CLUSTER = Feature(("multiClusterTargetGroup",), "v2.10.0", "#3853, multi-cluster TargetGroupBindings")
# Not written by shared-nlb (its bindings name the target group by ARN); listed for the docs' table.
TARGET_GROUP_NAME = Feature(("targetGroupName",), "v2.11.0", "#3903, TargetGroupBinding by target group name")
ASSUME_ROLE = Feature(("iamRoleArnToAssume", "assumeRoleExternalId"), "v2.12.0", "#3691 and #4026, cross-account target groups")
FEATURES = (VPC_ID, MULTI_CLUSTER, TARGET_GROUP_NAME, ASSUME_ROLE)


def version_key(version: str) -> tuple[int, int, int, int]:
    """Order of precedence for comparing with a release: a pre-release comes before its release
    (semver.org, item 11: 2.12.0-rc.1 < 2.12.0); build metadata is ignored."""
    match = re.fullmatch(SEMVER, version)
    if match is None:
        raise ValueError(f"not a semantic version: {version!r}")
    major, minor, patch, pre = match.group(1, 2, 3, 4)
    return int(major), int(minor), int(patch), 0 if pre else 1


def lacking(version: str, wanted: list[tuple[Feature, str]]) -> list[tuple[Feature, str]]:
    """The (feature, why it is wanted) pairs of `wanted` that release `version` does not have."""
    return [(feature, why) for feature, why in wanted if version_key(version) < version_key(feature.since)]
