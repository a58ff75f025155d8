"""What the config points at, created on the stand-in, and the config rewritten to the created IDs (gap 6).

moto cannot take custom IDs, so the config's VPC, subnets, client security groups, prefix lists, TLS
certificates and hosted zone are created anew and the config is mapped onto their IDs; the demo and `shared-nlb
standin` print the mapping, and `shared-nlb standin --write-config` writes the config's own text with
the stand-in's IDs (`mapped_config_text`).
"""

from __future__ import annotations

import re
from typing import Any

from shared_nlb.config import Config, ConfigError, load_yaml, parse_config
from shared_nlb.errors import UserError
from shared_nlb.standin.server import StandIn


def create_network(standin: StandIn, config: Config) -> tuple[Config, dict[str, str]]:
    """Gap 6: moto cannot take custom IDs. Creates what the config points at: a VPC (the config's
    CIDR), one subnet per configured subnet (the entries' of `load_balancers` too; each list over
    the Availability Zones), a security group or
    prefix list per client source, an issued ACM certificate per TLS service's `certificate_arn`, and
the private hosted zone `dns` names, associated with the VPC;
    returns the config with the stand-in IDs in place of the configured ones (the account too, when
    the config names one), and the mapping {configured ID: stand-in ID}, in config order."""
    import ipaddress

    cidr = ipaddress.ip_network(config.network.vpc_cidr)
    # network.subnet_ids, then the subnets entries of load_balancers name for their own NLBs.
    subnets = list(dict.fromkeys(list(config.network.subnet_ids) + [s for e in config.load_balancers or [] for s in e.subnet_ids or []]))
    count = len(subnets)
    prefix = min(cidr.prefixlen + max(4, (count - 1).bit_length()), 28)  # /28: the smallest subnet AWS allows
    if 2 ** (prefix - cidr.prefixlen) < count:
        where = "network.subnet_ids" if count == len(set(config.network.subnet_ids)) else "network.subnet_ids and load_balancers[].subnet_ids"
        raise UserError(f"network.vpc_cidr: {cidr} has room for {2 ** (prefix - cidr.prefixlen)} subnet(s) of /28, the smallest AWS allows, not the {count} of {where}")
    blocks = cidr.subnets(new_prefix=prefix)
    ec2 = standin.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock=config.network.vpc_cidr)["Vpc"]["VpcId"]
    mapping = {config.network.vpc_id: vpc_id}
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    # Each list of subnets spreads over the zones from the first: one subnet per zone and NLB, as AWS wants.
    for subnet_ids in [config.network.subnet_ids] + [e.subnet_ids for e in config.load_balancers or [] if e.subnet_ids]:
        for index, subnet in enumerate(subnet_ids):
            if subnet not in mapping:
                created = ec2.create_subnet(VpcId=vpc_id, CidrBlock=str(next(blocks)), AvailabilityZone=zones[index % len(zones)])
                mapping[subnet] = created["Subnet"]["SubnetId"]
    clients = list(config.clients) + [c for e in config.load_balancers or [] for c in e.clients or []] + [c for s in config.services for c in s.clients or []]
    for client in clients:
        if client.security_group and client.security_group not in mapping:
            group = ec2.create_security_group(GroupName=f"client-{client.security_group}", Description=f"stands for {client.security_group}", VpcId=vpc_id)
            mapping[client.security_group] = group["GroupId"]
        if client.prefix_list and client.prefix_list not in mapping:
            entries = max(c.max_entries or 1 for c in clients if c.prefix_list == client.prefix_list)
            created = ec2.create_managed_prefix_list(PrefixListName=f"client-{client.prefix_list}", MaxEntries=entries, AddressFamily="IPv4")
            mapping[client.prefix_list] = created["PrefixList"]["PrefixListId"]
    for service in config.services:
        if service.certificate_arn and service.certificate_arn not in mapping:
            mapping[service.certificate_arn] = _import_certificate(standin, service.certificate_arn, f"{service.name}.{config.name}.stand-in.invalid")
    for dns in [config.dns] + [entry.dns for entry in config.load_balancers or []]:
        if dns is None or dns.zone_id in mapping:
            continue
        created = standin.client("route53").create_hosted_zone(
            Name=dns.zone_name,
            CallerReference=f"shared-nlb-{dns.zone_id}",
            HostedZoneConfig={"Comment": f"stands for {dns.zone_id}", "PrivateZone": True},
            VPC={"VPCRegion": standin.region, "VPCId": vpc_id},
        )
        mapping[dns.zone_id] = created["HostedZone"]["Id"].rsplit("/", 1)[-1]
    if config.stack.account:
        # The real `cdk` CLI refuses a stack whose account is not the credentials' one.
        account = standin.client("sts").get_caller_identity()["Account"]
        if account != config.stack.account:
            mapping[config.stack.account] = account
    return _mapped(config, mapping), mapping


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


def _mapped(config: Config, mapping: dict[str, str]) -> Config:
    def client(c: Any) -> Any:
        return c.model_copy(update={k: mapping[v] for k in ("security_group", "prefix_list") if (v := getattr(c, k)) in mapping})

    def service(s: Any) -> Any:
        update: dict[str, Any] = {"clients": [client(c) for c in s.clients]} if s.clients else {}
        if s.certificate_arn in mapping:
            update["certificate_arn"] = mapping[s.certificate_arn]
        return s.model_copy(update=update) if update else s

    network = config.network.model_copy(update={"vpc_id": mapping[config.network.vpc_id], "subnet_ids": [mapping[s] for s in config.network.subnet_ids]})
    stack = config.stack.model_copy(update={"account": mapping.get(config.stack.account or "", config.stack.account)})
    services = [service(s) for s in config.services]
    update = {"stack": stack, "network": network, "clients": [client(c) for c in config.clients], "services": services}
    def dns(d: Any) -> Any:
        return None if d is None else d.model_copy(update={"zone_id": mapping.get(d.zone_id, d.zone_id)})

    def entry(e: Any) -> Any:
        subnets = None if e.subnet_ids is None else [mapping[s] for s in e.subnet_ids]
        return e.model_copy(update={"clients": None if e.clients is None else [client(c) for c in e.clients], "dns": dns(e.dns), "subnet_ids": subnets})

    update["dns"] = dns(config.dns)
    if config.load_balancers is not None:
        update["load_balancers"] = [entry(e) for e in config.load_balancers]
    return config.model_copy(update=update)


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
