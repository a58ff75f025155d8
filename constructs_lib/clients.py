"""Who may connect: a construct's `clients` (ec2.IConnectable or ec2.IPeer) as security group rule
sources, each with a key for readable logical IDs.

Keys come from the client itself (its CIDR, prefix list or security group ID, or the construct's
path), never from its position in a list, so reordering clients changes no logical ID.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_cdk import Names, Token
from aws_cdk import aws_ec2 as ec2

from shared_nlb import naming


@dataclass(frozen=True)
class RuleSource:
    """One source of an ingress rule: `key` for logical IDs, `properties` for CfnSecurityGroupIngress
    (exactly one of cidr_ip, cidr_ipv6, source_prefix_list_id, source_security_group_id), and a
    `label` for rule descriptions."""

    key: str
    properties: dict[str, Any]
    label: str


@dataclass(frozen=True)
class Described:
    """A client with the text its rules' descriptions name it by (default: its CIDR, prefix list or
    security group ID): `Described(ecs_tasks_sg, "ECS Fargate tasks")`."""

    client: ec2.IConnectable | ec2.IPeer
    description: str


Client = ec2.IConnectable | ec2.IPeer | Described


def sources(client: Client, label: str | None = None) -> list[RuleSource]:
    """The rule sources of one client: one per security group of a connectable, one for a peer."""
    if isinstance(client, Described):
        return sources(client.client, client.description)
    # Every IPeer is an IConnectable too; a CIDR or prefix-list peer's connections hold no group.
    groups = list(client.connections.security_groups) if hasattr(client, "connections") else []
    if groups:
        found = []
        for group in groups:
            group_id = group.security_group_id
            literal = not Token.is_unresolved(group_id)
            key = naming.pascal(group_id) if literal else Names.unique_id(group)
            found.append(RuleSource(key, {"source_security_group_id": group_id}, label or (group_id if literal else group.node.path)))
        return found
    if not hasattr(client, "to_ingress_rule_config"):
        raise ValueError(f"client {client} has no security group: allow it by CIDR (ec2.Peer.ipv4) instead")
    rule = client.to_ingress_rule_config()
    properties = {k: getattr(rule, k) for k in ("cidr_ip", "cidr_ipv6", "source_prefix_list_id", "source_security_group_id") if getattr(rule, k) is not None}
    unique = client.unique_id
    if Token.is_unresolved(unique):
        raise ValueError(
            "a client peer whose value is a token has no readable key for its rules' logical IDs; "
            "pass the security group itself (ec2.SecurityGroup.from_security_group_id(...)) or a literal CIDR or prefix list"
        )
    if "cidr_ip" in properties or "cidr_ipv6" in properties:
        key = naming.client_key(cidr=unique)
    else:
        key = naming.pascal(unique)
    return [RuleSource(key, properties, label or unique)]
