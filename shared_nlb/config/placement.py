"""Which NLB holds each service when a `load_balancers:` entry grows past its `max_listeners`.

An entry `internal` becomes the NLBs `internal`, `internal-2`, `internal-3`, ... (its shards), all
with the entry's settings. A service's NLB is its DNS name and its clients' address, so the
assignment is sticky: once a service is placed it stays on its shard for as long as it stays in
the same entry, whatever is added or removed around it. Only new services are placed, each on the
lowest-numbered shard of its entry with room, else on a new shard.

The assignment lives in the state file committed beside the config (`shared_nlb.config.state`),
written by deploy and synth: GitOps review sees every placement, synthesis stays offline and
deterministic (the same config and file give the same templates on every machine), and `plan` can say
where a new service lands before anything is deployed. Reading it back from the deployed stacks on
every synthesis instead would make synthesis depend on an AWS account; it is read back only when the
file is lost (`shared_nlb.deploy.lookup`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence


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
