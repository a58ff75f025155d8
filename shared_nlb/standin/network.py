"""What the config points at, created on the stand-in, and the config's text with the created IDs (gap 6).

moto cannot take custom IDs, so the config's VPC, subnets, client security groups, prefix lists, TLS
certificates and hosted zones are created anew and mapped onto their IDs (`stand_ins`, for the IDs
`shared_nlb.config.ids.named_ids` lists). The running stand-in keeps that map and adds to it as
configs name new IDs (`shared_nlb.standin.id_map`); the demo and the tests map a config at once
(`create_network`); `shared-nlb standin --write-config` writes the config's own text with the
stand-in's IDs (`mapped_config_text`).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import Any

from shared_nlb.config import Config, ConfigError, load_yaml, parse_config
from shared_nlb.config.ids import named_ids, with_ids
from shared_nlb.errors import UserError
from shared_nlb.standin.server import StandIn


def create_network(standin: StandIn, config: Config) -> tuple[Config, dict[str, str]]:
    """Gap 6: moto cannot take custom IDs. Creates what the config points at (`stand_ins`) and
    returns the config with the stand-in IDs in place of the configured ones, and the mapping
    {configured ID: stand-in ID}, in config order."""
    mapping = stand_ins(standin, named_ids(config), {})
    return with_ids(config, mapping), mapping


def stand_ins(standin: StandIn, named: Mapping[str, Any], known: Mapping[str, str]) -> dict[str, str]:
    """{configured ID: stand-in ID} for every ID of `named` (`named_ids`' shape) that is not the
    stand-in's own already, in config order: from `known` (an earlier map) while the resource it names
    is still there, else newly created: a VPC of the config's CIDR; a subnet per configured subnet,
    each list spread over the Availability Zones its other subnets leave free; a security group or
    prefix list per client source; an issued ACM certificate per TLS `certificate_arn` of another
    account than the stand-in's; the private hosted zone `dns` names, associated with the VPC; and
    the account, when the config names one. Nothing is created when the VPC has no room for the
    subnets."""
    present = _Present(standin)
    mapping: dict[str, str] = {}

    def found(configured: str, kind: str) -> bool:
        """Whether `configured` maps to something there: its earlier stand-in, or itself (a config that
        holds the stand-in's own IDs, as a `--write-config` copy does)."""
        for candidate in (known.get(configured), configured):
            if candidate is not None and present.has(kind, candidate):
                if candidate != configured:
                    mapping[configured] = candidate
                return True
        return False

    vpc = named["vpc"]
    ec2 = standin.client("ec2")
    missing_subnets = [[s for s in subnets if not found(s, "subnet")] for subnets in named["subnets"]]
    if found(vpc["id"], "vpc"):
        vpc_id = mapping.get(vpc["id"], vpc["id"])
        cidr = ipaddress.ip_network(ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]["CidrBlock"])
    else:
        vpc_id, cidr = "", ipaddress.ip_network(vpc["cidr"])
    blocks = _free_blocks(ec2, vpc_id, cidr, named["subnets"], missing_subnets)
    if not vpc_id:
        vpc_id = ec2.create_vpc(CidrBlock=str(cidr))["Vpc"]["VpcId"]
        mapping[vpc["id"]] = vpc_id
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    # An NLB takes one subnet per Availability Zone (ELBv2 API reference, SetSubnets: "You can
    # specify only one subnet per Availability Zone"): a new subnet goes to a zone its list leaves free.
    for subnets, missing in zip(named["subnets"], missing_subnets):
        taken = [present.zone(mapping.get(s, s)) for s in subnets if s not in missing]
        free = [z for z in zones if z not in taken] or zones
        for index, subnet in enumerate(s for s in missing if s not in mapping):
            created = ec2.create_subnet(VpcId=vpc_id, CidrBlock=str(next(blocks)), AvailabilityZone=free[index % len(free)])
            mapping[subnet] = created["Subnet"]["SubnetId"]
            present.add("subnet", mapping[subnet])
    for group in named["security_groups"]:
        if not found(group, "security_group"):
            mapping[group] = ec2.create_security_group(GroupName=f"client-{group}", Description=f"stands for {group}", VpcId=vpc_id)["GroupId"]
    for prefix_list, entries in named["prefix_lists"].items():
        if not found(prefix_list, "prefix_list"):
            created = ec2.create_managed_prefix_list(PrefixListName=f"client-{prefix_list}", MaxEntries=entries, AddressFamily="IPv4")
            mapping[prefix_list] = created["PrefixList"]["PrefixListId"]
    own = standin.client("sts").get_caller_identity()["Account"]
    for arn, domain in named["certificates"].items():
        # An ARN of the stand-in's own account is its own: one it does not hold fails the deploy, as
        # a certificate the account lacks fails in AWS.
        if arn.split(":")[4:5] != [own] and not found(arn, "certificate"):
            mapping[arn] = _import_certificate(standin, arn, domain)
    for zone_id, zone_name in named["hosted_zones"].items():
        if not found(zone_id, "hosted_zone"):
            created = standin.client("route53").create_hosted_zone(
                Name=zone_name,
                CallerReference=f"shared-nlb-{standin.region}-{zone_id}",
                HostedZoneConfig={"Comment": f"stands for {zone_id}", "PrivateZone": True},
                VPC={"VPCRegion": standin.region, "VPCId": vpc_id},
            )
            mapping[zone_id] = created["HostedZone"]["Id"].rsplit("/", 1)[-1]
    account = named["account"]
    if account and account != own:  # the real `cdk` CLI refuses a stack whose account is not the credentials' one
        mapping[account] = own
    return _in_config_order(mapping, named)


def _free_blocks(ec2: Any, vpc_id: str, cidr: Any, lists: list[list[str]], missing: list[list[str]]) -> Any:
    """The CIDR blocks new subnets take, in order: of one size for every subnet the config names
    (`/28` at the smallest, the smallest AWS allows: Amazon VPC User Guide, "Subnet CIDR blocks"),
    skipping those the VPC's subnets hold; a `UserError` naming `network.vpc_cidr` when they do not fit."""
    count = len({s for subnets in lists for s in subnets})
    needed = len({s for subnets in missing for s in subnets})
    prefix = min(cidr.prefixlen + max(4, (count - 1).bit_length()), 28)
    used = [ipaddress.ip_network(s["CidrBlock"]) for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]] if vpc_id else []
    free = [block for block in cidr.subnets(new_prefix=prefix) if not any(block.overlaps(u) for u in used)]
    if len(free) < needed:
        where = "network.subnet_ids" if len(lists) == 1 else "network.subnet_ids and load_balancers[].subnet_ids"
        if used:
            raise UserError(f"network.vpc_cidr: {cidr} has room for {len(free)} more subnet(s) of /{prefix} beside the stand-in's {len(used)}, not the {needed} new of {where}")
        raise UserError(f"network.vpc_cidr: {cidr} has room for {len(free)} subnet(s) of /{prefix}, the smallest AWS allows, not the {count} of {where}")
    return iter(free)


def _in_config_order(mapping: dict[str, str], named: Mapping[str, Any]) -> dict[str, str]:
    order = [named["vpc"]["id"], *(s for subnets in named["subnets"] for s in subnets), *named["security_groups"], *named["prefix_lists"], *named["certificates"], *named["hosted_zones"], named["account"]]
    return {configured: mapping[configured] for configured in dict.fromkeys(order) if configured in mapping}


class _Present:
    """Whether a resource of the stand-in's region exists, asked once per ID."""

    # EC2's `Invalid<Resource>ID.NotFound` codes, ACM's ResourceNotFoundException, Route 53's NoSuchHostedZone.
    _ERRORS = ("NotFound", "NoSuchHostedZone")

    def __init__(self, standin: StandIn) -> None:
        self.standin = standin
        self._seen: dict[tuple[str, str], bool] = {}
        self._zones: dict[str, str] = {}

    def add(self, kind: str, resource_id: str) -> None:
        self._seen[(kind, resource_id)] = True

    def zone(self, subnet_id: str) -> str:
        """The Availability Zone of a subnet that exists."""
        if subnet_id not in self._zones:
            self._zones[subnet_id] = self.standin.client("ec2").describe_subnets(SubnetIds=[subnet_id])["Subnets"][0]["AvailabilityZone"]
        return self._zones[subnet_id]

    def has(self, kind: str, resource_id: str) -> bool:
        if (kind, resource_id) not in self._seen:
            self._seen[(kind, resource_id)] = self._describe(kind, resource_id)
        return self._seen[(kind, resource_id)]

    def _describe(self, kind: str, resource_id: str) -> bool:
        from botocore.exceptions import ClientError

        ec2 = self.standin.client("ec2")
        calls = {
            "vpc": lambda: ec2.describe_vpcs(VpcIds=[resource_id])["Vpcs"],
            "subnet": lambda: ec2.describe_subnets(SubnetIds=[resource_id])["Subnets"],
            "security_group": lambda: ec2.describe_security_groups(GroupIds=[resource_id])["SecurityGroups"],
            "prefix_list": lambda: ec2.describe_managed_prefix_lists(PrefixListIds=[resource_id])["PrefixLists"],
            "certificate": lambda: [self.standin.client("acm").describe_certificate(CertificateArn=resource_id)],
            "hosted_zone": lambda: [self.standin.client("route53").get_hosted_zone(Id=resource_id)],
        }
        try:
            return bool(calls[kind]())
        except ClientError as error:
            if any(code in error.response.get("Error", {}).get("Code", "") for code in self._ERRORS):
                return False
            raise


def _import_certificate(standin: StandIn, configured_arn: str, domain: str) -> str:
    """A self-signed certificate for `domain`, imported into the stand-in's ACM: an imported
    certificate is ISSUED at once (a requested one would wait for validation), and a TLS listener
    needs one that exists in its account and region. Returns its ARN."""
    import datetime

    # moto's own dependency: it parses and checks every imported certificate with it.
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))  # clocks of other tools may lag
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(domain)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    imported = standin.client("acm").import_certificate(
        Certificate=certificate.public_bytes(serialization.Encoding.PEM),
        PrivateKey=key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        Tags=[{"Key": "shared-nlb:stands-for", "Value": configured_arn}],
    )
    return imported["CertificateArn"]


def mapped_config_text(text: str, mapping: dict[str, str], mapped: Config) -> str:
    """The config file's own text with every configured ID replaced by its stand-in ID: whole tokens
    only (`vpc-0a1b2c3d` is not the start of `vpc-0a1b2c3d4e5f60718`), so comments, order and layout
    stay as the user wrote them. The new text must read back as `mapped`, or nothing is returned: an
    ID the text spells otherwise (a YAML escape, say) is an error, never a half-mapped file."""
    if mapping:
        # Longest first: an ARN is replaced whole before the account inside it could be.
        ids = "|".join(re.escape(configured) for configured in sorted(mapping, key=len, reverse=True))
        text = re.sub(rf"(?<![\w-])({ids})(?![\w-])", lambda found: mapping[found[1]], text)
    try:
        data, root = load_yaml(text, file="<mapped config>")
        same = parse_config(data, root=root, state=mapped.state) == mapped  # the state file is read beside it, not from its text
    except ConfigError:
        same = False
    if not same:
        raise UserError("could not replace every configured ID in the config's text with the stand-in's (is an ID written with YAML escapes?); nothing written")
    return text
