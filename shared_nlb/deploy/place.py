"""What a deploy says of placement (`shared_nlb.config.placement` places, from the config and the
state): where each new service lands, before anything is deployed, so that a review sees it."""

from __future__ import annotations

from typing import Any

from shared_nlb.config import Config
from shared_nlb.config import state as states


def show_placement(console: Any, config: Config, config_path: str) -> None:
    """With `load_balancers`: the NLB each new service lands on (a service not in the committed
    state file), so that a review sees it before anything is deployed."""
    if not config.load_balancers:
        return
    placed = config.placement
    committed = config.committed_placement
    path = states.path_beside(config_path)
    if not committed:  # a first placement: one line per NLB rather than one per service
        for unit in config.units():
            console.print(f"placement: {len(unit.config.services)} service(s) on NLB {unit.shard} (stack {unit.stack_name}); recorded in {path}")
        return
    stacks = {unit.shard: unit.stack_name for unit in config.units()}
    for service in config.services:
        if committed.get(service.name) != placed[service.name]:
            console.print(f"placement: new service {service.name} lands on NLB {placed[service.name]} (stack {stacks[placed[service.name]]}); recorded in {path}")



def show_emptied(console: Any, config: Config, config_path: str) -> None:
    """One line per NLB whose last service left: its stack is updated to hold no listener, and it
    stays (with its DNS name) until it is retired on purpose."""
    for unit in config.units():
        if unit.shard is not None and not unit.config.services:
            console.print(
                f"NLB {unit.shard} (stack {unit.stack_name}) holds no service now: its listeners, target groups, rules, records and alarms go, "
                f"the NLB stays; retire it with `shared-nlb destroy {config_path} --nlb {unit.shard}`, or a new service of its entry lands there"
            )
