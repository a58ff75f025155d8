"""`clusters:`: the Kubernetes clusters whose AWS Load Balancer Controllers bind the target groups
(DESIGN.md, "Several load balancers, several clusters").

Without the key there is one cluster and the manifests tree is what it has always been. With it, each
cluster gets its own tree (`<out>/<cluster>/...`) and binds every target group in multi-cluster mode,
however many clusters are listed (blue/green cluster upgrades never flip the flag, see
`shared_nlb.manifests.MULTI_CLUSTER`), and a cluster in another account reaches them through an IAM
role the NLB's stack creates for its controller.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, PlainValidator

from shared_nlb import naming
from shared_nlb.config import controller as lbc
from shared_nlb.config.fields import DnsName1035, SecurityGroupId, _one_of, _pattern

# An IAM role ARN as IAM issues them: arn:<partition>:iam::<account>:role/<path/><name>, the name
# 1-64 of [A-Za-z0-9+=,.@_-] (IAM API reference, CreateRole RoleName and Path; IAM User Guide, "IAM
# and AWS STS quotas", name requirements).
ROLE_ARN = r"arn:aws[a-z-]*:iam::(\d{12}):role/([A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{1,64}"
_ROLE_ARN_TEXT = "an IAM role ARN (arn:aws:iam::<account>:role/<name>): the cluster's AWS Load Balancer Controller role"
# STS AssumeRole ExternalId: 2-1224 characters of [\w+=,.@:/-] (STS API reference, AssumeRole,
# ExternalId "Length Constraints: Minimum length of 2. Maximum length of 1224", "Pattern:
# [\w+=,.@:/-]*"; IAM User Guide, "IAM and AWS STS quotas": no spaces). `\w` is ASCII there.
EXTERNAL_ID = r"[A-Za-z0-9_+=,.@:/-]{2,1224}"
_EXTERNAL_ID_TEXT = "2-1224 letters, digits and _+=,.@:/- (STS AssumeRole ExternalId)"


def default_external_id(config_name: str, cluster_name: str) -> str:
    """`shared-nlb:core:green`: deterministic, so regenerating the manifests or the stack never
    changes it, and never empty (an empty `assumeRoleExternalId` makes the controller's AssumeRole
    fail, aws-load-balancer-controller #4656)."""
    return f"shared-nlb:{config_name}:{cluster_name}"


class Cluster(BaseModel):
    """One entry of `clusters:`: a Kubernetes cluster whose controller binds every target group."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: DnsName1035
    "Unique DNS label: the cluster's folder in the manifests tree, and the IDs of its IAM role."
    controller_role_arn: Annotated[str | None, PlainValidator(_pattern(ROLE_ARN, _ROLE_ARN_TEXT))] = None
    "A cluster in another AWS account: its AWS Load Balancer Controller's IAM role. The stack then creates a role that this one may assume to register targets. Default: none (the cluster is in the NLB's account and its controller's own permissions apply)."
    external_id: Annotated[str | None, PlainValidator(_pattern(EXTERNAL_ID, _EXTERNAL_ID_TEXT))] = None
    "With controller_role_arn only: the external ID the created role's trust policy requires and the bindings pass. Default: `shared-nlb:<config name>:<cluster name>`."
    controller: Annotated[str, PlainValidator(_one_of(*lbc.CONTROLLERS))] = lbc.SELF_MANAGED
    "Which controller binds the target groups: `aws-load-balancer-controller` (installed by you, its bindings `elbv2.k8s.aws/v1beta1`) or `eks-auto-mode` (EKS Auto Mode's managed load balancing, its bindings `eks.amazonaws.com/v1`). Default: aws-load-balancer-controller."
    controller_version: Annotated[str | None, PlainValidator(_pattern(lbc.SEMVER, lbc.SEMVER_TEXT))] = None
    "The AWS Load Balancer Controller release the cluster runs (`v2.12.0`): a binding field its TargetGroupBinding CRD lacks is refused. Default: unknown, nothing checked."
    node_security_group: SecurityGroupId | None = None
    "With `controller: eks-auto-mode` only, and required there: the security group of the cluster's nodes (its NodeClass's, by default the cluster security group `eks-cluster-sg-*`). The stack opens it to the NLB's group on the target and health check ports, since Auto Mode's bindings carry no `networking` rules."

    @property
    def auto_mode(self) -> bool:
        return self.controller == lbc.AUTO_MODE

    @property
    def cross_account(self) -> bool:
        return self.controller_role_arn is not None

    @property
    def controller_account(self) -> str | None:
        match = re.fullmatch(ROLE_ARN, self.controller_role_arn or "")
        return match.group(1) if match else None

    def external_id_of(self, config_name: str) -> str | None:
        """The external ID of a cross-account cluster (given or default); None otherwise."""
        if not self.cross_account:
            return None
        return self.external_id or default_external_id(config_name, self.name)

    def problems(self, path: str, account: str | None) -> list[tuple[str, str]]:
        found = []
        if self.external_id is not None and not self.cross_account:
            found.append((f"{path}.external_id", "is only for a cluster in another account; add controller_role_arn or remove it"))
        # A controller in the NLB's own account registers targets with its own permissions: the
        # controller assumes a role only for target groups of another account (aws-load-balancer-
        # controller docs, TargetGroupBinding, "AssumeRole (Cross-Account TargetGroups)").
        if account is not None and self.controller_account == account:
            found.append((f"{path}.controller_role_arn", f"is in the NLB's own account ({account}, stack.account); a cluster in this account needs no role: remove controller_role_arn"))
        found += self._auto_mode_problems(path) if self.auto_mode else self._self_managed_problems(path)
        found += self._version_problems(path)
        return found

    def _auto_mode_problems(self, path: str) -> list[tuple[str, str]]:
        """What EKS Auto Mode's bindings cannot carry, and what its template needs (`lbc.AUTO_MODE_SOURCE`)."""
        found = []
        # Auto Mode's TargetGroupBinding differs from the self-managed one by what AWS documents
        # ("Use Service Annotations to configure Network Load Balancers", TargetGroupBinding table;
        # "Configure multi-cluster target groups", Amazon EKS Auto Mode considerations). Neither page
        # lists iamRoleArnToAssume / assumeRoleExternalId: the managed controller acts with the
        # cluster IAM role, so a target group in another account is out of its reach.
        if self.cross_account:
            found.append((f"{path}.controller_role_arn", "is not supported by EKS Auto Mode (its TargetGroupBinding has no iamRoleArnToAssume; the managed controller acts with the cluster IAM role in the NLB's account); remove it, or use controller: aws-load-balancer-controller"))
        # The managed controller is upgraded by AWS; it has no release the user states.
        if self.controller_version is not None:
            found.append((f"{path}.controller_version", "is the self-managed AWS Load Balancer Controller's release; EKS Auto Mode's controller is managed by AWS and has none: remove it"))
        # "spec.networking.ingress.from: Not supported" (TargetGroupBinding table, same page): nothing
        # in the cluster opens the pods to the NLB, so the stack does, on the nodes' security group.
        if self.node_security_group is None:
            found.append((f"{path}.node_security_group", "is missing; an EKS Auto Mode cluster's bindings carry no networking rules, so the stack must open its nodes' security group (the NodeClass's, by default eks-cluster-sg-*) to the NLB: give its sg- ID"))
        return found

    def _self_managed_problems(self, path: str) -> list[tuple[str, str]]:
        if self.node_security_group is None:
            return []
        return [(f"{path}.node_security_group", "is only for controller: eks-auto-mode; the AWS Load Balancer Controller opens the pods to the NLB itself (the bindings' networking.ingress): remove it")]

    def _wanted_features(self, path: str) -> list[tuple[lbc.Feature, str]]:
        """The binding fields this cluster's bindings carry, each with the config field that asks for it."""
        wanted = [
            (lbc.VPC_ID, "network.vpc_id: every binding names the target group's VPC"),
            (lbc.MULTI_CLUSTER, "clusters: every binding of a config with clusters: carries it"),
        ]
        if self.cross_account:
            wanted.append((lbc.ASSUME_ROLE, f"{path}.controller_role_arn"))
        return wanted

    def _version_problems(self, path: str) -> list[tuple[str, str]]:
        if self.controller_version is None:
            return []
        return [
            (
                f"{path}.controller_version",
                f"cluster {self.name!r} runs {self.controller_version}, whose TargetGroupBinding CRD has no {feature.name} (asked for by {why}); "
                f"allowed: {feature.since} or later (upgrade the controller and its CRDs first)",
            )
            for feature, why in lbc.lacking(self.controller_version, self._wanted_features(path))
        ]


def clusters_problems(clusters: list[tuple[int, Cluster]], account: str | None) -> list[tuple[str, str]]:
    """Rules of each cluster and between clusters; takes (index, cluster) so that it can run on the
    clusters that are valid on their own while other parts of the file are not."""
    found: list[tuple[str, str]] = []
    names: dict[str, int] = {}
    ids: dict[str, tuple[int, str]] = {}
    for index, cluster in clusters:
        path = f"clusters[{index}]"
        found += cluster.problems(path, account)
        if cluster.name in names:
            found.append((f"{path}.name", f"{cluster.name!r} is already used by clusters[{names[cluster.name]}]; names must be unique"))
            continue
        names[cluster.name] = index
        # The role's logical ID and output key derive from the name (`naming.controller_role_id`).
        pascal = naming.pascal(cluster.name)
        if pascal in ids:
            first, other = ids[pascal]
            found.append((f"{path}.name", f"{cluster.name!r} gives the same IDs ({pascal}) as clusters[{first}] {other!r}; rename one"))
        ids.setdefault(pascal, (index, cluster.name))
    return found
