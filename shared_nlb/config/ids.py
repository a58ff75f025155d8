"""The AWS IDs a config names of things it does not create (its VPC and subnets, client security groups
and prefix lists, TLS certificates, hosted zones, its account), and the config with other IDs in their
place.

The AWS stand-in cannot take these IDs (moto makes its own), so it creates a resource for each and
keeps a map of them (`shared_nlb.mapped_ids` asks for it, `shared_nlb.standin.id_map` keeps it); a
command that talks to the stand-in then builds from `with_ids(config, its map)`. Pure: no AWS here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared_nlb.config.model import Config


def named_ids(config: Config) -> dict[str, Any]:
    """What the config points at, in config order, as JSON data the stand-in creates a stand-in for:

    - `account`: `stack.account` or None;
    - `vpc`: `{id, cidr}` of `network`;
    - `subnets`: lists of subnet IDs, `network.subnet_ids` first, then each `load_balancers` entry's
      own (each list holds one subnet per Availability Zone, as an NLB wants);
    - `security_groups`: the client security groups, `clients` first, then the entries' and the
      services' own, then the node security groups of EKS Auto Mode `clusters`;
    - `prefix_lists`: client prefix list -> the largest `max_entries` any client gives it;
    - `certificates`: TLS `certificate_arn` -> a domain name for the stand-in's certificate
      (`<first service>.<config name>.stand-in.invalid`; `.invalid` never resolves, RFC 2606);
    - `hosted_zones`: `dns.zone_id` (top level, then the entries') -> its `zone_name`.
    """
    entries = config.load_balancers or []
    subnets = [list(config.network.subnet_ids)] + [list(e.subnet_ids) for e in entries if e.subnet_ids]
    clients = list(config.clients) + [c for e in entries for c in e.clients or []] + [c for s in config.services for c in s.clients or []]
    prefix_lists: dict[str, int] = {}
    for client in clients:
        if client.prefix_list:
            prefix_lists[client.prefix_list] = max(prefix_lists.get(client.prefix_list, 1), client.max_entries or 1)
    certificates: dict[str, str] = {}
    for service in config.services:
        if service.certificate_arn:
            certificates.setdefault(service.certificate_arn, f"{service.name}.{config.name}.stand-in.invalid")
    zones = {dns.zone_id: dns.zone_name for dns in [config.dns] + [e.dns for e in entries] if dns is not None}
    return {
        "account": config.stack.account,
        "vpc": {"id": config.network.vpc_id, "cidr": config.network.vpc_cidr},
        "subnets": subnets,
        "security_groups": list(dict.fromkeys([c.security_group for c in clients if c.security_group] + [c.node_security_group for c in config.clusters or [] if c.node_security_group])),
        "prefix_lists": prefix_lists,
        "certificates": certificates,
        "hosted_zones": zones,
    }


def with_ids(config: Config, ids: Mapping[str, str]) -> Config:
    """`config` with each ID that `ids` maps (configured ID -> other ID) replaced, wherever
    `named_ids` finds it; every other field as it was."""
    if not ids:
        return config

    def one(value: Any) -> Any:
        return ids.get(value, value) if isinstance(value, str) else value

    def client(c: Any) -> Any:
        return c.model_copy(update={k: one(getattr(c, k)) for k in ("security_group", "prefix_list")})

    def clients(items: Any) -> Any:
        return None if items is None else [client(c) for c in items]

    def dns(d: Any) -> Any:
        return None if d is None else d.model_copy(update={"zone_id": one(d.zone_id)})

    def service(s: Any) -> Any:
        return s.model_copy(update={"clients": clients(s.clients), "certificate_arn": one(s.certificate_arn)})

    def entry(e: Any) -> Any:
        subnets = None if e.subnet_ids is None else [one(s) for s in e.subnet_ids]
        return e.model_copy(update={"clients": clients(e.clients), "dns": dns(e.dns), "subnet_ids": subnets})

    update: dict[str, Any] = {
        "stack": config.stack.model_copy(update={"account": one(config.stack.account)}),
        "network": config.network.model_copy(update={"vpc_id": one(config.network.vpc_id), "subnet_ids": [one(s) for s in config.network.subnet_ids]}),
        "clients": clients(config.clients),
        "services": [service(s) for s in config.services],
        "dns": dns(config.dns),
    }
    if config.clusters is not None:
        update["clusters"] = [c.model_copy(update={"node_security_group": one(c.node_security_group)}) for c in config.clusters]
    if config.load_balancers is not None:
        update["load_balancers"] = [entry(e) for e in config.load_balancers]
    return config.model_copy(update=update)
