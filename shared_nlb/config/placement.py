"""Which NLB holds each service when a `load_balancers:` entry grows past its `max_listeners`.

An entry `internal` becomes the NLBs `internal`, `internal-2`, `internal-3`, ... (its shards), all
with the entry's settings. A service's NLB is its DNS name and its clients' address, so the
assignment is sticky: once a service is placed it stays on its shard for as long as it stays in
the same entry, whatever is added or removed around it. Only new services are placed, each on the
lowest-numbered shard of its entry with room, else on a new shard.

The assignment lives in a file committed beside the config (`<config>.placement.yaml`), written by
deploy and synth (`shared_nlb.placement_file`): GitOps review sees every placement, synthesis stays offline and deterministic
(the same config and file give the same templates on every machine), and `plan` can say where a new
service lands before anything is deployed. Reading it back from the deployed stacks instead would
make synthesis depend on an AWS account and make a service's NLB change if the stacks were read
from the wrong account or region. Without the file, every service is new and is placed in config order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

PLACEMENT_VERSION = 1
_SUFFIX = ".placement.yaml"
_HEADER = (
    "# Where shared-nlb placed each service: the NLB (shard) of its load balancer entry.\n"
    "# Written by shared-nlb deploy and synth, and by cdk synth; commit it beside the config. A placed\n"
    "# service never moves to another NLB while it stays in the same entry (its DNS name would change).\n"
)


def shard_name(entry: str, number: int) -> str:
    """`internal`, `internal-2`, ...: the first shard keeps the entry's name."""
    return entry if number == 1 else f"{entry}-{number}"


def shard_number(entry: str, shard: str) -> int | None:
    """The shard's number within `entry`, or None when `shard` is not one of the entry's shards."""
    if shard == entry:
        return 1
    match = re.fullmatch(re.escape(entry) + r"-([1-9]\d*)", shard)
    return int(match[1]) if match and int(match[1]) >= 2 else None


def place(entries: Sequence[tuple[str, int]], services: Iterable[tuple[str, str]], previous: Mapping[str, str]) -> dict[str, str]:
    """service name -> shard name.

    `entries`: (entry name, max listeners) in config order; `services`: (service name, entry name)
    in config order; `previous`: the committed assignment. A service keeps its previous shard when
    that shard belongs to its entry (a service moved to another entry by hand is placed anew there).
    Kept services are never moved, even past a lowered `max_listeners` (the config rules report that).
    """
    limits = dict(entries)
    services = list(services)
    placed: dict[str, str] = {}
    counts: dict[tuple[str, int], int] = {}
    for service, entry in services:
        shard = previous.get(service)
        number = shard_number(entry, shard) if shard is not None and entry in limits else None
        if number is not None:
            placed[service] = shard
            counts[(entry, number)] = counts.get((entry, number), 0) + 1
    for service, entry in services:
        if service in placed or entry not in limits:
            continue
        number = 1
        while counts.get((entry, number), 0) >= limits[entry]:
            number += 1
        placed[service] = shard_name(entry, number)
        counts[(entry, number)] = counts.get((entry, number), 0) + 1
    return placed


def path_beside(config_path: str | Path) -> Path:
    """`shared-nlb.yaml` -> `shared-nlb.placement.yaml`, in the config's folder."""
    path = Path(config_path)
    return path.with_name(path.name.removesuffix(".yaml").removesuffix(".yml") + _SUFFIX)


def text(placement: Mapping[str, str]) -> str:
    """The file's text: sorted, so the same assignment is the same bytes."""
    lines = [_HEADER, f"version: {PLACEMENT_VERSION}\n", "services:\n" if placement else "services: {}\n"]
    lines += [f"  {service}: {shard}\n" for service, shard in sorted(placement.items())]
    return "".join(lines)


def parse(data: object) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(service -> shard, problems as (path, message)) from the file's parsed YAML."""
    if data is None:
        return {}, []
    if not isinstance(data, Mapping):
        return {}, [("", f"is a {type(data).__name__}, not a mapping with version and services")]
    problems = []
    if data.get("version") != PLACEMENT_VERSION:
        problems.append(("version", f"{data.get('version')!r}; allowed: {PLACEMENT_VERSION}"))
    for key in sorted(set(map(str, data)) - {"version", "services"}):
        problems.append((key, "unknown key; allowed: version, services"))
    services = data.get("services") or {}
    if not isinstance(services, Mapping):
        return {}, problems + [("services", f"is a {type(services).__name__}, not a mapping of service name to NLB")]
    placement = {}
    for service, shard in services.items():
        if not isinstance(service, str) or not isinstance(shard, str):
            problems.append((f"services.{service}", f"{shard!r}; allowed: the name of an NLB of a load_balancers entry, such as internal-2"))
        else:
            placement[service] = shard
    return placement, problems
