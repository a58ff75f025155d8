"""What the config points at, created on the stand-in, and the config rewritten to the created IDs (gap 6).

moto cannot take custom IDs, so the config's VPC, subnets, client security groups and prefix lists are
created anew and the config is mapped onto their IDs; the demo prints the mapping.
"""

from __future__ import annotations

from typing import Any

from shared_nlb.config import Config
from shared_nlb.standin.server import StandIn


def create_network(standin: StandIn, config: Config) -> tuple[Config, dict[str, str]]:
    """Gap 6: moto cannot take custom IDs. Creates what the config points at: a VPC (the config's
    CIDR), one subnet per configured subnet (each in its own Availability Zone), and a security group
    or prefix list per client source; returns the config with the stand-in IDs in place of the
    configured ones, and the mapping {configured ID: stand-in ID}."""
    import ipaddress

    ec2 = standin.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock=config.network.vpc_cidr)["Vpc"]["VpcId"]
    mapping = {config.network.vpc_id: vpc_id}
    cidr = ipaddress.ip_network(config.network.vpc_cidr)
    blocks = cidr.subnets(new_prefix=min(cidr.prefixlen + 4, 28))
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    for index, subnet in enumerate(config.network.subnet_ids):
        created = ec2.create_subnet(VpcId=vpc_id, CidrBlock=str(next(blocks)), AvailabilityZone=zones[index % len(zones)])
        mapping[subnet] = created["Subnet"]["SubnetId"]
    clients = list(config.clients) + [c for s in config.services for c in s.clients or []]
    for client in clients:
        if client.security_group and client.security_group not in mapping:
            group = ec2.create_security_group(GroupName=f"client-{client.security_group}", Description=f"stands for {client.security_group}", VpcId=vpc_id)
            mapping[client.security_group] = group["GroupId"]
        if client.prefix_list and client.prefix_list not in mapping:
            created = ec2.create_managed_prefix_list(PrefixListName=f"client-{client.prefix_list}", MaxEntries=1, AddressFamily="IPv4")
            mapping[client.prefix_list] = created["PrefixList"]["PrefixListId"]
    return _mapped(config, mapping), mapping


def _mapped(config: Config, mapping: dict[str, str]) -> Config:
    def client(c: Any) -> Any:
        return c.model_copy(update={k: mapping[v] for k in ("security_group", "prefix_list") if (v := getattr(c, k)) in mapping})

    network = config.network.model_copy(update={"vpc_id": mapping[config.network.vpc_id], "subnet_ids": [mapping[s] for s in config.network.subnet_ids]})
    services = [s.model_copy(update={"clients": [client(c) for c in s.clients]}) if s.clients else s for s in config.services]
    return config.model_copy(update={"network": network, "clients": [client(c) for c in config.clients], "services": services})
