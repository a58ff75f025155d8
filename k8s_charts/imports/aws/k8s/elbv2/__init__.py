from __future__ import annotations

from pkgutil import extend_path
__path__ = extend_path(__path__, __name__)

import abc
import builtins
import datetime
import enum
import typing

import jsii
import publication
import typing_extensions

from jsii._type_checking import cached_type_hints, check_type


from ._jsii import *

class _LazyImport:
    def __init__(self, module_name: str) -> None:
        self._module_name = module_name
        self._module: typing.Any = None
    def __getattr__(self, name: str) -> typing.Any:
        if self._module is None:
            import importlib
            self._module = importlib.import_module(self._module_name)
        return getattr(self._module, name)

if typing.TYPE_CHECKING:

    import cdk8s as _cdk8s_d3d9af27
    import constructs as _constructs_77d1e7e8
else:

    _cdk8s_d3d9af27 = _LazyImport("cdk8s")
    _constructs_77d1e7e8 = _LazyImport("constructs")


class TargetGroupBinding(
    _cdk8s_d3d9af27.ApiObject,
    metaclass=jsii.JSIIMeta,
    jsii_type="awsk8selbv2.TargetGroupBinding",
):
    '''TargetGroupBinding is the Schema for the TargetGroupBinding API.

    :schema: TargetGroupBinding
    '''

    def __init__(
        self,
        scope: "_constructs_77d1e7e8.Construct",
        id: builtins.str,
        *,
        metadata: typing.Optional[typing.Union["_cdk8s_d3d9af27.ApiObjectMetadata", typing.Dict[builtins.str, typing.Any]]] = None,
        spec: typing.Optional[typing.Union["TargetGroupBindingSpec", typing.Dict[builtins.str, typing.Any]]] = None,
    ) -> None:
        '''Defines a "TargetGroupBinding" API object.

        :param scope: the scope in which to define this object.
        :param id: a scope-local name for the object.
        :param metadata: 
        :param spec: TargetGroupBindingSpec defines the desired state of TargetGroupBinding.
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__90763d440b205a3573aa7e80f657cefb2d4dfb4af2a5a0cc516c41b294715e82)
            check_type(argname="argument scope", value=scope, expected_type=type_hints["scope"])
            check_type(argname="argument id", value=id, expected_type=type_hints["id"])
        props = TargetGroupBindingProps(metadata=metadata, spec=spec)

        jsii.create(self.__class__, self, [scope, id, props])

    @jsii.member(jsii_name="manifest")
    @builtins.classmethod
    def manifest(
        cls,
        *,
        metadata: typing.Optional[typing.Union["_cdk8s_d3d9af27.ApiObjectMetadata", typing.Dict[builtins.str, typing.Any]]] = None,
        spec: typing.Optional[typing.Union["TargetGroupBindingSpec", typing.Dict[builtins.str, typing.Any]]] = None,
    ) -> typing.Any:
        '''Renders a Kubernetes manifest for "TargetGroupBinding".

        This can be used to inline resource manifests inside other objects (e.g. as templates).

        :param metadata: 
        :param spec: TargetGroupBindingSpec defines the desired state of TargetGroupBinding.
        '''
        props = TargetGroupBindingProps(metadata=metadata, spec=spec)

        return typing.cast(typing.Any, jsii.sinvoke(cls, "manifest", [props]))

    @jsii.member(jsii_name="toJson")
    def to_json(self) -> typing.Any:
        '''Renders the object to Kubernetes JSON.'''
        return typing.cast(typing.Any, jsii.invoke(self, "toJson", []))

    @jsii.python.classproperty
    @jsii.member(jsii_name="GVK")
    def GVK(cls) -> "_cdk8s_d3d9af27.GroupVersionKind":
        '''Returns the apiVersion and kind for "TargetGroupBinding".'''
        return typing.cast("_cdk8s_d3d9af27.GroupVersionKind", jsii.sget(cls, "GVK"))


@jsii.data_type(
    jsii_type="awsk8selbv2.TargetGroupBindingProps",
    jsii_struct_bases=[],
    name_mapping={"metadata": "metadata", "spec": "spec"},
)
class TargetGroupBindingProps:
    def __init__(
        self,
        *,
        metadata: typing.Optional[typing.Union["_cdk8s_d3d9af27.ApiObjectMetadata", typing.Dict[builtins.str, typing.Any]]] = None,
        spec: typing.Optional[typing.Union["TargetGroupBindingSpec", typing.Dict[builtins.str, typing.Any]]] = None,
    ) -> None:
        '''TargetGroupBinding is the Schema for the TargetGroupBinding API.

        :param metadata: 
        :param spec: TargetGroupBindingSpec defines the desired state of TargetGroupBinding.

        :schema: TargetGroupBinding
        '''
        if isinstance(metadata, dict):
            metadata = _cdk8s_d3d9af27.ApiObjectMetadata(**metadata)
        if isinstance(spec, dict):
            spec = TargetGroupBindingSpec(**spec)
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__2429fa38854173776c9f3360b3eea427fe5da0d3efdb1eebc64275fc2bd36d11)
            check_type(argname="argument metadata", value=metadata, expected_type=type_hints["metadata"])
            check_type(argname="argument spec", value=spec, expected_type=type_hints["spec"])
        self._values: typing.Dict[builtins.str, typing.Any] = {}
        if metadata is not None:
            self._values["metadata"] = metadata
        if spec is not None:
            self._values["spec"] = spec

    @builtins.property
    def metadata(self) -> typing.Optional["_cdk8s_d3d9af27.ApiObjectMetadata"]:
        '''
        :schema: TargetGroupBinding#metadata
        '''
        result = self._values.get("metadata")
        return typing.cast(typing.Optional["_cdk8s_d3d9af27.ApiObjectMetadata"], result)

    @builtins.property
    def spec(self) -> typing.Optional["TargetGroupBindingSpec"]:
        '''TargetGroupBindingSpec defines the desired state of TargetGroupBinding.

        :schema: TargetGroupBinding#spec
        '''
        result = self._values.get("spec")
        return typing.cast(typing.Optional["TargetGroupBindingSpec"], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "TargetGroupBindingProps(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="awsk8selbv2.TargetGroupBindingSpec",
    jsii_struct_bases=[],
    name_mapping={
        "service_ref": "serviceRef",
        "assume_role_external_id": "assumeRoleExternalId",
        "iam_role_arn_to_assume": "iamRoleArnToAssume",
        "multi_cluster_target_group": "multiClusterTargetGroup",
        "networking": "networking",
        "target_group_arn": "targetGroupArn",
        "target_group_name": "targetGroupName",
        "target_type": "targetType",
    },
)
class TargetGroupBindingSpec:
    def __init__(
        self,
        *,
        service_ref: typing.Union["TargetGroupBindingSpecServiceRef", typing.Dict[builtins.str, typing.Any]],
        assume_role_external_id: typing.Optional[builtins.str] = None,
        iam_role_arn_to_assume: typing.Optional[builtins.str] = None,
        multi_cluster_target_group: typing.Optional[builtins.bool] = None,
        networking: typing.Optional[typing.Union["TargetGroupBindingSpecNetworking", typing.Dict[builtins.str, typing.Any]]] = None,
        target_group_arn: typing.Optional[builtins.str] = None,
        target_group_name: typing.Optional[builtins.str] = None,
        target_type: typing.Optional["TargetGroupBindingSpecTargetType"] = None,
    ) -> None:
        '''TargetGroupBindingSpec defines the desired state of TargetGroupBinding.

        :param service_ref: serviceRef is a reference to a Kubernetes Service and ServicePort.
        :param assume_role_external_id: IAM Role ARN to assume when calling AWS APIs. Needed to assume a role in another account and prevent the confused deputy problem. https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
        :param iam_role_arn_to_assume: IAM Role ARN to assume when calling AWS APIs. Useful if the target group is in a different AWS account
        :param multi_cluster_target_group: MultiClusterTargetGroup Denotes if the TargetGroup is shared among multiple clusters.
        :param networking: networking provides the networking setup for ELBV2 LoadBalancer to access targets in TargetGroup.
        :param target_group_arn: targetGroupARN is the Amazon Resource Name (ARN) for the TargetGroup.
        :param target_group_name: targetGroupName is the Name of the TargetGroup.
        :param target_type: targetType is the TargetType of TargetGroup. If unspecified, it will be automatically inferred.

        :schema: TargetGroupBindingSpec
        '''
        if isinstance(service_ref, dict):
            service_ref = TargetGroupBindingSpecServiceRef(**service_ref)
        if isinstance(networking, dict):
            networking = TargetGroupBindingSpecNetworking(**networking)
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__4f010cb8c3336fd7b63bec944067bade4b07c000762395785583002e02309c24)
            check_type(argname="argument service_ref", value=service_ref, expected_type=type_hints["service_ref"])
            check_type(argname="argument assume_role_external_id", value=assume_role_external_id, expected_type=type_hints["assume_role_external_id"])
            check_type(argname="argument iam_role_arn_to_assume", value=iam_role_arn_to_assume, expected_type=type_hints["iam_role_arn_to_assume"])
            check_type(argname="argument multi_cluster_target_group", value=multi_cluster_target_group, expected_type=type_hints["multi_cluster_target_group"])
            check_type(argname="argument networking", value=networking, expected_type=type_hints["networking"])
            check_type(argname="argument target_group_arn", value=target_group_arn, expected_type=type_hints["target_group_arn"])
            check_type(argname="argument target_group_name", value=target_group_name, expected_type=type_hints["target_group_name"])
            check_type(argname="argument target_type", value=target_type, expected_type=type_hints["target_type"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "service_ref": service_ref,
        }
        if assume_role_external_id is not None:
            self._values["assume_role_external_id"] = assume_role_external_id
        if iam_role_arn_to_assume is not None:
            self._values["iam_role_arn_to_assume"] = iam_role_arn_to_assume
        if multi_cluster_target_group is not None:
            self._values["multi_cluster_target_group"] = multi_cluster_target_group
        if networking is not None:
            self._values["networking"] = networking
        if target_group_arn is not None:
            self._values["target_group_arn"] = target_group_arn
        if target_group_name is not None:
            self._values["target_group_name"] = target_group_name
        if target_type is not None:
            self._values["target_type"] = target_type

    @builtins.property
    def service_ref(self) -> "TargetGroupBindingSpecServiceRef":
        '''serviceRef is a reference to a Kubernetes Service and ServicePort.

        :schema: TargetGroupBindingSpec#serviceRef
        '''
        result = self._values.get("service_ref")
        assert result is not None, "Required property 'service_ref' is missing"
        return typing.cast("TargetGroupBindingSpecServiceRef", result)

    @builtins.property
    def assume_role_external_id(self) -> typing.Optional[builtins.str]:
        '''IAM Role ARN to assume when calling AWS APIs.

        Needed to assume a role in another account and prevent the confused deputy problem. https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html

        :schema: TargetGroupBindingSpec#assumeRoleExternalId
        '''
        result = self._values.get("assume_role_external_id")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def iam_role_arn_to_assume(self) -> typing.Optional[builtins.str]:
        '''IAM Role ARN to assume when calling AWS APIs.

        Useful if the target group is in a different AWS account

        :schema: TargetGroupBindingSpec#iamRoleArnToAssume
        '''
        result = self._values.get("iam_role_arn_to_assume")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def multi_cluster_target_group(self) -> typing.Optional[builtins.bool]:
        '''MultiClusterTargetGroup Denotes if the TargetGroup is shared among multiple clusters.

        :schema: TargetGroupBindingSpec#multiClusterTargetGroup
        '''
        result = self._values.get("multi_cluster_target_group")
        return typing.cast(typing.Optional[builtins.bool], result)

    @builtins.property
    def networking(self) -> typing.Optional["TargetGroupBindingSpecNetworking"]:
        '''networking provides the networking setup for ELBV2 LoadBalancer to access targets in TargetGroup.

        :schema: TargetGroupBindingSpec#networking
        '''
        result = self._values.get("networking")
        return typing.cast(typing.Optional["TargetGroupBindingSpecNetworking"], result)

    @builtins.property
    def target_group_arn(self) -> typing.Optional[builtins.str]:
        '''targetGroupARN is the Amazon Resource Name (ARN) for the TargetGroup.

        :schema: TargetGroupBindingSpec#targetGroupARN
        '''
        result = self._values.get("target_group_arn")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def target_group_name(self) -> typing.Optional[builtins.str]:
        '''targetGroupName is the Name of the TargetGroup.

        :schema: TargetGroupBindingSpec#targetGroupName
        '''
        result = self._values.get("target_group_name")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def target_type(self) -> typing.Optional["TargetGroupBindingSpecTargetType"]:
        '''targetType is the TargetType of TargetGroup.

        If unspecified, it will be automatically inferred.

        :schema: TargetGroupBindingSpec#targetType
        '''
        result = self._values.get("target_type")
        return typing.cast(typing.Optional["TargetGroupBindingSpecTargetType"], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "TargetGroupBindingSpec(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="awsk8selbv2.TargetGroupBindingSpecNetworking",
    jsii_struct_bases=[],
    name_mapping={"ingress": "ingress"},
)
class TargetGroupBindingSpecNetworking:
    def __init__(
        self,
        *,
        ingress: typing.Optional[typing.Sequence[typing.Union["TargetGroupBindingSpecNetworkingIngress", typing.Dict[builtins.str, typing.Any]]]] = None,
    ) -> None:
        '''networking provides the networking setup for ELBV2 LoadBalancer to access targets in TargetGroup.

        :param ingress: List of ingress rules to allow ELBV2 LoadBalancer to access targets in TargetGroup.

        :schema: TargetGroupBindingSpecNetworking
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__84ff1d41ce9d649891249583b5e2e70a7618b36940c770f96882458b6af80a1a)
            check_type(argname="argument ingress", value=ingress, expected_type=type_hints["ingress"])
        self._values: typing.Dict[builtins.str, typing.Any] = {}
        if ingress is not None:
            self._values["ingress"] = ingress

    @builtins.property
    def ingress(
        self,
    ) -> typing.Optional[typing.List["TargetGroupBindingSpecNetworkingIngress"]]:
        '''List of ingress rules to allow ELBV2 LoadBalancer to access targets in TargetGroup.

        :schema: TargetGroupBindingSpecNetworking#ingress
        '''
        result = self._values.get("ingress")
        return typing.cast(typing.Optional[typing.List["TargetGroupBindingSpecNetworkingIngress"]], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "TargetGroupBindingSpecNetworking(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="awsk8selbv2.TargetGroupBindingSpecNetworkingIngress",
    jsii_struct_bases=[],
    name_mapping={"from_": "from", "ports": "ports"},
)
class TargetGroupBindingSpecNetworkingIngress:
    def __init__(
        self,
        *,
        from_: typing.Sequence[typing.Union["TargetGroupBindingSpecNetworkingIngressFrom", typing.Dict[builtins.str, typing.Any]]],
        ports: typing.Sequence[typing.Union["TargetGroupBindingSpecNetworkingIngressPorts", typing.Dict[builtins.str, typing.Any]]],
    ) -> None:
        '''
        :param from_: List of peers which should be able to access the targets in TargetGroup. At least one NetworkingPeer should be specified.
        :param ports: List of ports which should be made accessible on the targets in TargetGroup. If ports is empty or unspecified, it defaults to all ports with TCP.

        :schema: TargetGroupBindingSpecNetworkingIngress
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__2395b657683a359fa1407e5645ee3f4266233247a55b07fc97e7f6335237ce3d)
            check_type(argname="argument from_", value=from_, expected_type=type_hints["from_"])
            check_type(argname="argument ports", value=ports, expected_type=type_hints["ports"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "from_": from_,
            "ports": ports,
        }

    @builtins.property
    def from_(self) -> typing.List["TargetGroupBindingSpecNetworkingIngressFrom"]:
        '''List of peers which should be able to access the targets in TargetGroup.

        At least one NetworkingPeer should be specified.

        :schema: TargetGroupBindingSpecNetworkingIngress#from
        '''
        result = self._values.get("from_")
        assert result is not None, "Required property 'from_' is missing"
        return typing.cast(typing.List["TargetGroupBindingSpecNetworkingIngressFrom"], result)

    @builtins.property
    def ports(self) -> typing.List["TargetGroupBindingSpecNetworkingIngressPorts"]:
        '''List of ports which should be made accessible on the targets in TargetGroup.

        If ports is empty or unspecified, it defaults to all ports with TCP.

        :schema: TargetGroupBindingSpecNetworkingIngress#ports
        '''
        result = self._values.get("ports")
        assert result is not None, "Required property 'ports' is missing"
        return typing.cast(typing.List["TargetGroupBindingSpecNetworkingIngressPorts"], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "TargetGroupBindingSpecNetworkingIngress(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="awsk8selbv2.TargetGroupBindingSpecNetworkingIngressFrom",
    jsii_struct_bases=[],
    name_mapping={"ip_block": "ipBlock", "security_group": "securityGroup"},
)
class TargetGroupBindingSpecNetworkingIngressFrom:
    def __init__(
        self,
        *,
        ip_block: typing.Optional[typing.Union["TargetGroupBindingSpecNetworkingIngressFromIpBlock", typing.Dict[builtins.str, typing.Any]]] = None,
        security_group: typing.Optional[typing.Union["TargetGroupBindingSpecNetworkingIngressFromSecurityGroup", typing.Dict[builtins.str, typing.Any]]] = None,
    ) -> None:
        '''NetworkingPeer defines the source/destination peer for networking rules.

        :param ip_block: IPBlock defines an IPBlock peer. If specified, none of the other fields can be set.
        :param security_group: SecurityGroup defines a SecurityGroup peer. If specified, none of the other fields can be set.

        :schema: TargetGroupBindingSpecNetworkingIngressFrom
        '''
        if isinstance(ip_block, dict):
            ip_block = TargetGroupBindingSpecNetworkingIngressFromIpBlock(**ip_block)
        if isinstance(security_group, dict):
            security_group = TargetGroupBindingSpecNetworkingIngressFromSecurityGroup(**security_group)
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__633210a872f7106db39210062c4aa3c58b5220e7c2c46df2a60dae6787e318b2)
            check_type(argname="argument ip_block", value=ip_block, expected_type=type_hints["ip_block"])
            check_type(argname="argument security_group", value=security_group, expected_type=type_hints["security_group"])
        self._values: typing.Dict[builtins.str, typing.Any] = {}
        if ip_block is not None:
            self._values["ip_block"] = ip_block
        if security_group is not None:
            self._values["security_group"] = security_group

    @builtins.property
    def ip_block(
        self,
    ) -> typing.Optional["TargetGroupBindingSpecNetworkingIngressFromIpBlock"]:
        '''IPBlock defines an IPBlock peer.

        If specified, none of the other fields can be set.

        :schema: TargetGroupBindingSpecNetworkingIngressFrom#ipBlock
        '''
        result = self._values.get("ip_block")
        return typing.cast(typing.Optional["TargetGroupBindingSpecNetworkingIngressFromIpBlock"], result)

    @builtins.property
    def security_group(
        self,
    ) -> typing.Optional["TargetGroupBindingSpecNetworkingIngressFromSecurityGroup"]:
        '''SecurityGroup defines a SecurityGroup peer.

        If specified, none of the other fields can be set.

        :schema: TargetGroupBindingSpecNetworkingIngressFrom#securityGroup
        '''
        result = self._values.get("security_group")
        return typing.cast(typing.Optional["TargetGroupBindingSpecNetworkingIngressFromSecurityGroup"], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "TargetGroupBindingSpecNetworkingIngressFrom(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="awsk8selbv2.TargetGroupBindingSpecNetworkingIngressFromIpBlock",
    jsii_struct_bases=[],
    name_mapping={"cidr": "cidr"},
)
class TargetGroupBindingSpecNetworkingIngressFromIpBlock:
    def __init__(self, *, cidr: builtins.str) -> None:
        '''IPBlock defines an IPBlock peer.

        If specified, none of the other fields can be set.

        :param cidr: CIDR is the network CIDR. Both IPV4 or IPV6 CIDR are accepted.

        :schema: TargetGroupBindingSpecNetworkingIngressFromIpBlock
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__701d1a6ef1d261dd9b79f7e3426ed0acd841e9cdc2f881e77d96773b6a17b416)
            check_type(argname="argument cidr", value=cidr, expected_type=type_hints["cidr"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "cidr": cidr,
        }

    @builtins.property
    def cidr(self) -> builtins.str:
        '''CIDR is the network CIDR.

        Both IPV4 or IPV6 CIDR are accepted.

        :schema: TargetGroupBindingSpecNetworkingIngressFromIpBlock#cidr
        '''
        result = self._values.get("cidr")
        assert result is not None, "Required property 'cidr' is missing"
        return typing.cast(builtins.str, result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "TargetGroupBindingSpecNetworkingIngressFromIpBlock(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="awsk8selbv2.TargetGroupBindingSpecNetworkingIngressFromSecurityGroup",
    jsii_struct_bases=[],
    name_mapping={"group_id": "groupId"},
)
class TargetGroupBindingSpecNetworkingIngressFromSecurityGroup:
    def __init__(self, *, group_id: builtins.str) -> None:
        '''SecurityGroup defines a SecurityGroup peer.

        If specified, none of the other fields can be set.

        :param group_id: GroupID is the EC2 SecurityGroupID.

        :schema: TargetGroupBindingSpecNetworkingIngressFromSecurityGroup
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__b45342c0b854a96353041cb0669cfdcd011b073612e5a6fd59a345b55076ca4e)
            check_type(argname="argument group_id", value=group_id, expected_type=type_hints["group_id"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "group_id": group_id,
        }

    @builtins.property
    def group_id(self) -> builtins.str:
        '''GroupID is the EC2 SecurityGroupID.

        :schema: TargetGroupBindingSpecNetworkingIngressFromSecurityGroup#groupID
        '''
        result = self._values.get("group_id")
        assert result is not None, "Required property 'group_id' is missing"
        return typing.cast(builtins.str, result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "TargetGroupBindingSpecNetworkingIngressFromSecurityGroup(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="awsk8selbv2.TargetGroupBindingSpecNetworkingIngressPorts",
    jsii_struct_bases=[],
    name_mapping={"port": "port", "protocol": "protocol"},
)
class TargetGroupBindingSpecNetworkingIngressPorts:
    def __init__(
        self,
        *,
        port: typing.Optional["TargetGroupBindingSpecNetworkingIngressPortsPort"] = None,
        protocol: typing.Optional["TargetGroupBindingSpecNetworkingIngressPortsProtocol"] = None,
    ) -> None:
        '''
        :param port: The port which traffic must match. When NodePort endpoints(instance TargetType) is used, this must be a numerical port. When Port endpoints(ip TargetType) is used, this can be either numerical or named port on pods. if port is unspecified, it defaults to all ports.
        :param protocol: The protocol which traffic must match. If protocol is unspecified, it defaults to TCP.

        :schema: TargetGroupBindingSpecNetworkingIngressPorts
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__af39deb8c934554de93787faf40d476f722360c9d95b5a7d6d0b2c7872fee6bc)
            check_type(argname="argument port", value=port, expected_type=type_hints["port"])
            check_type(argname="argument protocol", value=protocol, expected_type=type_hints["protocol"])
        self._values: typing.Dict[builtins.str, typing.Any] = {}
        if port is not None:
            self._values["port"] = port
        if protocol is not None:
            self._values["protocol"] = protocol

    @builtins.property
    def port(
        self,
    ) -> typing.Optional["TargetGroupBindingSpecNetworkingIngressPortsPort"]:
        '''The port which traffic must match.

        When NodePort endpoints(instance TargetType) is used, this must be a numerical port.
        When Port endpoints(ip TargetType) is used, this can be either numerical or named port on pods.
        if port is unspecified, it defaults to all ports.

        :schema: TargetGroupBindingSpecNetworkingIngressPorts#port
        '''
        result = self._values.get("port")
        return typing.cast(typing.Optional["TargetGroupBindingSpecNetworkingIngressPortsPort"], result)

    @builtins.property
    def protocol(
        self,
    ) -> typing.Optional["TargetGroupBindingSpecNetworkingIngressPortsProtocol"]:
        '''The protocol which traffic must match.

        If protocol is unspecified, it defaults to TCP.

        :schema: TargetGroupBindingSpecNetworkingIngressPorts#protocol
        '''
        result = self._values.get("protocol")
        return typing.cast(typing.Optional["TargetGroupBindingSpecNetworkingIngressPortsProtocol"], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "TargetGroupBindingSpecNetworkingIngressPorts(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


class TargetGroupBindingSpecNetworkingIngressPortsPort(
    metaclass=jsii.JSIIMeta,
    jsii_type="awsk8selbv2.TargetGroupBindingSpecNetworkingIngressPortsPort",
):
    '''The port which traffic must match.

    When NodePort endpoints(instance TargetType) is used, this must be a numerical port.
    When Port endpoints(ip TargetType) is used, this can be either numerical or named port on pods.
    if port is unspecified, it defaults to all ports.

    :schema: TargetGroupBindingSpecNetworkingIngressPortsPort
    '''

    @jsii.member(jsii_name="fromNumber")
    @builtins.classmethod
    def from_number(
        cls,
        value: jsii.Number,
    ) -> "TargetGroupBindingSpecNetworkingIngressPortsPort":
        '''
        :param value: -
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__e5ab0af21f27ae925d2b319b428fa62522c780ed5e5925efa6b5952a309818e7)
            check_type(argname="argument value", value=value, expected_type=type_hints["value"])
        return typing.cast("TargetGroupBindingSpecNetworkingIngressPortsPort", jsii.sinvoke(cls, "fromNumber", [value]))

    @jsii.member(jsii_name="fromString")
    @builtins.classmethod
    def from_string(
        cls,
        value: builtins.str,
    ) -> "TargetGroupBindingSpecNetworkingIngressPortsPort":
        '''
        :param value: -
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__eee58cba5ec90e4cbcfb87e3a864d12935bae92409a1977d5751a97eb76fa05f)
            check_type(argname="argument value", value=value, expected_type=type_hints["value"])
        return typing.cast("TargetGroupBindingSpecNetworkingIngressPortsPort", jsii.sinvoke(cls, "fromString", [value]))

    @builtins.property
    @jsii.member(jsii_name="value")
    def value(self) -> typing.Union[builtins.str, jsii.Number]:
        return typing.cast(typing.Union[builtins.str, jsii.Number], jsii.get(self, "value"))


@jsii.enum(
    jsii_type="awsk8selbv2.TargetGroupBindingSpecNetworkingIngressPortsProtocol"
)
class TargetGroupBindingSpecNetworkingIngressPortsProtocol(enum.Enum):
    '''The protocol which traffic must match.

    If protocol is unspecified, it defaults to TCP.

    :schema: TargetGroupBindingSpecNetworkingIngressPortsProtocol
    '''

    TCP = "TCP"
    '''TCP.'''
    UDP = "UDP"
    '''UDP.'''


@jsii.data_type(
    jsii_type="awsk8selbv2.TargetGroupBindingSpecServiceRef",
    jsii_struct_bases=[],
    name_mapping={"name": "name", "port": "port"},
)
class TargetGroupBindingSpecServiceRef:
    def __init__(
        self,
        *,
        name: builtins.str,
        port: "TargetGroupBindingSpecServiceRefPort",
    ) -> None:
        '''serviceRef is a reference to a Kubernetes Service and ServicePort.

        :param name: Name is the name of the Service.
        :param port: Port is the port of the ServicePort.

        :schema: TargetGroupBindingSpecServiceRef
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__41798384791b83fb52367e5ac4c928982c7cb965861146c9c330eaf2c792ba41)
            check_type(argname="argument name", value=name, expected_type=type_hints["name"])
            check_type(argname="argument port", value=port, expected_type=type_hints["port"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "name": name,
            "port": port,
        }

    @builtins.property
    def name(self) -> builtins.str:
        '''Name is the name of the Service.

        :schema: TargetGroupBindingSpecServiceRef#name
        '''
        result = self._values.get("name")
        assert result is not None, "Required property 'name' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def port(self) -> "TargetGroupBindingSpecServiceRefPort":
        '''Port is the port of the ServicePort.

        :schema: TargetGroupBindingSpecServiceRef#port
        '''
        result = self._values.get("port")
        assert result is not None, "Required property 'port' is missing"
        return typing.cast("TargetGroupBindingSpecServiceRefPort", result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "TargetGroupBindingSpecServiceRef(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


class TargetGroupBindingSpecServiceRefPort(
    metaclass=jsii.JSIIMeta,
    jsii_type="awsk8selbv2.TargetGroupBindingSpecServiceRefPort",
):
    '''Port is the port of the ServicePort.

    :schema: TargetGroupBindingSpecServiceRefPort
    '''

    @jsii.member(jsii_name="fromNumber")
    @builtins.classmethod
    def from_number(cls, value: jsii.Number) -> "TargetGroupBindingSpecServiceRefPort":
        '''
        :param value: -
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__60482ff79b8070b310ec50f282270041276c3a9ccc0d9c2e9160a064f576398c)
            check_type(argname="argument value", value=value, expected_type=type_hints["value"])
        return typing.cast("TargetGroupBindingSpecServiceRefPort", jsii.sinvoke(cls, "fromNumber", [value]))

    @jsii.member(jsii_name="fromString")
    @builtins.classmethod
    def from_string(cls, value: builtins.str) -> "TargetGroupBindingSpecServiceRefPort":
        '''
        :param value: -
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__4d0613e07c37987e0a3ea5144b058e1c536f5adadfb3d12451ae9606c46f799c)
            check_type(argname="argument value", value=value, expected_type=type_hints["value"])
        return typing.cast("TargetGroupBindingSpecServiceRefPort", jsii.sinvoke(cls, "fromString", [value]))

    @builtins.property
    @jsii.member(jsii_name="value")
    def value(self) -> typing.Union[builtins.str, jsii.Number]:
        return typing.cast(typing.Union[builtins.str, jsii.Number], jsii.get(self, "value"))


@jsii.enum(jsii_type="awsk8selbv2.TargetGroupBindingSpecTargetType")
class TargetGroupBindingSpecTargetType(enum.Enum):
    '''targetType is the TargetType of TargetGroup.

    If unspecified, it will be automatically inferred.

    :schema: TargetGroupBindingSpecTargetType
    '''

    INSTANCE = "INSTANCE"
    '''instance.'''
    IP = "IP"
    '''ip.'''


class TargetGroupBindingV1Beta1(
    _cdk8s_d3d9af27.ApiObject,
    metaclass=jsii.JSIIMeta,
    jsii_type="awsk8selbv2.TargetGroupBindingV1Beta1",
):
    '''TargetGroupBinding is the Schema for the TargetGroupBinding API.

    :schema: TargetGroupBindingV1Beta1
    '''

    def __init__(
        self,
        scope: "_constructs_77d1e7e8.Construct",
        id: builtins.str,
        *,
        metadata: typing.Optional[typing.Union["_cdk8s_d3d9af27.ApiObjectMetadata", typing.Dict[builtins.str, typing.Any]]] = None,
        spec: typing.Optional[typing.Union["TargetGroupBindingV1Beta1Spec", typing.Dict[builtins.str, typing.Any]]] = None,
    ) -> None:
        '''Defines a "TargetGroupBindingV1Beta1" API object.

        :param scope: the scope in which to define this object.
        :param id: a scope-local name for the object.
        :param metadata: 
        :param spec: TargetGroupBindingSpec defines the desired state of TargetGroupBinding.
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__097999cbffc623622f924b842436d81f6e6a57e1e3741832e8c9626b429dbd12)
            check_type(argname="argument scope", value=scope, expected_type=type_hints["scope"])
            check_type(argname="argument id", value=id, expected_type=type_hints["id"])
        props = TargetGroupBindingV1Beta1Props(metadata=metadata, spec=spec)

        jsii.create(self.__class__, self, [scope, id, props])

    @jsii.member(jsii_name="manifest")
    @builtins.classmethod
    def manifest(
        cls,
        *,
        metadata: typing.Optional[typing.Union["_cdk8s_d3d9af27.ApiObjectMetadata", typing.Dict[builtins.str, typing.Any]]] = None,
        spec: typing.Optional[typing.Union["TargetGroupBindingV1Beta1Spec", typing.Dict[builtins.str, typing.Any]]] = None,
    ) -> typing.Any:
        '''Renders a Kubernetes manifest for "TargetGroupBindingV1Beta1".

        This can be used to inline resource manifests inside other objects (e.g. as templates).

        :param metadata: 
        :param spec: TargetGroupBindingSpec defines the desired state of TargetGroupBinding.
        '''
        props = TargetGroupBindingV1Beta1Props(metadata=metadata, spec=spec)

        return typing.cast(typing.Any, jsii.sinvoke(cls, "manifest", [props]))

    @jsii.member(jsii_name="toJson")
    def to_json(self) -> typing.Any:
        '''Renders the object to Kubernetes JSON.'''
        return typing.cast(typing.Any, jsii.invoke(self, "toJson", []))

    @jsii.python.classproperty
    @jsii.member(jsii_name="GVK")
    def GVK(cls) -> "_cdk8s_d3d9af27.GroupVersionKind":
        '''Returns the apiVersion and kind for "TargetGroupBindingV1Beta1".'''
        return typing.cast("_cdk8s_d3d9af27.GroupVersionKind", jsii.sget(cls, "GVK"))


@jsii.data_type(
    jsii_type="awsk8selbv2.TargetGroupBindingV1Beta1Props",
    jsii_struct_bases=[],
    name_mapping={"metadata": "metadata", "spec": "spec"},
)
class TargetGroupBindingV1Beta1Props:
    def __init__(
        self,
        *,
        metadata: typing.Optional[typing.Union["_cdk8s_d3d9af27.ApiObjectMetadata", typing.Dict[builtins.str, typing.Any]]] = None,
        spec: typing.Optional[typing.Union["TargetGroupBindingV1Beta1Spec", typing.Dict[builtins.str, typing.Any]]] = None,
    ) -> None:
        '''TargetGroupBinding is the Schema for the TargetGroupBinding API.

        :param metadata: 
        :param spec: TargetGroupBindingSpec defines the desired state of TargetGroupBinding.

        :schema: TargetGroupBindingV1Beta1
        '''
        if isinstance(metadata, dict):
            metadata = _cdk8s_d3d9af27.ApiObjectMetadata(**metadata)
        if isinstance(spec, dict):
            spec = TargetGroupBindingV1Beta1Spec(**spec)
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__28626511b5f6d1ede41d33a5ef038f3ea1f2fb2e7f9e42bf0cac7118f9cecb7a)
            check_type(argname="argument metadata", value=metadata, expected_type=type_hints["metadata"])
            check_type(argname="argument spec", value=spec, expected_type=type_hints["spec"])
        self._values: typing.Dict[builtins.str, typing.Any] = {}
        if metadata is not None:
            self._values["metadata"] = metadata
        if spec is not None:
            self._values["spec"] = spec

    @builtins.property
    def metadata(self) -> typing.Optional["_cdk8s_d3d9af27.ApiObjectMetadata"]:
        '''
        :schema: TargetGroupBindingV1Beta1#metadata
        '''
        result = self._values.get("metadata")
        return typing.cast(typing.Optional["_cdk8s_d3d9af27.ApiObjectMetadata"], result)

    @builtins.property
    def spec(self) -> typing.Optional["TargetGroupBindingV1Beta1Spec"]:
        '''TargetGroupBindingSpec defines the desired state of TargetGroupBinding.

        :schema: TargetGroupBindingV1Beta1#spec
        '''
        result = self._values.get("spec")
        return typing.cast(typing.Optional["TargetGroupBindingV1Beta1Spec"], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "TargetGroupBindingV1Beta1Props(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="awsk8selbv2.TargetGroupBindingV1Beta1Spec",
    jsii_struct_bases=[],
    name_mapping={
        "service_ref": "serviceRef",
        "assume_role_external_id": "assumeRoleExternalId",
        "iam_role_arn_to_assume": "iamRoleArnToAssume",
        "ip_address_type": "ipAddressType",
        "multi_cluster_target_group": "multiClusterTargetGroup",
        "networking": "networking",
        "node_selector": "nodeSelector",
        "target_group_arn": "targetGroupArn",
        "target_group_name": "targetGroupName",
        "target_group_protocol": "targetGroupProtocol",
        "target_type": "targetType",
        "vpc_id": "vpcId",
    },
)
class TargetGroupBindingV1Beta1Spec:
    def __init__(
        self,
        *,
        service_ref: typing.Union["TargetGroupBindingV1Beta1SpecServiceRef", typing.Dict[builtins.str, typing.Any]],
        assume_role_external_id: typing.Optional[builtins.str] = None,
        iam_role_arn_to_assume: typing.Optional[builtins.str] = None,
        ip_address_type: typing.Optional["TargetGroupBindingV1Beta1SpecIpAddressType"] = None,
        multi_cluster_target_group: typing.Optional[builtins.bool] = None,
        networking: typing.Optional[typing.Union["TargetGroupBindingV1Beta1SpecNetworking", typing.Dict[builtins.str, typing.Any]]] = None,
        node_selector: typing.Optional[typing.Union["TargetGroupBindingV1Beta1SpecNodeSelector", typing.Dict[builtins.str, typing.Any]]] = None,
        target_group_arn: typing.Optional[builtins.str] = None,
        target_group_name: typing.Optional[builtins.str] = None,
        target_group_protocol: typing.Optional["TargetGroupBindingV1Beta1SpecTargetGroupProtocol"] = None,
        target_type: typing.Optional["TargetGroupBindingV1Beta1SpecTargetType"] = None,
        vpc_id: typing.Optional[builtins.str] = None,
    ) -> None:
        '''TargetGroupBindingSpec defines the desired state of TargetGroupBinding.

        :param service_ref: serviceRef is a reference to a Kubernetes Service and ServicePort.
        :param assume_role_external_id: IAM Role ARN to assume when calling AWS APIs. Needed to assume a role in another account and prevent the confused deputy problem. https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
        :param iam_role_arn_to_assume: IAM Role ARN to assume when calling AWS APIs. Useful if the target group is in a different AWS account
        :param ip_address_type: ipAddressType specifies whether the target group is of type IPv4 or IPv6. If unspecified, it will be automatically inferred.
        :param multi_cluster_target_group: MultiClusterTargetGroup Denotes if the TargetGroup is shared among multiple clusters.
        :param networking: networking defines the networking rules to allow ELBV2 LoadBalancer to access targets in TargetGroup.
        :param node_selector: node selector for instance type target groups to only register certain nodes.
        :param target_group_arn: targetGroupARN is the Amazon Resource Name (ARN) for the TargetGroup.
        :param target_group_name: targetGroupName is the Name of the TargetGroup.
        :param target_group_protocol: targetGroupProtocol is the Protocol of the TargetGroup. If unspecified, it will be automatically inferred.
        :param target_type: targetType is the TargetType of TargetGroup. If unspecified, it will be automatically inferred.
        :param vpc_id: VpcID is the VPC of the TargetGroup. If unspecified, it will be automatically inferred.

        :schema: TargetGroupBindingV1Beta1Spec
        '''
        if isinstance(service_ref, dict):
            service_ref = TargetGroupBindingV1Beta1SpecServiceRef(**service_ref)
        if isinstance(networking, dict):
            networking = TargetGroupBindingV1Beta1SpecNetworking(**networking)
        if isinstance(node_selector, dict):
            node_selector = TargetGroupBindingV1Beta1SpecNodeSelector(**node_selector)
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__136eb3140e66b24fb61e0f19b18bc3c8c050251b3e0128467b2ad19dbae3aba3)
            check_type(argname="argument service_ref", value=service_ref, expected_type=type_hints["service_ref"])
            check_type(argname="argument assume_role_external_id", value=assume_role_external_id, expected_type=type_hints["assume_role_external_id"])
            check_type(argname="argument iam_role_arn_to_assume", value=iam_role_arn_to_assume, expected_type=type_hints["iam_role_arn_to_assume"])
            check_type(argname="argument ip_address_type", value=ip_address_type, expected_type=type_hints["ip_address_type"])
            check_type(argname="argument multi_cluster_target_group", value=multi_cluster_target_group, expected_type=type_hints["multi_cluster_target_group"])
            check_type(argname="argument networking", value=networking, expected_type=type_hints["networking"])
            check_type(argname="argument node_selector", value=node_selector, expected_type=type_hints["node_selector"])
            check_type(argname="argument target_group_arn", value=target_group_arn, expected_type=type_hints["target_group_arn"])
            check_type(argname="argument target_group_name", value=target_group_name, expected_type=type_hints["target_group_name"])
            check_type(argname="argument target_group_protocol", value=target_group_protocol, expected_type=type_hints["target_group_protocol"])
            check_type(argname="argument target_type", value=target_type, expected_type=type_hints["target_type"])
            check_type(argname="argument vpc_id", value=vpc_id, expected_type=type_hints["vpc_id"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "service_ref": service_ref,
        }
        if assume_role_external_id is not None:
            self._values["assume_role_external_id"] = assume_role_external_id
        if iam_role_arn_to_assume is not None:
            self._values["iam_role_arn_to_assume"] = iam_role_arn_to_assume
        if ip_address_type is not None:
            self._values["ip_address_type"] = ip_address_type
        if multi_cluster_target_group is not None:
            self._values["multi_cluster_target_group"] = multi_cluster_target_group
        if networking is not None:
            self._values["networking"] = networking
        if node_selector is not None:
            self._values["node_selector"] = node_selector
        if target_group_arn is not None:
            self._values["target_group_arn"] = target_group_arn
        if target_group_name is not None:
            self._values["target_group_name"] = target_group_name
        if target_group_protocol is not None:
            self._values["target_group_protocol"] = target_group_protocol
        if target_type is not None:
            self._values["target_type"] = target_type
        if vpc_id is not None:
            self._values["vpc_id"] = vpc_id

    @builtins.property
    def service_ref(self) -> "TargetGroupBindingV1Beta1SpecServiceRef":
        '''serviceRef is a reference to a Kubernetes Service and ServicePort.

        :schema: TargetGroupBindingV1Beta1Spec#serviceRef
        '''
        result = self._values.get("service_ref")
        assert result is not None, "Required property 'service_ref' is missing"
        return typing.cast("TargetGroupBindingV1Beta1SpecServiceRef", result)

    @builtins.property
    def assume_role_external_id(self) -> typing.Optional[builtins.str]:
        '''IAM Role ARN to assume when calling AWS APIs.

        Needed to assume a role in another account and prevent the confused deputy problem. https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html

        :schema: TargetGroupBindingV1Beta1Spec#assumeRoleExternalId
        '''
        result = self._values.get("assume_role_external_id")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def iam_role_arn_to_assume(self) -> typing.Optional[builtins.str]:
        '''IAM Role ARN to assume when calling AWS APIs.

        Useful if the target group is in a different AWS account

        :schema: TargetGroupBindingV1Beta1Spec#iamRoleArnToAssume
        '''
        result = self._values.get("iam_role_arn_to_assume")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def ip_address_type(
        self,
    ) -> typing.Optional["TargetGroupBindingV1Beta1SpecIpAddressType"]:
        '''ipAddressType specifies whether the target group is of type IPv4 or IPv6.

        If unspecified, it will be automatically inferred.

        :schema: TargetGroupBindingV1Beta1Spec#ipAddressType
        '''
        result = self._values.get("ip_address_type")
        return typing.cast(typing.Optional["TargetGroupBindingV1Beta1SpecIpAddressType"], result)

    @builtins.property
    def multi_cluster_target_group(self) -> typing.Optional[builtins.bool]:
        '''MultiClusterTargetGroup Denotes if the TargetGroup is shared among multiple clusters.

        :schema: TargetGroupBindingV1Beta1Spec#multiClusterTargetGroup
        '''
        result = self._values.get("multi_cluster_target_group")
        return typing.cast(typing.Optional[builtins.bool], result)

    @builtins.property
    def networking(self) -> typing.Optional["TargetGroupBindingV1Beta1SpecNetworking"]:
        '''networking defines the networking rules to allow ELBV2 LoadBalancer to access targets in TargetGroup.

        :schema: TargetGroupBindingV1Beta1Spec#networking
        '''
        result = self._values.get("networking")
        return typing.cast(typing.Optional["TargetGroupBindingV1Beta1SpecNetworking"], result)

    @builtins.property
    def node_selector(
        self,
    ) -> typing.Optional["TargetGroupBindingV1Beta1SpecNodeSelector"]:
        '''node selector for instance type target groups to only register certain nodes.

        :schema: TargetGroupBindingV1Beta1Spec#nodeSelector
        '''
        result = self._values.get("node_selector")
        return typing.cast(typing.Optional["TargetGroupBindingV1Beta1SpecNodeSelector"], result)

    @builtins.property
    def target_group_arn(self) -> typing.Optional[builtins.str]:
        '''targetGroupARN is the Amazon Resource Name (ARN) for the TargetGroup.

        :schema: TargetGroupBindingV1Beta1Spec#targetGroupARN
        '''
        result = self._values.get("target_group_arn")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def target_group_name(self) -> typing.Optional[builtins.str]:
        '''targetGroupName is the Name of the TargetGroup.

        :schema: TargetGroupBindingV1Beta1Spec#targetGroupName
        '''
        result = self._values.get("target_group_name")
        return typing.cast(typing.Optional[builtins.str], result)

    @builtins.property
    def target_group_protocol(
        self,
    ) -> typing.Optional["TargetGroupBindingV1Beta1SpecTargetGroupProtocol"]:
        '''targetGroupProtocol is the Protocol of the TargetGroup.

        If unspecified, it will be automatically inferred.

        :schema: TargetGroupBindingV1Beta1Spec#targetGroupProtocol
        '''
        result = self._values.get("target_group_protocol")
        return typing.cast(typing.Optional["TargetGroupBindingV1Beta1SpecTargetGroupProtocol"], result)

    @builtins.property
    def target_type(self) -> typing.Optional["TargetGroupBindingV1Beta1SpecTargetType"]:
        '''targetType is the TargetType of TargetGroup.

        If unspecified, it will be automatically inferred.

        :schema: TargetGroupBindingV1Beta1Spec#targetType
        '''
        result = self._values.get("target_type")
        return typing.cast(typing.Optional["TargetGroupBindingV1Beta1SpecTargetType"], result)

    @builtins.property
    def vpc_id(self) -> typing.Optional[builtins.str]:
        '''VpcID is the VPC of the TargetGroup.

        If unspecified, it will be automatically inferred.

        :schema: TargetGroupBindingV1Beta1Spec#vpcID
        '''
        result = self._values.get("vpc_id")
        return typing.cast(typing.Optional[builtins.str], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "TargetGroupBindingV1Beta1Spec(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.enum(jsii_type="awsk8selbv2.TargetGroupBindingV1Beta1SpecIpAddressType")
class TargetGroupBindingV1Beta1SpecIpAddressType(enum.Enum):
    '''ipAddressType specifies whether the target group is of type IPv4 or IPv6.

    If unspecified, it will be automatically inferred.

    :schema: TargetGroupBindingV1Beta1SpecIpAddressType
    '''

    IPV4 = "IPV4"
    '''ipv4.'''
    IPV6 = "IPV6"
    '''ipv6.'''


@jsii.data_type(
    jsii_type="awsk8selbv2.TargetGroupBindingV1Beta1SpecNetworking",
    jsii_struct_bases=[],
    name_mapping={"ingress": "ingress"},
)
class TargetGroupBindingV1Beta1SpecNetworking:
    def __init__(
        self,
        *,
        ingress: typing.Optional[typing.Sequence[typing.Union["TargetGroupBindingV1Beta1SpecNetworkingIngress", typing.Dict[builtins.str, typing.Any]]]] = None,
    ) -> None:
        '''networking defines the networking rules to allow ELBV2 LoadBalancer to access targets in TargetGroup.

        :param ingress: List of ingress rules to allow ELBV2 LoadBalancer to access targets in TargetGroup.

        :schema: TargetGroupBindingV1Beta1SpecNetworking
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__d3693b25670531e3a384f6fe50d12524c116849886fbadd95efb52959050a433)
            check_type(argname="argument ingress", value=ingress, expected_type=type_hints["ingress"])
        self._values: typing.Dict[builtins.str, typing.Any] = {}
        if ingress is not None:
            self._values["ingress"] = ingress

    @builtins.property
    def ingress(
        self,
    ) -> typing.Optional[typing.List["TargetGroupBindingV1Beta1SpecNetworkingIngress"]]:
        '''List of ingress rules to allow ELBV2 LoadBalancer to access targets in TargetGroup.

        :schema: TargetGroupBindingV1Beta1SpecNetworking#ingress
        '''
        result = self._values.get("ingress")
        return typing.cast(typing.Optional[typing.List["TargetGroupBindingV1Beta1SpecNetworkingIngress"]], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "TargetGroupBindingV1Beta1SpecNetworking(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="awsk8selbv2.TargetGroupBindingV1Beta1SpecNetworkingIngress",
    jsii_struct_bases=[],
    name_mapping={"from_": "from", "ports": "ports"},
)
class TargetGroupBindingV1Beta1SpecNetworkingIngress:
    def __init__(
        self,
        *,
        from_: typing.Sequence[typing.Union["TargetGroupBindingV1Beta1SpecNetworkingIngressFrom", typing.Dict[builtins.str, typing.Any]]],
        ports: typing.Sequence[typing.Union["TargetGroupBindingV1Beta1SpecNetworkingIngressPorts", typing.Dict[builtins.str, typing.Any]]],
    ) -> None:
        '''NetworkingIngressRule defines a particular set of traffic that is allowed to access TargetGroup's targets.

        :param from_: List of peers which should be able to access the targets in TargetGroup. At least one NetworkingPeer should be specified.
        :param ports: List of ports which should be made accessible on the targets in TargetGroup. If ports is empty or unspecified, it defaults to all ports with TCP.

        :schema: TargetGroupBindingV1Beta1SpecNetworkingIngress
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__a0c80aed9d70c79f6d3b7c8ba66e3a905118f0c3c712dff62a82cf8a481434e3)
            check_type(argname="argument from_", value=from_, expected_type=type_hints["from_"])
            check_type(argname="argument ports", value=ports, expected_type=type_hints["ports"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "from_": from_,
            "ports": ports,
        }

    @builtins.property
    def from_(
        self,
    ) -> typing.List["TargetGroupBindingV1Beta1SpecNetworkingIngressFrom"]:
        '''List of peers which should be able to access the targets in TargetGroup.

        At least one NetworkingPeer should be specified.

        :schema: TargetGroupBindingV1Beta1SpecNetworkingIngress#from
        '''
        result = self._values.get("from_")
        assert result is not None, "Required property 'from_' is missing"
        return typing.cast(typing.List["TargetGroupBindingV1Beta1SpecNetworkingIngressFrom"], result)

    @builtins.property
    def ports(
        self,
    ) -> typing.List["TargetGroupBindingV1Beta1SpecNetworkingIngressPorts"]:
        '''List of ports which should be made accessible on the targets in TargetGroup.

        If ports is empty or unspecified, it defaults to all ports with TCP.

        :schema: TargetGroupBindingV1Beta1SpecNetworkingIngress#ports
        '''
        result = self._values.get("ports")
        assert result is not None, "Required property 'ports' is missing"
        return typing.cast(typing.List["TargetGroupBindingV1Beta1SpecNetworkingIngressPorts"], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "TargetGroupBindingV1Beta1SpecNetworkingIngress(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="awsk8selbv2.TargetGroupBindingV1Beta1SpecNetworkingIngressFrom",
    jsii_struct_bases=[],
    name_mapping={"ip_block": "ipBlock", "security_group": "securityGroup"},
)
class TargetGroupBindingV1Beta1SpecNetworkingIngressFrom:
    def __init__(
        self,
        *,
        ip_block: typing.Optional[typing.Union["TargetGroupBindingV1Beta1SpecNetworkingIngressFromIpBlock", typing.Dict[builtins.str, typing.Any]]] = None,
        security_group: typing.Optional[typing.Union["TargetGroupBindingV1Beta1SpecNetworkingIngressFromSecurityGroup", typing.Dict[builtins.str, typing.Any]]] = None,
    ) -> None:
        '''NetworkingPeer defines the source/destination peer for networking rules.

        :param ip_block: IPBlock defines an IPBlock peer. If specified, none of the other fields can be set.
        :param security_group: SecurityGroup defines a SecurityGroup peer. If specified, none of the other fields can be set.

        :schema: TargetGroupBindingV1Beta1SpecNetworkingIngressFrom
        '''
        if isinstance(ip_block, dict):
            ip_block = TargetGroupBindingV1Beta1SpecNetworkingIngressFromIpBlock(**ip_block)
        if isinstance(security_group, dict):
            security_group = TargetGroupBindingV1Beta1SpecNetworkingIngressFromSecurityGroup(**security_group)
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__708a124a60eae9f9724de732c9f5bbde8404cdbacf2001aac68472ef159e3492)
            check_type(argname="argument ip_block", value=ip_block, expected_type=type_hints["ip_block"])
            check_type(argname="argument security_group", value=security_group, expected_type=type_hints["security_group"])
        self._values: typing.Dict[builtins.str, typing.Any] = {}
        if ip_block is not None:
            self._values["ip_block"] = ip_block
        if security_group is not None:
            self._values["security_group"] = security_group

    @builtins.property
    def ip_block(
        self,
    ) -> typing.Optional["TargetGroupBindingV1Beta1SpecNetworkingIngressFromIpBlock"]:
        '''IPBlock defines an IPBlock peer.

        If specified, none of the other fields can be set.

        :schema: TargetGroupBindingV1Beta1SpecNetworkingIngressFrom#ipBlock
        '''
        result = self._values.get("ip_block")
        return typing.cast(typing.Optional["TargetGroupBindingV1Beta1SpecNetworkingIngressFromIpBlock"], result)

    @builtins.property
    def security_group(
        self,
    ) -> typing.Optional["TargetGroupBindingV1Beta1SpecNetworkingIngressFromSecurityGroup"]:
        '''SecurityGroup defines a SecurityGroup peer.

        If specified, none of the other fields can be set.

        :schema: TargetGroupBindingV1Beta1SpecNetworkingIngressFrom#securityGroup
        '''
        result = self._values.get("security_group")
        return typing.cast(typing.Optional["TargetGroupBindingV1Beta1SpecNetworkingIngressFromSecurityGroup"], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "TargetGroupBindingV1Beta1SpecNetworkingIngressFrom(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="awsk8selbv2.TargetGroupBindingV1Beta1SpecNetworkingIngressFromIpBlock",
    jsii_struct_bases=[],
    name_mapping={"cidr": "cidr"},
)
class TargetGroupBindingV1Beta1SpecNetworkingIngressFromIpBlock:
    def __init__(self, *, cidr: builtins.str) -> None:
        '''IPBlock defines an IPBlock peer.

        If specified, none of the other fields can be set.

        :param cidr: CIDR is the network CIDR. Both IPV4 or IPV6 CIDR are accepted.

        :schema: TargetGroupBindingV1Beta1SpecNetworkingIngressFromIpBlock
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__79bacf0a74980190d00a8e0dcb527af80a7f3a8a7b2fe7dc0fa4e016330b8224)
            check_type(argname="argument cidr", value=cidr, expected_type=type_hints["cidr"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "cidr": cidr,
        }

    @builtins.property
    def cidr(self) -> builtins.str:
        '''CIDR is the network CIDR.

        Both IPV4 or IPV6 CIDR are accepted.

        :schema: TargetGroupBindingV1Beta1SpecNetworkingIngressFromIpBlock#cidr
        '''
        result = self._values.get("cidr")
        assert result is not None, "Required property 'cidr' is missing"
        return typing.cast(builtins.str, result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "TargetGroupBindingV1Beta1SpecNetworkingIngressFromIpBlock(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="awsk8selbv2.TargetGroupBindingV1Beta1SpecNetworkingIngressFromSecurityGroup",
    jsii_struct_bases=[],
    name_mapping={"group_id": "groupId"},
)
class TargetGroupBindingV1Beta1SpecNetworkingIngressFromSecurityGroup:
    def __init__(self, *, group_id: builtins.str) -> None:
        '''SecurityGroup defines a SecurityGroup peer.

        If specified, none of the other fields can be set.

        :param group_id: GroupID is the EC2 SecurityGroupID.

        :schema: TargetGroupBindingV1Beta1SpecNetworkingIngressFromSecurityGroup
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__42982c0072d9c49e5311b003d4a0132eb9becdf02b5d219d57cb123c2761020f)
            check_type(argname="argument group_id", value=group_id, expected_type=type_hints["group_id"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "group_id": group_id,
        }

    @builtins.property
    def group_id(self) -> builtins.str:
        '''GroupID is the EC2 SecurityGroupID.

        :schema: TargetGroupBindingV1Beta1SpecNetworkingIngressFromSecurityGroup#groupID
        '''
        result = self._values.get("group_id")
        assert result is not None, "Required property 'group_id' is missing"
        return typing.cast(builtins.str, result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "TargetGroupBindingV1Beta1SpecNetworkingIngressFromSecurityGroup(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="awsk8selbv2.TargetGroupBindingV1Beta1SpecNetworkingIngressPorts",
    jsii_struct_bases=[],
    name_mapping={"port": "port", "protocol": "protocol"},
)
class TargetGroupBindingV1Beta1SpecNetworkingIngressPorts:
    def __init__(
        self,
        *,
        port: typing.Optional["TargetGroupBindingV1Beta1SpecNetworkingIngressPortsPort"] = None,
        protocol: typing.Optional["TargetGroupBindingV1Beta1SpecNetworkingIngressPortsProtocol"] = None,
    ) -> None:
        '''NetworkingPort defines the port and protocol for networking rules.

        :param port: The port which traffic must match. When NodePort endpoints(instance TargetType) is used, this must be a numerical port. When Port endpoints(ip TargetType) is used, this can be either numerical or named port on pods. if port is unspecified, it defaults to all ports.
        :param protocol: The protocol which traffic must match. If protocol is unspecified, it defaults to TCP.

        :schema: TargetGroupBindingV1Beta1SpecNetworkingIngressPorts
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__8b9017e17f6793ac2bbb0b0d7bb9688652eeb6d6a22e73968eab28081cec0b48)
            check_type(argname="argument port", value=port, expected_type=type_hints["port"])
            check_type(argname="argument protocol", value=protocol, expected_type=type_hints["protocol"])
        self._values: typing.Dict[builtins.str, typing.Any] = {}
        if port is not None:
            self._values["port"] = port
        if protocol is not None:
            self._values["protocol"] = protocol

    @builtins.property
    def port(
        self,
    ) -> typing.Optional["TargetGroupBindingV1Beta1SpecNetworkingIngressPortsPort"]:
        '''The port which traffic must match.

        When NodePort endpoints(instance TargetType) is used, this must be a numerical port.
        When Port endpoints(ip TargetType) is used, this can be either numerical or named port on pods.
        if port is unspecified, it defaults to all ports.

        :schema: TargetGroupBindingV1Beta1SpecNetworkingIngressPorts#port
        '''
        result = self._values.get("port")
        return typing.cast(typing.Optional["TargetGroupBindingV1Beta1SpecNetworkingIngressPortsPort"], result)

    @builtins.property
    def protocol(
        self,
    ) -> typing.Optional["TargetGroupBindingV1Beta1SpecNetworkingIngressPortsProtocol"]:
        '''The protocol which traffic must match.

        If protocol is unspecified, it defaults to TCP.

        :schema: TargetGroupBindingV1Beta1SpecNetworkingIngressPorts#protocol
        '''
        result = self._values.get("protocol")
        return typing.cast(typing.Optional["TargetGroupBindingV1Beta1SpecNetworkingIngressPortsProtocol"], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "TargetGroupBindingV1Beta1SpecNetworkingIngressPorts(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


class TargetGroupBindingV1Beta1SpecNetworkingIngressPortsPort(
    metaclass=jsii.JSIIMeta,
    jsii_type="awsk8selbv2.TargetGroupBindingV1Beta1SpecNetworkingIngressPortsPort",
):
    '''The port which traffic must match.

    When NodePort endpoints(instance TargetType) is used, this must be a numerical port.
    When Port endpoints(ip TargetType) is used, this can be either numerical or named port on pods.
    if port is unspecified, it defaults to all ports.

    :schema: TargetGroupBindingV1Beta1SpecNetworkingIngressPortsPort
    '''

    @jsii.member(jsii_name="fromNumber")
    @builtins.classmethod
    def from_number(
        cls,
        value: jsii.Number,
    ) -> "TargetGroupBindingV1Beta1SpecNetworkingIngressPortsPort":
        '''
        :param value: -
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__d7253e412a5e4cfe70eca61d25ad83f29fa4beff0f92cc56bcd764528f9fcdf0)
            check_type(argname="argument value", value=value, expected_type=type_hints["value"])
        return typing.cast("TargetGroupBindingV1Beta1SpecNetworkingIngressPortsPort", jsii.sinvoke(cls, "fromNumber", [value]))

    @jsii.member(jsii_name="fromString")
    @builtins.classmethod
    def from_string(
        cls,
        value: builtins.str,
    ) -> "TargetGroupBindingV1Beta1SpecNetworkingIngressPortsPort":
        '''
        :param value: -
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__85a4a5051146cebd7fd90c0eb9f3faea830772d7356decc0029a4926da0ee752)
            check_type(argname="argument value", value=value, expected_type=type_hints["value"])
        return typing.cast("TargetGroupBindingV1Beta1SpecNetworkingIngressPortsPort", jsii.sinvoke(cls, "fromString", [value]))

    @builtins.property
    @jsii.member(jsii_name="value")
    def value(self) -> typing.Union[builtins.str, jsii.Number]:
        return typing.cast(typing.Union[builtins.str, jsii.Number], jsii.get(self, "value"))


@jsii.enum(
    jsii_type="awsk8selbv2.TargetGroupBindingV1Beta1SpecNetworkingIngressPortsProtocol"
)
class TargetGroupBindingV1Beta1SpecNetworkingIngressPortsProtocol(enum.Enum):
    '''The protocol which traffic must match.

    If protocol is unspecified, it defaults to TCP.

    :schema: TargetGroupBindingV1Beta1SpecNetworkingIngressPortsProtocol
    '''

    TCP = "TCP"
    '''TCP.'''
    UDP = "UDP"
    '''UDP.'''


@jsii.data_type(
    jsii_type="awsk8selbv2.TargetGroupBindingV1Beta1SpecNodeSelector",
    jsii_struct_bases=[],
    name_mapping={
        "match_expressions": "matchExpressions",
        "match_labels": "matchLabels",
    },
)
class TargetGroupBindingV1Beta1SpecNodeSelector:
    def __init__(
        self,
        *,
        match_expressions: typing.Optional[typing.Sequence[typing.Union["TargetGroupBindingV1Beta1SpecNodeSelectorMatchExpressions", typing.Dict[builtins.str, typing.Any]]]] = None,
        match_labels: typing.Optional[typing.Mapping[builtins.str, builtins.str]] = None,
    ) -> None:
        '''node selector for instance type target groups to only register certain nodes.

        :param match_expressions: matchExpressions is a list of label selector requirements. The requirements are ANDed.
        :param match_labels: matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent to an element of matchExpressions, whose key field is "key", the operator is "In", and the values array contains only "value". The requirements are ANDed.

        :schema: TargetGroupBindingV1Beta1SpecNodeSelector
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__1108eeb66a3eeebd150d40f38db4419957f58a58fdadb141a3589e7a93636db6)
            check_type(argname="argument match_expressions", value=match_expressions, expected_type=type_hints["match_expressions"])
            check_type(argname="argument match_labels", value=match_labels, expected_type=type_hints["match_labels"])
        self._values: typing.Dict[builtins.str, typing.Any] = {}
        if match_expressions is not None:
            self._values["match_expressions"] = match_expressions
        if match_labels is not None:
            self._values["match_labels"] = match_labels

    @builtins.property
    def match_expressions(
        self,
    ) -> typing.Optional[typing.List["TargetGroupBindingV1Beta1SpecNodeSelectorMatchExpressions"]]:
        '''matchExpressions is a list of label selector requirements.

        The requirements are ANDed.

        :schema: TargetGroupBindingV1Beta1SpecNodeSelector#matchExpressions
        '''
        result = self._values.get("match_expressions")
        return typing.cast(typing.Optional[typing.List["TargetGroupBindingV1Beta1SpecNodeSelectorMatchExpressions"]], result)

    @builtins.property
    def match_labels(
        self,
    ) -> typing.Optional[typing.Mapping[builtins.str, builtins.str]]:
        '''matchLabels is a map of {key,value} pairs.

        A single {key,value} in the matchLabels
        map is equivalent to an element of matchExpressions, whose key field is "key", the
        operator is "In", and the values array contains only "value". The requirements are ANDed.

        :schema: TargetGroupBindingV1Beta1SpecNodeSelector#matchLabels
        '''
        result = self._values.get("match_labels")
        return typing.cast(typing.Optional[typing.Mapping[builtins.str, builtins.str]], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "TargetGroupBindingV1Beta1SpecNodeSelector(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="awsk8selbv2.TargetGroupBindingV1Beta1SpecNodeSelectorMatchExpressions",
    jsii_struct_bases=[],
    name_mapping={"key": "key", "operator": "operator", "values": "values"},
)
class TargetGroupBindingV1Beta1SpecNodeSelectorMatchExpressions:
    def __init__(
        self,
        *,
        key: builtins.str,
        operator: builtins.str,
        values: typing.Optional[typing.Sequence[builtins.str]] = None,
    ) -> None:
        '''A label selector requirement is a selector that contains values, a key, and an operator that relates the key and values.

        :param key: key is the label key that the selector applies to.
        :param operator: operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist.
        :param values: values is an array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty. This array is replaced during a strategic merge patch.

        :schema: TargetGroupBindingV1Beta1SpecNodeSelectorMatchExpressions
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__ed3f9836386b36bf3a9a1d5343aa968fd45d251da65abfd94df97eb9b82b0a56)
            check_type(argname="argument key", value=key, expected_type=type_hints["key"])
            check_type(argname="argument operator", value=operator, expected_type=type_hints["operator"])
            check_type(argname="argument values", value=values, expected_type=type_hints["values"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "key": key,
            "operator": operator,
        }
        if values is not None:
            self._values["values"] = values

    @builtins.property
    def key(self) -> builtins.str:
        '''key is the label key that the selector applies to.

        :schema: TargetGroupBindingV1Beta1SpecNodeSelectorMatchExpressions#key
        '''
        result = self._values.get("key")
        assert result is not None, "Required property 'key' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def operator(self) -> builtins.str:
        '''operator represents a key's relationship to a set of values.

        Valid operators are In, NotIn, Exists and DoesNotExist.

        :schema: TargetGroupBindingV1Beta1SpecNodeSelectorMatchExpressions#operator
        '''
        result = self._values.get("operator")
        assert result is not None, "Required property 'operator' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def values(self) -> typing.Optional[typing.List[builtins.str]]:
        '''values is an array of string values.

        If the operator is In or NotIn,
        the values array must be non-empty. If the operator is Exists or DoesNotExist,
        the values array must be empty. This array is replaced during a strategic
        merge patch.

        :schema: TargetGroupBindingV1Beta1SpecNodeSelectorMatchExpressions#values
        '''
        result = self._values.get("values")
        return typing.cast(typing.Optional[typing.List[builtins.str]], result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "TargetGroupBindingV1Beta1SpecNodeSelectorMatchExpressions(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


@jsii.data_type(
    jsii_type="awsk8selbv2.TargetGroupBindingV1Beta1SpecServiceRef",
    jsii_struct_bases=[],
    name_mapping={"name": "name", "port": "port"},
)
class TargetGroupBindingV1Beta1SpecServiceRef:
    def __init__(
        self,
        *,
        name: builtins.str,
        port: "TargetGroupBindingV1Beta1SpecServiceRefPort",
    ) -> None:
        '''serviceRef is a reference to a Kubernetes Service and ServicePort.

        :param name: Name is the name of the Service.
        :param port: Port is the port of the ServicePort.

        :schema: TargetGroupBindingV1Beta1SpecServiceRef
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__e1c8e8ee7ed7fe54ee45beda96bf08c27c500e9ab6f46e9d4e8010912f91b990)
            check_type(argname="argument name", value=name, expected_type=type_hints["name"])
            check_type(argname="argument port", value=port, expected_type=type_hints["port"])
        self._values: typing.Dict[builtins.str, typing.Any] = {
            "name": name,
            "port": port,
        }

    @builtins.property
    def name(self) -> builtins.str:
        '''Name is the name of the Service.

        :schema: TargetGroupBindingV1Beta1SpecServiceRef#name
        '''
        result = self._values.get("name")
        assert result is not None, "Required property 'name' is missing"
        return typing.cast(builtins.str, result)

    @builtins.property
    def port(self) -> "TargetGroupBindingV1Beta1SpecServiceRefPort":
        '''Port is the port of the ServicePort.

        :schema: TargetGroupBindingV1Beta1SpecServiceRef#port
        '''
        result = self._values.get("port")
        assert result is not None, "Required property 'port' is missing"
        return typing.cast("TargetGroupBindingV1Beta1SpecServiceRefPort", result)

    def __eq__(self, rhs: typing.Any) -> builtins.bool:
        return isinstance(rhs, self.__class__) and rhs._values == self._values

    def __ne__(self, rhs: typing.Any) -> builtins.bool:
        return not (rhs == self)

    def __repr__(self) -> str:
        return "TargetGroupBindingV1Beta1SpecServiceRef(%s)" % ", ".join(
            k + "=" + repr(v) for k, v in self._values.items()
        )


class TargetGroupBindingV1Beta1SpecServiceRefPort(
    metaclass=jsii.JSIIMeta,
    jsii_type="awsk8selbv2.TargetGroupBindingV1Beta1SpecServiceRefPort",
):
    '''Port is the port of the ServicePort.

    :schema: TargetGroupBindingV1Beta1SpecServiceRefPort
    '''

    @jsii.member(jsii_name="fromNumber")
    @builtins.classmethod
    def from_number(
        cls,
        value: jsii.Number,
    ) -> "TargetGroupBindingV1Beta1SpecServiceRefPort":
        '''
        :param value: -
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__dcf06811cd9476998e92dcdf55c397902eda88d96064312b3a92a25a5b1e49e9)
            check_type(argname="argument value", value=value, expected_type=type_hints["value"])
        return typing.cast("TargetGroupBindingV1Beta1SpecServiceRefPort", jsii.sinvoke(cls, "fromNumber", [value]))

    @jsii.member(jsii_name="fromString")
    @builtins.classmethod
    def from_string(
        cls,
        value: builtins.str,
    ) -> "TargetGroupBindingV1Beta1SpecServiceRefPort":
        '''
        :param value: -
        '''
        if __debug__:
            type_hints = cached_type_hints(_typecheckingstub__7cae7c0864baeea12dc8a30c489623c72b25ce05ffb24af8ad1706c7e507f9a8)
            check_type(argname="argument value", value=value, expected_type=type_hints["value"])
        return typing.cast("TargetGroupBindingV1Beta1SpecServiceRefPort", jsii.sinvoke(cls, "fromString", [value]))

    @builtins.property
    @jsii.member(jsii_name="value")
    def value(self) -> typing.Union[builtins.str, jsii.Number]:
        return typing.cast(typing.Union[builtins.str, jsii.Number], jsii.get(self, "value"))


@jsii.enum(jsii_type="awsk8selbv2.TargetGroupBindingV1Beta1SpecTargetGroupProtocol")
class TargetGroupBindingV1Beta1SpecTargetGroupProtocol(enum.Enum):
    '''targetGroupProtocol is the Protocol of the TargetGroup.

    If unspecified, it will be automatically inferred.

    :schema: TargetGroupBindingV1Beta1SpecTargetGroupProtocol
    '''

    HTTP = "HTTP"
    '''HTTP.'''
    HTTPS = "HTTPS"
    '''HTTPS.'''
    TCP = "TCP"
    '''TCP.'''
    TLS = "TLS"
    '''TLS.'''
    UDP = "UDP"
    '''UDP.'''
    TCP_UNDERSCORE_UDP = "TCP_UNDERSCORE_UDP"
    '''TCP_UDP.'''
    QUIC = "QUIC"
    '''QUIC.'''
    TCP_UNDERSCORE_QUIC = "TCP_UNDERSCORE_QUIC"
    '''TCP_QUIC.'''


@jsii.enum(jsii_type="awsk8selbv2.TargetGroupBindingV1Beta1SpecTargetType")
class TargetGroupBindingV1Beta1SpecTargetType(enum.Enum):
    '''targetType is the TargetType of TargetGroup.

    If unspecified, it will be automatically inferred.

    :schema: TargetGroupBindingV1Beta1SpecTargetType
    '''

    INSTANCE = "INSTANCE"
    '''instance.'''
    IP = "IP"
    '''ip.'''


__all__ = [
    "TargetGroupBinding",
    "TargetGroupBindingProps",
    "TargetGroupBindingSpec",
    "TargetGroupBindingSpecNetworking",
    "TargetGroupBindingSpecNetworkingIngress",
    "TargetGroupBindingSpecNetworkingIngressFrom",
    "TargetGroupBindingSpecNetworkingIngressFromIpBlock",
    "TargetGroupBindingSpecNetworkingIngressFromSecurityGroup",
    "TargetGroupBindingSpecNetworkingIngressPorts",
    "TargetGroupBindingSpecNetworkingIngressPortsPort",
    "TargetGroupBindingSpecNetworkingIngressPortsProtocol",
    "TargetGroupBindingSpecServiceRef",
    "TargetGroupBindingSpecServiceRefPort",
    "TargetGroupBindingSpecTargetType",
    "TargetGroupBindingV1Beta1",
    "TargetGroupBindingV1Beta1Props",
    "TargetGroupBindingV1Beta1Spec",
    "TargetGroupBindingV1Beta1SpecIpAddressType",
    "TargetGroupBindingV1Beta1SpecNetworking",
    "TargetGroupBindingV1Beta1SpecNetworkingIngress",
    "TargetGroupBindingV1Beta1SpecNetworkingIngressFrom",
    "TargetGroupBindingV1Beta1SpecNetworkingIngressFromIpBlock",
    "TargetGroupBindingV1Beta1SpecNetworkingIngressFromSecurityGroup",
    "TargetGroupBindingV1Beta1SpecNetworkingIngressPorts",
    "TargetGroupBindingV1Beta1SpecNetworkingIngressPortsPort",
    "TargetGroupBindingV1Beta1SpecNetworkingIngressPortsProtocol",
    "TargetGroupBindingV1Beta1SpecNodeSelector",
    "TargetGroupBindingV1Beta1SpecNodeSelectorMatchExpressions",
    "TargetGroupBindingV1Beta1SpecServiceRef",
    "TargetGroupBindingV1Beta1SpecServiceRefPort",
    "TargetGroupBindingV1Beta1SpecTargetGroupProtocol",
    "TargetGroupBindingV1Beta1SpecTargetType",
]

publication.publish()

def _typecheckingstub__90763d440b205a3573aa7e80f657cefb2d4dfb4af2a5a0cc516c41b294715e82(
    scope: _constructs_77d1e7e8.Construct,
    id: builtins.str,
    *,
    metadata: typing.Optional[typing.Union[_cdk8s_d3d9af27.ApiObjectMetadata, typing.Dict[builtins.str, typing.Any]]] = None,
    spec: typing.Optional[typing.Union[TargetGroupBindingSpec, typing.Dict[builtins.str, typing.Any]]] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__2429fa38854173776c9f3360b3eea427fe5da0d3efdb1eebc64275fc2bd36d11(
    *,
    metadata: typing.Optional[typing.Union[_cdk8s_d3d9af27.ApiObjectMetadata, typing.Dict[builtins.str, typing.Any]]] = None,
    spec: typing.Optional[typing.Union[TargetGroupBindingSpec, typing.Dict[builtins.str, typing.Any]]] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__4f010cb8c3336fd7b63bec944067bade4b07c000762395785583002e02309c24(
    *,
    service_ref: typing.Union[TargetGroupBindingSpecServiceRef, typing.Dict[builtins.str, typing.Any]],
    assume_role_external_id: typing.Optional[builtins.str] = None,
    iam_role_arn_to_assume: typing.Optional[builtins.str] = None,
    multi_cluster_target_group: typing.Optional[builtins.bool] = None,
    networking: typing.Optional[typing.Union[TargetGroupBindingSpecNetworking, typing.Dict[builtins.str, typing.Any]]] = None,
    target_group_arn: typing.Optional[builtins.str] = None,
    target_group_name: typing.Optional[builtins.str] = None,
    target_type: typing.Optional[TargetGroupBindingSpecTargetType] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__84ff1d41ce9d649891249583b5e2e70a7618b36940c770f96882458b6af80a1a(
    *,
    ingress: typing.Optional[typing.Sequence[typing.Union[TargetGroupBindingSpecNetworkingIngress, typing.Dict[builtins.str, typing.Any]]]] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__2395b657683a359fa1407e5645ee3f4266233247a55b07fc97e7f6335237ce3d(
    *,
    from_: typing.Sequence[typing.Union[TargetGroupBindingSpecNetworkingIngressFrom, typing.Dict[builtins.str, typing.Any]]],
    ports: typing.Sequence[typing.Union[TargetGroupBindingSpecNetworkingIngressPorts, typing.Dict[builtins.str, typing.Any]]],
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__633210a872f7106db39210062c4aa3c58b5220e7c2c46df2a60dae6787e318b2(
    *,
    ip_block: typing.Optional[typing.Union[TargetGroupBindingSpecNetworkingIngressFromIpBlock, typing.Dict[builtins.str, typing.Any]]] = None,
    security_group: typing.Optional[typing.Union[TargetGroupBindingSpecNetworkingIngressFromSecurityGroup, typing.Dict[builtins.str, typing.Any]]] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__701d1a6ef1d261dd9b79f7e3426ed0acd841e9cdc2f881e77d96773b6a17b416(
    *,
    cidr: builtins.str,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__b45342c0b854a96353041cb0669cfdcd011b073612e5a6fd59a345b55076ca4e(
    *,
    group_id: builtins.str,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__af39deb8c934554de93787faf40d476f722360c9d95b5a7d6d0b2c7872fee6bc(
    *,
    port: typing.Optional[TargetGroupBindingSpecNetworkingIngressPortsPort] = None,
    protocol: typing.Optional[TargetGroupBindingSpecNetworkingIngressPortsProtocol] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__e5ab0af21f27ae925d2b319b428fa62522c780ed5e5925efa6b5952a309818e7(
    value: jsii.Number,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__eee58cba5ec90e4cbcfb87e3a864d12935bae92409a1977d5751a97eb76fa05f(
    value: builtins.str,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__41798384791b83fb52367e5ac4c928982c7cb965861146c9c330eaf2c792ba41(
    *,
    name: builtins.str,
    port: TargetGroupBindingSpecServiceRefPort,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__60482ff79b8070b310ec50f282270041276c3a9ccc0d9c2e9160a064f576398c(
    value: jsii.Number,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__4d0613e07c37987e0a3ea5144b058e1c536f5adadfb3d12451ae9606c46f799c(
    value: builtins.str,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__097999cbffc623622f924b842436d81f6e6a57e1e3741832e8c9626b429dbd12(
    scope: _constructs_77d1e7e8.Construct,
    id: builtins.str,
    *,
    metadata: typing.Optional[typing.Union[_cdk8s_d3d9af27.ApiObjectMetadata, typing.Dict[builtins.str, typing.Any]]] = None,
    spec: typing.Optional[typing.Union[TargetGroupBindingV1Beta1Spec, typing.Dict[builtins.str, typing.Any]]] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__28626511b5f6d1ede41d33a5ef038f3ea1f2fb2e7f9e42bf0cac7118f9cecb7a(
    *,
    metadata: typing.Optional[typing.Union[_cdk8s_d3d9af27.ApiObjectMetadata, typing.Dict[builtins.str, typing.Any]]] = None,
    spec: typing.Optional[typing.Union[TargetGroupBindingV1Beta1Spec, typing.Dict[builtins.str, typing.Any]]] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__136eb3140e66b24fb61e0f19b18bc3c8c050251b3e0128467b2ad19dbae3aba3(
    *,
    service_ref: typing.Union[TargetGroupBindingV1Beta1SpecServiceRef, typing.Dict[builtins.str, typing.Any]],
    assume_role_external_id: typing.Optional[builtins.str] = None,
    iam_role_arn_to_assume: typing.Optional[builtins.str] = None,
    ip_address_type: typing.Optional[TargetGroupBindingV1Beta1SpecIpAddressType] = None,
    multi_cluster_target_group: typing.Optional[builtins.bool] = None,
    networking: typing.Optional[typing.Union[TargetGroupBindingV1Beta1SpecNetworking, typing.Dict[builtins.str, typing.Any]]] = None,
    node_selector: typing.Optional[typing.Union[TargetGroupBindingV1Beta1SpecNodeSelector, typing.Dict[builtins.str, typing.Any]]] = None,
    target_group_arn: typing.Optional[builtins.str] = None,
    target_group_name: typing.Optional[builtins.str] = None,
    target_group_protocol: typing.Optional[TargetGroupBindingV1Beta1SpecTargetGroupProtocol] = None,
    target_type: typing.Optional[TargetGroupBindingV1Beta1SpecTargetType] = None,
    vpc_id: typing.Optional[builtins.str] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__d3693b25670531e3a384f6fe50d12524c116849886fbadd95efb52959050a433(
    *,
    ingress: typing.Optional[typing.Sequence[typing.Union[TargetGroupBindingV1Beta1SpecNetworkingIngress, typing.Dict[builtins.str, typing.Any]]]] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__a0c80aed9d70c79f6d3b7c8ba66e3a905118f0c3c712dff62a82cf8a481434e3(
    *,
    from_: typing.Sequence[typing.Union[TargetGroupBindingV1Beta1SpecNetworkingIngressFrom, typing.Dict[builtins.str, typing.Any]]],
    ports: typing.Sequence[typing.Union[TargetGroupBindingV1Beta1SpecNetworkingIngressPorts, typing.Dict[builtins.str, typing.Any]]],
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__708a124a60eae9f9724de732c9f5bbde8404cdbacf2001aac68472ef159e3492(
    *,
    ip_block: typing.Optional[typing.Union[TargetGroupBindingV1Beta1SpecNetworkingIngressFromIpBlock, typing.Dict[builtins.str, typing.Any]]] = None,
    security_group: typing.Optional[typing.Union[TargetGroupBindingV1Beta1SpecNetworkingIngressFromSecurityGroup, typing.Dict[builtins.str, typing.Any]]] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__79bacf0a74980190d00a8e0dcb527af80a7f3a8a7b2fe7dc0fa4e016330b8224(
    *,
    cidr: builtins.str,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__42982c0072d9c49e5311b003d4a0132eb9becdf02b5d219d57cb123c2761020f(
    *,
    group_id: builtins.str,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__8b9017e17f6793ac2bbb0b0d7bb9688652eeb6d6a22e73968eab28081cec0b48(
    *,
    port: typing.Optional[TargetGroupBindingV1Beta1SpecNetworkingIngressPortsPort] = None,
    protocol: typing.Optional[TargetGroupBindingV1Beta1SpecNetworkingIngressPortsProtocol] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__d7253e412a5e4cfe70eca61d25ad83f29fa4beff0f92cc56bcd764528f9fcdf0(
    value: jsii.Number,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__85a4a5051146cebd7fd90c0eb9f3faea830772d7356decc0029a4926da0ee752(
    value: builtins.str,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__1108eeb66a3eeebd150d40f38db4419957f58a58fdadb141a3589e7a93636db6(
    *,
    match_expressions: typing.Optional[typing.Sequence[typing.Union[TargetGroupBindingV1Beta1SpecNodeSelectorMatchExpressions, typing.Dict[builtins.str, typing.Any]]]] = None,
    match_labels: typing.Optional[typing.Mapping[builtins.str, builtins.str]] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__ed3f9836386b36bf3a9a1d5343aa968fd45d251da65abfd94df97eb9b82b0a56(
    *,
    key: builtins.str,
    operator: builtins.str,
    values: typing.Optional[typing.Sequence[builtins.str]] = None,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__e1c8e8ee7ed7fe54ee45beda96bf08c27c500e9ab6f46e9d4e8010912f91b990(
    *,
    name: builtins.str,
    port: TargetGroupBindingV1Beta1SpecServiceRefPort,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__dcf06811cd9476998e92dcdf55c397902eda88d96064312b3a92a25a5b1e49e9(
    value: jsii.Number,
) -> None:
    """Type checking stubs"""
    pass

def _typecheckingstub__7cae7c0864baeea12dc8a30c489623c72b25ce05ffb24af8ad1706c7e507f9a8(
    value: builtins.str,
) -> None:
    """Type checking stubs"""
    pass
