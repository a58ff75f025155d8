"""Make-before-break replacement of target groups: a deploy never points a listener at a group without
healthy targets (DESIGN.md, "Safe changes, on every path").

CloudFormation replaces a target group whose port or protocol changes and points the listener at the
new, empty group in the same update: the service has no targets until the new TargetGroupBinding is
applied and its pods pass health checks. So the replacement is part of what is synthesized, from the
config and the state file (`shared_nlb.config.state.resolve`, `constructs_lib.DeployedTargetGroup`),
on every path, `cdk deploy` included:

1. stage: the config asks for other replacing properties than the live group has; the new group is
   synthesized beside the live one under a logical ID of its own (`naming.staged_target_group_id`),
   and the listener forwards to the live group with weight 1 and to the new one with weight 0. A group
   no listener reaches is not health checked (its targets stay `unused`, DescribeTargetHealth
   reference); attached with weight 0 it is health checked and takes no traffic (NLB weighted target
   groups, weights 0-999). The outputs name both groups, so `shared-nlb manifests` renders both
   bindings;
2. wait: while the new group has no healthy target, or fewer than the live one, nothing moves and
   the deploy says what it waits for;
3. switch: once it has, `shared-nlb deploy` (and no other path) records the new group as the live one
   in the state file; the next synthesis forwards to it only, and the old group and its rules go;
   `manifests` then prunes the old binding.

A config that goes back to the live group's properties cancels the staging (the staged group, which
never carried traffic, is removed). This module decides the switch; it changes nothing but the state.
"""

from __future__ import annotations

from typing import Any
from dataclasses import dataclass, replace

from shared_nlb.config import Config
from shared_nlb.config.state import ServiceState, State
from shared_nlb.deploy.read_deployed import HealthyTargets



@dataclass(frozen=True)
class Step:
    """What a deploy does for one service's replaced target group, and what it waits for."""

    service: str
    phase: str  # stage | wait | switch | cancel
    live: str  # logical ID of the group that takes the traffic now
    new: str  # logical ID of the replacement
    healthy_live: int | None = None
    healthy_new: int | None = None

    def describe(self) -> str:
        if self.phase == "stage":
            return (
                f"service {self.service}: its target group must be replaced; this deploy creates {self.new} beside {self.live} "
                f"(the listener keeps forwarding to {self.live}; {self.new} gets weight 0 and is health checked). "
                "Next: render the manifests, apply the new binding, and deploy again once its pods are healthy"
            )
        if self.phase == "wait":
            return (
                f"service {self.service}: waiting for {self.new} to have healthy targets ({self.healthy_new} healthy, "
                f"{self.live} has {self.healthy_live}); apply the staged binding from the manifests and deploy again"
            )
        if self.phase == "switch":
            return (
                f"service {self.service}: {self.new} has {self.healthy_new} healthy target(s) ({self.live} has {self.healthy_live}); "
                f"this deploy switches the listener to it and removes {self.live}. Next: render the manifests (the old binding is pruned)"
            )
        return f"service {self.service}: the config is back to {self.live}'s settings; the staged {self.new}, which never took traffic, is removed"


def ready(healthy_new: int, healthy_live: int) -> bool:
    """Whether the listener may move to the new group: it has healthy targets, at least as many as the
    live one. A live group with none (an incident) is no reason to move to a group whose binding may
    not even be applied yet."""
    return healthy_new >= max(1, healthy_live)


def steps(config: Config, deployed: State, healthy: HealthyTargets) -> tuple[Config, list[Step]]:
    """(the config with every ready replacement switched in its state, one Step per service whose
    target group is being replaced). `deployed` is what the stacks hold (`read_deployed.read`);
    `config`'s state already agrees with it."""
    found: list[Step] = []
    switched: dict[str, ServiceState] = {}
    for service in sorted(config.services, key=lambda s: s.name):
        now = deployed.of(service.name)
        if now.live is None:
            continue  # a new service: nothing to replace
        live, staged = config.target_groups(service)
        if staged is None:
            if now.staged is not None:
                found.append(Step(service.name, "cancel", now.live.logical_id, now.staged.logical_id))
            continue
        if now.staged is None or now.staged.logical_id != staged.logical_id:
            found.append(Step(service.name, "stage", live.logical_id, staged.logical_id))
            continue
        healthy_live, healthy_new = healthy(service.name, live.logical_id), healthy(service.name, staged.logical_id)
        if ready(healthy_new, healthy_live):
            found.append(Step(service.name, "switch", live.logical_id, staged.logical_id, healthy_live, healthy_new))
            switched[service.name] = replace(config.state.of(service.name), live=staged, staged=None)
        else:
            found.append(Step(service.name, "wait", live.logical_id, staged.logical_id, healthy_live, healthy_new))
    if not switched:
        return config, found
    return config.with_state(State({**config.state.services, **switched})), found


def show_steps(console: Any, steps: list[Step]) -> None:
    """One line per service whose target group is being replaced in stages: what this run does, and
    what the next one waits for."""
    for step in steps:
        console.print(f"[bold]staged replacement[/]: {step.describe()}")

