"""`AWS::EC2::VPCEndpointService` and `AWS::EC2::VPCEndpointServicePermissions` as CloudFormation
makes them, on moto's EC2 backend (moto has the API, CreateVpcEndpointServiceConfiguration and
ModifyVpcEndpointServicePermissions, but no CloudFormation type for either: it skips both with a
warning, so a stack completes without its endpoint service). `patches` installs them; moto is imported
only when one is created, so importing this module does not need moto.
"""

from __future__ import annotations

from typing import Any


def _backend(account_id: str, region_name: str) -> Any:
    from moto.ec2.models import ec2_backends

    return ec2_backends[account_id][region_name]


class EndpointService:
    """One endpoint service of network load balancers. Its physical ID (`Ref`) is the service ID
    (vpce-svc-...), as in CloudFormation; `Fn::GetAtt ServiceId` gives the same."""

    def __init__(self, backend: Any, service_id: str):
        self.backend, self.service_id = backend, service_id

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        backend = _backend(account_id, region_name)
        created = backend.create_vpc_endpoint_service_configuration(
            lb_arns=properties.get("NetworkLoadBalancerArns") or [],
            acceptance_required=str(properties.get("AcceptanceRequired", True)).lower() == "true",
            private_dns_name=None,
            tags=properties.get("Tags") or [],
            supported_regions=[region_name],
        )
        return cls(backend, created.id)

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        # The load balancers and acceptance change in place (ModifyVpcEndpointServiceConfiguration).
        properties = cloudformation_json["Properties"]
        configuration = original_resource.backend.configurations[original_resource.service_id]
        wanted = list(properties.get("NetworkLoadBalancerArns") or [])
        original_resource.backend.modify_vpc_endpoint_service_configuration(
            original_resource.service_id,
            acceptance_required=str(properties.get("AcceptanceRequired", True)).lower(),
            private_dns_name=None,
            add_network_lbs=[arn for arn in wanted if arn not in configuration.network_load_balancer_arns],
            remove_network_lbs=[arn for arn in configuration.network_load_balancer_arns if arn not in wanted],
            add_gateway_lbs=[],
            remove_gateway_lbs=[],
            add_supported_regions=[],
            remove_supported_regions=[],
        )
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        self.backend.delete_vpc_endpoint_service_configurations([self.service_id])

    @property
    def physical_resource_id(self) -> str:
        return self.service_id

    @staticmethod
    def has_cfn_attr(attr: str) -> bool:
        return attr == "ServiceId"

    def get_cfn_attribute(self, attribute_name: str) -> str:
        from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

        if attribute_name == "ServiceId":
            return self.service_id
        raise UnformattedGetAttTemplateException()

    @staticmethod
    def is_created() -> bool:
        return True


class EndpointServicePermissions:
    """The principals allowed to connect to one endpoint service: exactly `AllowedPrincipals`, added
    on create, made so on update, removed on delete."""

    def __init__(self, backend: Any, service_id: str, principals: list[str]):
        self.backend, self.service_id, self.principals = backend, service_id, principals

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        created = cls(_backend(account_id, region_name), properties["ServiceId"], [])
        return created._set(list(properties.get("AllowedPrincipals") or []))

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        properties = cloudformation_json["Properties"]
        if properties["ServiceId"] != original_resource.service_id:  # another service: a new resource
            original_resource.delete(account_id, region_name)
            return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)
        return original_resource._set(list(properties.get("AllowedPrincipals") or []))

    def _set(self, principals: list[str]) -> EndpointServicePermissions:
        self.backend.modify_vpc_endpoint_service_permissions(self.service_id, add_principals=[p for p in principals if p not in self.principals], remove_principals=[p for p in self.principals if p not in principals])
        self.principals = principals
        return self

    def delete(self, account_id: str, region_name: str) -> None:
        if self.service_id in self.backend.configurations:
            self.backend.modify_vpc_endpoint_service_permissions(self.service_id, add_principals=[], remove_principals=self.principals)

    @property
    def physical_resource_id(self) -> str:
        return f"{self.service_id}-permissions"  # CloudFormation gives it no Fn::GetAtt either

    @staticmethod
    def is_created() -> bool:
        return True
