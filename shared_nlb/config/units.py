"""One NLB of a config and its stack (`Config.units()`): what builds, deploys and binds one NLB."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shared_nlb.config.model import Config

# `services[i]` of a one-NLB config, to be said as the file's own index.
_UNIT_SERVICE = re.compile(r"(?<![.\w])services\[(\d+)\]")


@dataclass(frozen=True)
class Unit:
    """One NLB of a config and its stack: `config` is a one-NLB `Config` (the whole config when it has
    no `load_balancers:`), so everything that builds, deploys or binds one NLB works on it unchanged.
    `entry` is the index of its `load_balancers` entry (None for `load_balancer:`), `shard` its name
    in the placement, and `indexes` maps its services' positions to the file's `services[i]`."""

    config: Config
    entry: int | None = None
    shard: str | None = None
    indexes: tuple[int, ...] = ()
    own: frozenset[str] = frozenset()
    "The top-level sections the entry replaces with its own (`clients`, `dns`, `privatelink`, `alarms`)."
    adopted: bool = False
    "The NLB a `load_balancer:` config deployed (`adopt`): its config keeps the whole config's names."
    own_subnets: bool = False
    "The entry names its own `subnet_ids`: the unit's `network.subnet_ids` are the entry's."

    @property
    def stack_name(self) -> str:
        return self.config.stack_name

    def in_file(self, path: str, message: str) -> tuple[str, str]:
        """A problem of the unit's config, with the paths of the file's fields."""
        if self.entry is None:
            return path, message
        entry = f"load_balancers[{self.entry}]"
        path, message = (_UNIT_SERVICE.sub(lambda m: f"services[{self.indexes[int(m[1])]}]", text) for text in (path, message))
        if path == "load_balancer.name":  # only an adopted NLB has a name of its own
            path = f"{entry}.load_balancer_name"
        elif path.startswith("load_balancer."):
            path = entry + path.removeprefix("load_balancer")
        elif path.startswith("network.subnet_ids") and self.own_subnets:
            path, message = (text.replace("network.subnet_ids", f"{entry}.subnet_ids") for text in (path, message))
        elif path.split(".", 1)[0].split("[", 1)[0] in self.own:
            path = f"{entry}.{path}"
        elif path == "name" and not self.adopted:  # the NLB name derived from the config and entry names
            path, message = f"{entry}.name", message.replace("shorten it or set load_balancer.name", "shorten the config's or the entry's name")
        return path, message
