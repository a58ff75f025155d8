"""What `shared-nlb destroy` takes away with a stack, read from what is deployed: its resources by
owner (the load balancer and what it shares, then each service's), and the TargetGroupBindings that
must leave the GitOps tree first.

A binding names its target group by ARN, and the controller keeps trying to register pods in a group
that is gone, so the bindings go from the tree (and the cluster) before the stack. Their names come
from the deployed target groups' ARNs through `naming.binding_name`, as the manifests command names
them, so they are the objects the tree holds, staged replacements included.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from shared_nlb import naming
from shared_nlb.changeset import ResourceLabels

TARGET_GROUP_TYPE = "AWS::ElasticLoadBalancingV2::TargetGroup"
# What a deleted resource of a half-deleted stack reports: it is gone already.
_GONE = "DELETE_COMPLETE"


@dataclass(frozen=True)
class Inventory:
    """One stack's resources that a deletion takes away, and the bindings to remove first."""

    stack_name: str
    shared: tuple[str, ...]
    "One line per resource of no service: its label and physical ID."
    services: tuple[tuple[str, str], ...]
    "(service, what of it goes: `listener, target group, ingress rule (2)`), by service name."
    bindings: tuple[str, ...]
    "`namespace/name` of every TargetGroupBinding of the stack's target groups, sorted."
    unbound: tuple[str, ...]
    "Target groups of no service of the config: their bindings cannot be named here."
    count: int
    "How many resources go."

    def lines(self) -> list[str]:
        """The inventory as the lines `destroy` prints under the stack's name."""
        out = [f"  {line}" for line in self.shared]
        out += [f"  service {name}: {what}" for name, what in self.services]
        if self.bindings:
            out.append("  TargetGroupBindings to remove from the GitOps tree (and the cluster) first, as their target groups go:")
            out += [f"    {binding}" for binding in self.bindings]
        out += [f"  target group {line}: of no service in the config; remove the binding that names it first" for line in self.unbound]
        return out


def inventory(stack_name: str, resources: Iterable[Mapping[str, Any]], labels: ResourceLabels, namespaces: Mapping[str, str]) -> Inventory:
    """The inventory of `resources` (DescribeStackResources' `StackResources`); `namespaces` maps each
    service of the config to its Kubernetes namespace."""
    shared: list[str] = []
    kinds: dict[str, Counter[str]] = {}
    bindings: list[str] = []
    unbound: list[str] = []
    count = 0
    for resource in sorted(resources, key=lambda r: r.get("LogicalResourceId", "")):
        logical_id, physical_id = resource.get("LogicalResourceId", ""), resource.get("PhysicalResourceId") or ""
        owner = labels.service(logical_id)
        # A target group a half-done deletion took away still has its binding in the tree.
        if resource.get("ResourceType") == TARGET_GROUP_TYPE and physical_id:
            if owner is not None and owner[0] in namespaces:
                bindings.append(f"{namespaces[owner[0]]}/{naming.binding_name(owner[0], physical_id)}")
            else:
                unbound.append(f"{logical_id} ({physical_id})")
        if resource.get("ResourceStatus") == _GONE:
            continue
        count += 1
        if owner is None:
            shared.append(f"{labels(logical_id)}: {physical_id}" if physical_id else labels(logical_id))
        else:
            kinds.setdefault(owner[0], Counter())[owner[1]] += 1
    services = tuple((name, ", ".join(kind if n == 1 else f"{kind} ({n})" for kind, n in counted.items())) for name, counted in sorted(kinds.items()))
    shared.sort(key=lambda line: (not line.startswith("the "), line))  # the load balancer and what it owns first
    return Inventory(stack_name, tuple(shared), services, tuple(sorted(bindings)), tuple(unbound), count)
