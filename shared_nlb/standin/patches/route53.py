"""The Route 53 fixes: a hosted zone with VPCs is a private one, its ID starts with Z, and a CREATE of
a record set that exists is refused.

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


def _existing_record_creates() -> None:
    """Not in TOOLCHAIN.md: a CREATE of a record set whose name and type (and set identifier) a zone
    already has is accepted, by ChangeResourceRecordSets (moto refuses only a CREATE identical to an
    earlier change) and by `AWS::Route53::RecordSet` (moto adds it beside the other), so a zone may
    hold two A records of one name. Route 53 refuses it with InvalidChangeBatch, "Tried to create
    resource record set [name='...', type='A'] but it already exists" (API reference, Change: CREATE
    creates a record set, UPSERT is the action that updates an existing one; the message as Route 53
    answers it); CloudFormation creates a RecordSet with a CREATE, so the stack's create fails. So does
    this, on both; the changes of one batch are checked in order, as Route 53 validates a batch
    before it makes any of it."""
    from moto.route53.models import RecordSet, Route53Backend, route53_backends
    from moto.utilities.utils import get_partition

    original_change = Route53Backend.change_resource_record_sets
    original_create = RecordSet.create_from_cloudformation_json.__func__

    def change_resource_record_sets(self, zoneid, change_list):
        taken = {_record_key(r.name, r.type, r.set_identifier) for r in self.get_hosted_zone(zoneid).rrsets}
        for change in change_list:
            record = change["ResourceRecordSet"]
            key = _record_key(record["Name"], record["Type"], record.get("SetIdentifier"))
            if change["Action"] == "CREATE" and key in taken:
                raise _already_exists(record["Name"], record["Type"], record.get("SetIdentifier"))
            (taken.discard if change["Action"] == "DELETE" else taken.add)(key)
        return original_change(self, zoneid, change_list)

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        backend = route53_backends[account_id][get_partition(region_name)]
        # the zone as moto's own create finds it: by name, else by ID
        zone = backend.get_hosted_zone_by_name(properties["HostedZoneName"]) if properties.get("HostedZoneName") else None
        zone = zone or backend.get_hosted_zone(properties["HostedZoneId"])
        key = _record_key(properties["Name"], properties["Type"], properties.get("SetIdentifier"))
        if any(_record_key(r.name, r.type, r.set_identifier) == key for r in zone.rrsets):
            raise _already_exists(properties["Name"], properties["Type"], properties.get("SetIdentifier"))
        return original_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)

    replace(Route53Backend, "change_resource_record_sets", change_resource_record_sets)
    replace(RecordSet, "create_from_cloudformation_json", classmethod(create))


def _record_key(name: str, kind: str, set_identifier: str | None) -> tuple[str, str, str | None]:
    """A record set's identity in its zone. Route 53 stores a name's letters in lowercase and takes a
    name with and without its final dot as one (Developer Guide, "DNS domain name format"; API
    reference, ResourceRecordSet Name)."""
    return name.rstrip(".").lower(), kind, set_identifier


def _already_exists(name: str, kind: str, set_identifier: str | None) -> Exception:
    from moto.route53.exceptions import Route53ClientError

    # Route 53's wording, the name as it stores it (lowercase, with its final dot), the set identifier
    # when there is one
    identifier = f", set-identifier='{set_identifier}'" if set_identifier else ""
    return Route53ClientError("InvalidChangeBatch", f"Tried to create resource record set [name='{_record_key(name, kind, None)[0]}.', type='{kind}'{identifier}] but it already exists")
