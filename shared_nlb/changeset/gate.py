"""`plan --fail-on-replace`: which replacements in a change set cost connectivity.

CloudFormation replaces a resource by creating the new one first, pointing its dependents at it and
deleting the old one in the clean-up phase ("Update behaviors of stack resources", Replacement). For
a security group rule (`AWS::EC2::SecurityGroupIngress`/`Egress`, where every property but the
description forces a replacement) that is a swap: the new rule admits traffic before the old one is
revoked, and nothing refers to a rule's ID. Every other replacement costs connectivity: a new load
balancer has a new DNS name; a listener is re-created on its port; a new target group has no pods
until its new binding registers them (`targetGroupARN` is immutable in the controller); the pods
admit the NLB by its security group's ID (the bindings' `networking.ingress`). A resource type
shared-nlb does not know counts as costly, so the gate errs on the side of stopping.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared_nlb.changeset.labels import ResourceLabels
from shared_nlb.changeset.plan import Change, Plan

SWAPPED_IN_PLACE = frozenset({"AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"})


@dataclass(frozen=True)
class ReplaceGate:
    """The verdict of `--fail-on-replace` on a plan: the replacements that fail it, those that do not."""

    costly: tuple[Change, ...]
    swapped: tuple[Change, ...]

    @classmethod
    def of(cls, plan: Plan) -> ReplaceGate:
        replaced = sorted((c for c in plan.changes if c.replaced), key=lambda c: c.logical_id)
        return cls(tuple(c for c in replaced if c.resource_type not in SWAPPED_IN_PLACE), tuple(c for c in replaced if c.resource_type in SWAPPED_IN_PLACE))

    @property
    def fails(self) -> bool:
        return bool(self.costly)

    def message(self, labels: ResourceLabels) -> str | None:
        """One line: what failed the gate (by service) and what it did not count; None for a plan that replaces nothing."""
        swaps = f"{len(self.swapped)} security group rule(s) swapped in place (the new rule admits traffic before the old one goes)" if self.swapped else ""
        if self.costly:
            names = ", ".join(labels(c.logical_id) for c in self.costly)
            return f"--fail-on-replace: {len(self.costly)} replacement(s) cost connectivity: {names}" + (f"; not counted: {swaps}" if swaps else "")
        return f"--fail-on-replace: passes; not counted: {swaps}" if swaps else None
