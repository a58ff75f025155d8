"""The Route 53 fix: a hosted zone with VPCs is a private one.

moto is imported inside the fix, so importing this module does not need moto.
"""

from __future__ import annotations

from shared_nlb.standin.patches.state import replace


def _private_hosted_zones() -> None:
    """Not in TOOLCHAIN.md: `AWS::Route53::HostedZone` ignores `VPCs` and `HostedZoneConfig`, so
    every zone is a public one with no VPC (a private zone for internal services is not private).
    Creates it private and associated with its VPCs when it has any, with its comment."""
    from moto.route53.models import FakeZone, route53_backends
    from moto.utilities.utils import get_partition

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        vpcs = properties.get("VPCs") or []
        first = vpcs[0] if vpcs else {}
        zone = route53_backends[account_id][get_partition(region_name)].create_hosted_zone(
            resource_name,
            private_zone=bool(vpcs),
            vpcid=first.get("VPCId"),
            vpcregion=first.get("VPCRegion"),
            comment=(properties.get("HostedZoneConfig") or {}).get("Comment"),
        )
        for vpc in vpcs[1:]:
            zone.add_vpc(vpc["VPCId"], vpc["VPCRegion"])
        return zone

    replace(FakeZone, "create_from_cloudformation_json", classmethod(create))


def _hosted_zone_ids() -> None:
    """Not in TOOLCHAIN.md: a hosted zone's ID is 22 random uppercase letters and digits, so most do not
    start with `Z` as Route 53's do (Z0123456789ABCDEFGHIJ), and a config that names the stand-in's
    zone (`dns.zone_id`) fails the config's own check. Issues `Z` and 21 of them, from moto's own
(seeded) random source."""
    from moto.route53 import models

    def create_route53_zone_id(*args, **kwargs):
        return "Z" + "".join(models.random.choice(models.ROUTE53_ID_CHOICE) for _ in range(21))

    replace(models, "create_route53_zone_id", create_route53_zone_id)
