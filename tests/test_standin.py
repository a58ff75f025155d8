"""Each fix of the AWS stand-in (shared_nlb/standin/patches/) closes one gap of moto 5.2.5: every test runs its
scenario with that one fix taken away (the gap shows) and with all fixes (it does not).

These run in-process under `moto.mock_aws` with a small hand-written NLB template: no server, no jsii.
"""

from __future__ import annotations

import copy
import json

import boto3
import pytest
import yaml
from moto import mock_aws

from shared_nlb import standin
from shared_nlb.standin import patches
from shared_nlb.config import parse_config
from shared_nlb.errors import UserError
from tests.factories import ROOT, base_dict

STACK = "standin-test"

# aws-cdk's rule for a security group without egress (aws-ec2 security-group.ts MATCH_NO_TRAFFIC).
NO_TRAFFIC_EGRESS = {"CidrIp": "255.255.255.255/32", "Description": "Disallow all traffic", "FromPort": 252, "IpProtocol": "icmp", "ToPort": 86}


@pytest.fixture(autouse=True)
def all_fixes_after():
    yield
    standin.apply_patches()


@pytest.fixture
def aws(reseeds_the_session_standin):
    with mock_aws():
        yield standin.StandIn(endpoint_url=None, region=standin.REGION)  # type: ignore[arg-type]


def network(aws):
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"us-east-1{z}")["Subnet"]["SubnetId"] for i, z in enumerate("ab")]
    return vpc, subnets


def template(vpc, subnets, *, port=6380, interval=30, protection="true", with_service=True, bootstrap=False, group=None, rules=None, target_group=None, listener=None, extra=None):
    resources = {
        "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "nlb", "VpcId": vpc, **(group or {})}},
        "Lb": {
            "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "Properties": {
                "Type": "network",
                "Scheme": "internal",
                "Subnets": subnets,
                "SecurityGroups": [{"Fn::GetAtt": ["Sg", "GroupId"]}],
                "LoadBalancerAttributes": [{"Key": "deletion_protection.enabled", "Value": protection}],
            },
        },
    }
    resources |= rules or {}
    outputs = {"LbArn": {"Value": {"Ref": "Lb"}, "Export": {"Name": f"{STACK}-LbArn"}}}
    if with_service:
        resources["Tg"] = {
            "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
            "Properties": {"Port": port, "Protocol": "TCP", "TargetType": "ip", "VpcId": vpc, "HealthCheckIntervalSeconds": interval, **(target_group or {})},
        }
        resources["Listener"] = {
            "Type": "AWS::ElasticLoadBalancingV2::Listener",
            "Properties": {"LoadBalancerArn": {"Ref": "Lb"}, "Port": 6379, "Protocol": "TCP", "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": "Tg"}}], **(listener or {})},
        }
        outputs["TgArn"] = {"Value": {"Ref": "Tg"}, "Export": {"Name": f"{STACK}-TgArn"}}
    resources |= extra or {}
    body = {"Resources": resources, "Outputs": outputs}
    if bootstrap:
        body["Parameters"] = {"BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": standin.BOOTSTRAP_PARAMETER}}
    return json.dumps(body)


def change_set(aws, body, kind):
    cf = aws.client("cloudformation")
    created = cf.create_change_set(StackName=STACK, ChangeSetName=f"c{len(cf.list_change_sets(StackName=STACK).get('Summaries', [])) if kind == 'UPDATE' else 0}", ChangeSetType=kind, TemplateBody=body)
    return cf, created["Id"]


def deploy(aws, body, kind="CREATE"):
    cf, change_set_id = change_set(aws, body, kind)
    cf.execute_change_set(ChangeSetName=change_set_id)
    return {o["OutputKey"]: o["OutputValue"] for o in cf.describe_stacks(StackName=STACK)["Stacks"][0].get("Outputs") or []}


def outcome(action):
    """What an action gives, or the exception it raises: a gap may show either way."""
    try:
        return action()
    except Exception as error:  # noqa: BLE001 - the gap under test
        return error


def without(fix):
    standin.apply_patches(without=(fix.__name__,))


def failure(aws, result, stack=STACK):
    """Why a deploy failed: its error, or, since failed executions roll back, the reasons of the
    stack's failure events ("" when it did not fail)."""
    if isinstance(result, Exception):
        return str(result)
    found = aws.client("cloudformation").describe_stack_events(StackName=stack)["StackEvents"]
    return "; ".join(e.get("ResourceStatusReason") or "" for e in reversed(found) if e["ResourceStatus"].endswith("FAILED"))


def deployed(aws, fix, patched):
    """Every fix, or all but `fix`; then the small stack deployed. Returns (CloudFormation client, VPC, subnets)."""
    (standin.apply_patches if patched else lambda: without(fix))()
    vpc, subnets = network(aws)
    deploy(aws, template(vpc, subnets))
    return aws.client("cloudformation"), vpc, subnets


def test_every_fix_is_listed_with_a_docstring_naming_its_gap():
    for fix in standin.FIXES:
        assert fix.__doc__ and ("Gap" in fix.__doc__ or "Not in TOOLCHAIN.md" in fix.__doc__), fix.__name__


@pytest.mark.parametrize("patched", [False, True])
def test_gap1_load_balancer_type_and_attributes(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._network_load_balancer_from_template))()
    vpc, subnets = network(aws)
    result = outcome(lambda: deploy(aws, template(vpc, subnets)))
    if not patched:
        assert "TCP" in failure(aws, result)  # an application LB refuses TCP listeners
        return
    elbv2 = aws.client("elbv2")
    balancer = elbv2.describe_load_balancers()["LoadBalancers"][0]
    attributes = {a["Key"]: a["Value"] for a in elbv2.describe_load_balancer_attributes(LoadBalancerArn=balancer["LoadBalancerArn"])["Attributes"]}
    assert (balancer["Type"], balancer["Scheme"], attributes["deletion_protection.enabled"]) == ("network", "internal", "true")


@pytest.mark.parametrize("patched", [False, True])
def test_gap1_deletion_protection_is_enforced(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._deletion_protection))()
    vpc, subnets = network(aws)
    outputs = deploy(aws, template(vpc, subnets))
    result = outcome(lambda: aws.client("elbv2").delete_load_balancer(LoadBalancerArn=outputs["LbArn"]))
    if patched:
        assert "deletion protection is enabled" in str(result)
    else:
        assert not isinstance(result, Exception)


@pytest.mark.parametrize("patched", [False, True])
def test_gap2_bootstrap_version_parameter(aws, patched):
    vpc, subnets = network(aws)
    if patched:
        standin.seed_bootstrap(aws)
    result = outcome(lambda: deploy(aws, template(vpc, subnets, bootstrap=True)))
    assert isinstance(result, dict) == patched
    if patched:
        parameters = aws.client("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]["Parameters"]
        assert parameters == [{"ParameterKey": "BootstrapVersion", "ParameterValue": standin.BOOTSTRAP_VERSION}]


def test_seed_bootstrap_leaves_the_cdk_toolkit_stack_that_cdk_bootstrap_leaves(aws):
    """The bootstrap is the stack `cdk bootstrap` creates, made through CloudFormation: its bucket,
    parameter and roles belong to it, so the CLI's own `cdk bootstrap` finds its stack (and changes
    nothing) instead of failing BucketAlreadyExists on resources made beside CloudFormation."""
    from shared_nlb.changeset import BOOTSTRAP_BUCKET

    standin.seed_bootstrap(aws)
    cf = aws.client("cloudformation")
    (stack,) = cf.describe_stacks(StackName=standin.server.TOOLKIT_STACK)["Stacks"]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
    bucket = BOOTSTRAP_BUCKET.format(account=standin.ACCOUNT, region=aws.region)
    assert (stack["StackStatus"], outputs["BootstrapVersion"], outputs["BucketName"]) == ("CREATE_COMPLETE", standin.BOOTSTRAP_VERSION, bucket)
    assert {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}["FileAssetsBucketKmsKeyId"] == "AWS_MANAGED_KEY"
    owned = {r.get("PhysicalResourceId") for r in cf.describe_stack_resources(StackName=stack["StackName"])["StackResources"]}
    assert {bucket, standin.BOOTSTRAP_PARAMETER} <= owned
    assert aws.client("ssm").get_parameter(Name=standin.BOOTSTRAP_PARAMETER)["Parameter"]["Value"] == standin.BOOTSTRAP_VERSION
    standin.seed_bootstrap(aws)  # a stand-in started again in this process: the stack is kept
    assert cf.describe_stacks(StackName=stack["StackName"])["Stacks"][0]["StackId"] == stack["StackId"]


def test_the_bootstrap_template_is_the_cdk_clis_own():
    """`cdk bootstrap` changes nothing only while the stand-in's template is the CLI's: moving
    `aws-cdk` in package.json means taking the file again (shared_nlb/data/SOURCE.md)."""
    from importlib import resources

    vendored = resources.files("shared_nlb").joinpath("data", standin.server.BOOTSTRAP_TEMPLATE).read_text(encoding="utf-8")
    version = yaml.safe_load(vendored)["Resources"]["CdkBootstrapVersion"]["Properties"]["Value"]
    assert version == standin.BOOTSTRAP_VERSION
    cli = ROOT / "node_modules" / "aws-cdk" / "lib" / "api" / "bootstrap" / "bootstrap-template.yaml"
    if not cli.exists():
        pytest.skip("node_modules not installed: run scripts/setup")
    assert vendored == cli.read_text(encoding="utf-8")


@pytest.mark.parametrize("every_region", [False, True])
def test_every_region_is_bootstrapped_on_its_first_request(every_region):
    """A config or app in another region than the stand-in's: without `_EveryRegion`, the CDK
    template's BootstrapVersion parameter finds no SSM parameter there and moto answers the change
    set's execution with an internal error; with it, that region's first request bootstraps it.
    Each case takes a region of its own: moto's state is one per process."""
    from botocore.config import Config
    from botocore.parsers import ResponseParserError

    other = "eu-north-1" if every_region else "sa-east-1"
    with standin.running(every_region=every_region) as served:
        elsewhere = standin.StandIn(endpoint_url=served.endpoint_url, region=other)
        ec2 = elsewhere.client("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{other}{z}")["Subnet"]["SubnetId"] for i, z in enumerate("ab")]
        cf = elsewhere.session().client("cloudformation", endpoint_url=served.endpoint_url, config=Config(retries={"max_attempts": 1}))
        created = cf.create_change_set(StackName=STACK, ChangeSetName="c0", ChangeSetType="CREATE", TemplateBody=template(vpc, subnets, bootstrap=True))
        result = outcome(lambda: cf.execute_change_set(ChangeSetName=created["Id"]))
        (stack,) = cf.describe_stacks(StackName=STACK)["Stacks"]
        if not every_region:
            assert isinstance(result, ResponseParserError) and "Internal Server Error" in str(result)  # as the issue saw it
            assert stack["StackStatus"] == "REVIEW_IN_PROGRESS"
            return
        assert stack["Parameters"] == [{"ParameterKey": "BootstrapVersion", "ParameterValue": standin.BOOTSTRAP_VERSION}]
        assert cf.describe_stacks(StackName=standin.server.TOOLKIT_STACK)["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"


def test_a_later_stand_in_of_the_process_gives_no_id_an_earlier_one_gave():
    """moto keeps one state and one random source per process, which every stand-in it runs shares
    (a worker's session stand-in included): seeded again by a later stand-in, the source would give
    the same IDs again, and moto would keep one of two VPCs (or stacks, or IAM names) with one ID."""
    with standin.running(every_region=False):  # the region bootstrapped, whatever ran before
        pass
    made = []
    for _ in range(3):  # the first start of a process may draw more than the later ones
        with standin.running(every_region=False) as served:
            ec2 = served.client("ec2")
            made.append(ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"])
            vpcs = {vpc["VpcId"] for vpc in ec2.describe_vpcs()["Vpcs"]}
    assert len(set(made)) == 3 and set(made) <= vpcs


def test_the_signed_region_of_a_request():
    signed = "AWS4-HMAC-SHA256 Credential=testing/20261127/eu-west-1/cloudformation/aws4_request, SignedHeaders=host, Signature=0"
    presigned = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=testing%2F20261127%2Fap-south-1%2Fs3%2Faws4_request&X-Amz-Signature=0"
    region = standin.server._signed_region
    assert region({"HTTP_AUTHORIZATION": signed}) == "eu-west-1"
    assert region({"QUERY_STRING": presigned}) == "ap-south-1"
    assert region({"HTTP_AUTHORIZATION": signed.replace("cloudformation", "iam")}) is None  # global: signed for us-east-1 always
    assert region({}) is None


def group_of(aws):
    return aws.client("cloudformation").describe_stack_resource(StackName=STACK, LogicalResourceId="Sg")["StackResourceDetail"]["PhysicalResourceId"]


def group_rules(aws, group_id):
    """(ingress, egress) of a group as sets of (protocol, from, to, peer, description)."""
    group = aws.client("ec2").describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]

    def rules(permissions):
        found = set()
        for p in permissions:
            peers = [(r.get("CidrIp") or r.get("CidrIpv6") or r.get("PrefixListId") or r.get("GroupId"), r.get("Description")) for k in ("IpRanges", "Ipv6Ranges", "PrefixListIds", "UserIdGroupPairs") for r in p.get(k, [])]
            found |= {(p["IpProtocol"], p.get("FromPort"), p.get("ToPort"), peer, description) for peer, description in peers}
        return found

    return rules(group["IpPermissions"]), rules(group["IpPermissionsEgress"])


MATCH_NOTHING = ("icmp", 252, 86, "255.255.255.255/32", "Disallow all traffic")
ALLOW_ALL = ("-1", None, None, "0.0.0.0/0", None)


@pytest.mark.parametrize("patched", [False, True])
def test_gap3_inline_egress_replaces_the_default_allow_all(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._security_group_inline_rules))()
    vpc, subnets = network(aws)
    deploy(aws, template(vpc, subnets, group={"SecurityGroupEgress": [NO_TRAFFIC_EGRESS]}))
    egress = aws.client("ec2").describe_security_groups(GroupIds=[group_of(aws)])["SecurityGroups"][0]["IpPermissionsEgress"]
    if patched:  # exactly CDK's match-nothing rule: the group allows no egress of its own
        assert egress == [{"IpProtocol": "icmp", "FromPort": 252, "ToPort": 86, "IpRanges": [{"CidrIp": "255.255.255.255/32", "Description": "Disallow all traffic"}], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}]
    else:
        assert ALLOW_ALL in group_rules(aws, group_of(aws))[1]


@pytest.mark.parametrize("patched", [False, True])
def test_gap3_tags_and_inline_rules_update_the_group_in_place(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._security_group_inline_rules))()
    vpc, subnets = network(aws)
    deploy(aws, template(vpc, subnets, with_service=False, protection="false", group={"SecurityGroupEgress": [NO_TRAFFIC_EGRESS], "Tags": [{"Key": "team", "Value": "a"}]}))
    first = group_of(aws)
    inline_ingress = {"IpProtocol": "tcp", "FromPort": 6379, "ToPort": 6379, "CidrIp": "10.9.0.0/16", "Description": "clients"}
    changed = {"SecurityGroupIngress": [inline_ingress], "Tags": [{"Key": "team", "Value": "b"}]}
    updated = outcome(lambda: deploy(aws, template(vpc, subnets, with_service=False, protection="false", group=changed), "UPDATE"))
    if not patched:  # replaced: a new group ID (or a failed update)
        assert isinstance(updated, Exception) or group_of(aws) != first
        return
    assert group_of(aws) == first
    group = aws.client("ec2").describe_security_groups(GroupIds=[first])["SecurityGroups"][0]
    assert group["Tags"] == [{"Key": "team", "Value": "b"}]
    # the last inline egress rule removed: no egress (EC2 adds allow-all only when a group is created without any)
    assert group_rules(aws, first) == ({("tcp", 6379, 6379, "10.9.0.0/16", "clients")}, set())


@pytest.mark.parametrize("patched", [False, True])
def test_gap3_rule_resources_are_added_and_revoked(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._security_group_rule_resources))()
    vpc, subnets = network(aws)
    prefix_list = aws.client("ec2").create_managed_prefix_list(PrefixListName="clients", MaxEntries=1, AddressFamily="IPv4")["PrefixList"]["PrefixListId"]
    group_id = {"Fn::GetAtt": ["Sg", "GroupId"]}
    rules = {
        "Out": _res("AWS::EC2::SecurityGroupEgress", GroupId=group_id, IpProtocol="tcp", FromPort=6380, ToPort=6380, CidrIp="10.0.0.0/16", Description="to targets"),
        "InCidr": _res(INGRESS, GroupId=group_id, IpProtocol="tcp", FromPort=6379, ToPort=6379, CidrIp="10.9.0.0/16", Description="peered"),
        "InList": _res(INGRESS, GroupId=group_id, IpProtocol="tcp", FromPort=6379, ToPort=6379, SourcePrefixListId=prefix_list, Description="listed"),
        "InV6": _res(INGRESS, GroupId=group_id, IpProtocol="tcp", FromPort=6379, ToPort=6379, CidrIpv6="fd00::/8", Description="v6"),
    }
    body = template(vpc, subnets, protection="false", group={"SecurityGroupEgress": [NO_TRAFFIC_EGRESS]}, rules=rules)
    outputs = outcome(lambda: deploy(aws, body))
    wanted = (  # moto keeps a prefix-list rule's ID but not its description
        {("tcp", 6379, 6379, "10.9.0.0/16", "peered"), ("tcp", 6379, 6379, prefix_list, None), ("tcp", 6379, 6379, "fd00::/8", "v6")},
        {("tcp", 6380, 6380, "10.0.0.0/16", "to targets"), MATCH_NOTHING},
    )
    if not patched:  # the prefix-list rule fails the stack (moto asserts a CIDR or group source)...
        assert failure(aws, outputs)
        aws.client("cloudformation").delete_stack(StackName=STACK)
        supported = {k: v for k, v in rules.items() if k in ("Out", "InCidr")}
        deploy(aws, template(vpc, subnets, protection="false", group={"SecurityGroupEgress": [NO_TRAFFIC_EGRESS]}, rules=supported))
        assert ("tcp", 6380, 6380, "10.0.0.0/16", "to targets") not in group_rules(aws, group_of(aws))[1]  # ...and the egress rule never reaches the group
        return
    assert group_rules(aws, group_of(aws)) == wanted
    deploy(aws, template(vpc, subnets, protection="false", group={"SecurityGroupEgress": [NO_TRAFFIC_EGRESS]}), "UPDATE")
    assert group_rules(aws, group_of(aws)) == (set(), {MATCH_NOTHING})  # removed rule resources are revoked


@pytest.mark.parametrize("patched", [False, True])
def test_gap4_target_group_updates_apply_or_replace(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._target_group_updates))()
    vpc, subnets = network(aws)
    first = deploy(aws, template(vpc, subnets))
    elbv2 = aws.client("elbv2")
    outcome(lambda: deploy(aws, template(vpc, subnets, interval=10), "UPDATE"))
    interval = elbv2.describe_target_groups(TargetGroupArns=[first["TgArn"]])["TargetGroups"][0]["HealthCheckIntervalSeconds"]
    second = outcome(lambda: deploy(aws, template(vpc, subnets, interval=10, port=6390), "UPDATE"))
    if not patched:
        assert interval == 30 or isinstance(second, Exception) or second.get("TgArn") == first["TgArn"]
        return
    assert interval == 10
    assert second["TgArn"] != first["TgArn"]  # a new port is a new target group, as in CloudFormation
    ports = {tg["TargetGroupArn"]: tg["Port"] for tg in elbv2.describe_target_groups()["TargetGroups"]}
    assert ports == {second["TgArn"]: 6390}  # the replaced one is deleted after the update
    listener = elbv2.describe_listeners(LoadBalancerArn=first["LbArn"])["Listeners"][0]
    assert listener["DefaultActions"][0]["TargetGroupArn"] == second["TgArn"]


@pytest.mark.parametrize(("before", "after"), [({"Name": "tg-a"}, {"Name": "tg-b"}), ({"IpAddressType": "ipv4"}, {"IpAddressType": "ipv6"}), ({}, {"ProtocolVersion": "GRPC"})])
def test_gap4_every_replacing_property_replaces_the_target_group(aws, before, after):
    standin.apply_patches()
    vpc, subnets = network(aws)
    first = deploy(aws, template(vpc, subnets, target_group=before))
    cf, change_set_id = change_set(aws, template(vpc, subnets, target_group=after), "UPDATE")
    tg = next(c["ResourceChange"] for c in cf.describe_change_set(ChangeSetName=change_set_id)["Changes"] if c["ResourceChange"]["LogicalResourceId"] == "Tg")
    assert tg["Replacement"] == "True"  # the change set says so, and the execution does it: a new ARN
    cf.execute_change_set(ChangeSetName=change_set_id)
    second = {o["OutputKey"]: o["OutputValue"] for o in cf.describe_stacks(StackName=STACK)["Stacks"][0]["Outputs"]}
    assert second["TgArn"] != first["TgArn"]
    elbv2 = aws.client("elbv2")
    assert [tg["TargetGroupArn"] for tg in elbv2.describe_target_groups()["TargetGroups"]] == [second["TgArn"]]
    assert elbv2.describe_listeners(LoadBalancerArn=first["LbArn"])["Listeners"][0]["DefaultActions"][0]["TargetGroupArn"] == second["TgArn"]


@pytest.mark.parametrize(("before", "after"), [({"GroupName": "nlb-a"}, {"GroupName": "nlb-b"}), ({}, {"GroupName": "nlb-b"})])
def test_gap3_a_replacing_property_replaces_the_security_group(aws, before, after):
    standin.apply_patches()
    vpc, subnets = network(aws)
    deploy(aws, template(vpc, subnets, with_service=False, protection="false", group=before))
    first = group_of(aws)
    deploy(aws, template(vpc, subnets, with_service=False, protection="false", group=after), "UPDATE")
    assert group_of(aws) != first


@pytest.mark.parametrize("patched", [False, True])
def test_gap5_removed_listener_and_target_group_go_away(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._removals))()
    vpc, subnets = network(aws)
    first = deploy(aws, template(vpc, subnets, protection="false"))
    outcome(lambda: deploy(aws, template(vpc, subnets, protection="false", with_service=False), "UPDATE"))
    elbv2 = aws.client("elbv2")
    left = (elbv2.describe_target_groups()["TargetGroups"], elbv2.describe_listeners(LoadBalancerArn=first["LbArn"])["Listeners"])
    assert (left == ([], [])) == patched


@pytest.mark.parametrize("patched", [False, True])
def test_gap5_executed_change_set_refreshes_outputs_and_exports(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._executed_change_sets))()
    vpc, subnets = network(aws)
    outputs = deploy(aws, template(vpc, subnets))
    exports = {e["Name"] for page in aws.client("cloudformation").get_paginator("list_exports").paginate() for e in page["Exports"]}  # a shared stand-in holds other tests' exports too
    if patched:
        assert set(outputs) == {"LbArn", "TgArn"} and exports == {f"{STACK}-LbArn", f"{STACK}-TgArn"}
    else:
        assert outputs == {} and exports == set()


@pytest.mark.parametrize("patched", [False, True])
def test_executing_a_change_set_retires_the_stacks_other_change_sets(aws, patched):
    """CloudFormation keeps a stack's change sets only until the stack is updated."""
    (standin.apply_patches if patched else lambda: without(patches._executed_change_sets_retire_the_others))()
    vpc, subnets = network(aws)
    deploy(aws, template(vpc, subnets))
    cf = aws.client("cloudformation")
    first = cf.create_change_set(StackName=STACK, ChangeSetName="first", ChangeSetType="UPDATE", TemplateBody=template(vpc, subnets, interval=10))
    cf.create_change_set(StackName=STACK, ChangeSetName="second", ChangeSetType="UPDATE", TemplateBody=template(vpc, subnets, interval=20))
    cf.execute_change_set(ChangeSetName=first["Id"])
    left = [c["ChangeSetName"] for c in cf.list_change_sets(StackName=STACK)["Summaries"]]
    assert (left == []) == patched
    if not patched:
        assert "second" in left


@pytest.mark.parametrize("patched", [False, True])
def test_change_sets_are_listed_per_stack(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._change_sets_listed_per_stack))()
    vpc, subnets = network(aws)
    cf = aws.client("cloudformation")
    cf.create_change_set(StackName=STACK, ChangeSetName="mine", ChangeSetType="CREATE", TemplateBody=template(vpc, subnets))
    cf.create_change_set(StackName=f"{STACK}-other", ChangeSetName="theirs", ChangeSetType="CREATE", TemplateBody=template(vpc, subnets))
    listed = sorted(c["ChangeSetName"] for c in cf.list_change_sets(StackName=STACK)["Summaries"])
    assert (listed == ["mine"]) == patched
    if not patched:
        assert "theirs" in listed


@pytest.mark.parametrize("patched", [False, True])
def test_an_update_change_set_replaces_the_stack_tags(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._update_stack_tags))()
    vpc, subnets = network(aws)
    cf = aws.client("cloudformation")

    def execute(body, kind, tags):
        created = cf.create_change_set(StackName=STACK, ChangeSetName=f"c{kind}", ChangeSetType=kind, TemplateBody=body, Tags=tags)
        cf.execute_change_set(ChangeSetName=created["Id"])
        return cf.describe_stacks(StackName=STACK)["Stacks"][0].get("Tags")

    assert execute(template(vpc, subnets), "CREATE", [{"Key": "team", "Value": "a"}]) == [{"Key": "team", "Value": "a"}]
    tags = execute(template(vpc, subnets, interval=10), "UPDATE", [{"Key": "env", "Value": "x"}, {"Key": "team", "Value": "b"}])
    assert (tags == [{"Key": "env", "Value": "x"}, {"Key": "team", "Value": "b"}]) == patched
    assert (tags == [{"Key": "team", "Value": "a"}]) == (not patched)


@pytest.mark.parametrize("patched", [False, True])
def test_gap5_failed_delete_keeps_the_stack_in_delete_failed(aws, patched):
    cf, _, _ = deployed(aws, patches._failed_stack_deletes, patched)
    outcome(lambda: cf.delete_stack(StackName=STACK))
    status = outcome(lambda: cf.describe_stacks(StackName=STACK)["Stacks"][0]["StackStatus"])
    assert (status == "DELETE_FAILED") == patched
    if patched:  # the resource that could not be deleted has its own event, with ELB's reason
        assert ("Lb", "DELETE_FAILED", "OperationNotPermitted") in {(e["LogicalResourceId"], e["ResourceStatus"], e.get("ResourceStatusReason", "").split(":")[0]) for e in events(aws)}


@pytest.mark.parametrize("patched", [False, True])
def test_a_protected_stack_is_not_deleted_and_protection_can_be_lifted(aws, patched):
    """moto keeps CreateStack's EnableTerminationProtection and reports it, but cannot update it and
    deletes a protected stack; CloudFormation refuses, deleting nothing."""
    (standin.apply_patches if patched else lambda: without(patches._termination_protection))()
    vpc, subnets = network(aws)
    cf = aws.client("cloudformation")
    cf.create_stack(StackName=STACK, TemplateBody=template(vpc, subnets, protection="false"), EnableTerminationProtection=True)
    assert cf.describe_stacks(StackName=STACK)["Stacks"][0]["EnableTerminationProtection"] is True  # kept and reported without the fix too
    balancers = aws.client("elbv2").describe_load_balancers()["LoadBalancers"]
    refused = outcome(lambda: cf.delete_stack(StackName=STACK))
    lifted = outcome(lambda: cf.update_termination_protection(StackName=STACK, EnableTerminationProtection=False))
    if not patched:  # deleted, protection and all; and no call to lift it
        assert not isinstance(refused, Exception) and isinstance(outcome(lambda: cf.describe_stacks(StackName=STACK)), Exception)
        assert aws.client("elbv2").describe_load_balancers()["LoadBalancers"] == []
        assert "has not been implemented" in str(lifted)
        return
    assert isinstance(refused, Exception) and str(refused).endswith(f"(ValidationError) when calling the DeleteStack operation: Stack [{STACK}] cannot be deleted while TerminationProtection is enabled")
    found = cf.describe_stacks(StackName=STACK)["Stacks"][0]
    assert (found["StackStatus"], aws.client("elbv2").describe_load_balancers()["LoadBalancers"]) == ("CREATE_COMPLETE", balancers)  # nothing deleted
    assert lifted["StackId"] == found["StackId"] and cf.describe_stacks(StackName=STACK)["Stacks"][0]["EnableTerminationProtection"] is False
    cf.delete_stack(StackName=STACK)
    assert isinstance(outcome(lambda: cf.describe_stacks(StackName=STACK)), Exception)  # gone
    # a change set's stack (REVIEW_IN_PROGRESS) takes it too: `cdk deploy` sets it there
    cf.create_change_set(StackName="standin-review", ChangeSetName="c0", ChangeSetType="CREATE", TemplateBody=template(vpc, subnets, protection="false"))
    cf.update_termination_protection(StackName="standin-review", EnableTerminationProtection=True)
    assert cf.describe_stacks(StackName="standin-review")["Stacks"][0]["EnableTerminationProtection"] is True


@pytest.mark.parametrize("patched", [False, True])
def test_change_set_names_replacements_and_the_references_they_change(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._change_set_replacements))()
    vpc, subnets = network(aws)
    first = deploy(aws, template(vpc, subnets))
    cf, change_set_id = change_set(aws, template(vpc, subnets, port=6390), "UPDATE")
    changes = {c["ResourceChange"]["LogicalResourceId"]: c["ResourceChange"] for c in cf.describe_change_set(ChangeSetName=change_set_id)["Changes"]}
    if not patched:
        assert set(changes) == {"Tg"} and "Replacement" not in changes["Tg"]
        return
    assert set(changes) == {"Tg", "Listener"}
    assert (changes["Tg"]["Replacement"], changes["Tg"]["PhysicalResourceId"]) == ("True", first["TgArn"])
    assert (changes["Listener"]["Action"], changes["Listener"]["Replacement"]) == ("Modify", "False")


@pytest.mark.parametrize("patched", [False, True])
def test_deleting_a_change_set_that_does_not_exist_is_a_no_op(aws, patched):
    cf, vpc, subnets = deployed(aws, patches._missing_change_set_deletes, patched)
    result = outcome(lambda: cf.delete_change_set(StackName=STACK, ChangeSetName="cdk-deploy-change-set"))
    if not patched:  # an internal error (the server answers HTTP 500)
        assert isinstance(result, Exception) and not hasattr(result, "response")
        return
    assert result["ResponseMetadata"]["HTTPStatusCode"] == 200
    _, change_set_id = change_set(aws, template(vpc, subnets, interval=10), "UPDATE")
    cf.delete_change_set(StackName=STACK, ChangeSetName=change_set_id)  # one that exists still goes
    assert change_set_id not in {c["ChangeSetId"] for c in cf.list_change_sets(StackName=STACK)["Summaries"]}


@pytest.mark.parametrize("patched", [False, True])
def test_describing_a_change_set_that_does_not_exist_is_change_set_not_found(aws, patched):
    cf, vpc, subnets = deployed(aws, patches._missing_change_set_describes, patched)
    error = outcome(lambda: cf.describe_change_set(StackName=STACK, ChangeSetName="cdk-deploy-change-set")).response
    answer = (error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"])
    if not patched:
        assert answer == ("ValidationError", 400) and error["Error"]["Message"] == "Stack with id cdk-deploy-change-set does not exist"
        return
    assert answer == ("ChangeSetNotFound", 404) and error["Error"]["Message"] == "ChangeSet [cdk-deploy-change-set] does not exist"
    assert isinstance(outcome(lambda: cf.describe_change_set(StackName=STACK, ChangeSetName="cdk-deploy-change-set")), cf.exceptions.ChangeSetNotFoundException)
    _, change_set_id = change_set(aws, template(vpc, subnets, interval=10), "UPDATE")
    assert cf.describe_change_set(ChangeSetName=change_set_id)["Status"] == "CREATE_COMPLETE"


def test_a_port_already_taken_is_one_line_not_a_hang():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(UserError, match=rf"^cannot listen on 127\.0\.0\.1:{port}: Address already in use$"):
            with standin.running(port=port):
                pass


def test_two_stand_ins_started_at_once_on_one_port_the_loser_says_so_in_one_line(monkeypatch, capsys):
    """Both pass the free-port check, then one binds first: werkzeug would print two lines and exit."""
    import socket

    from shared_nlb.standin import server

    monkeypatch.setattr(server, "_check_free", lambda port: None)  # the race: the check passed for both
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(UserError, match=rf"^cannot listen on 127\.0\.0\.1:{port}: Address already in use$"):
            with standin.running(port=port):
                pass
    assert capsys.readouterr().err == ""


def test_seed_bootstrap_outside_us_east_1(aws):
    """S3 wants the region as the bucket's location constraint everywhere but us-east-1."""
    regional = standin.StandIn(endpoint_url=aws.endpoint_url, region="ap-northeast-2")
    standin.seed_bootstrap(regional)
    s3 = regional.client("s3")
    (bucket,) = s3.list_buckets()["Buckets"]
    assert s3.get_bucket_location(Bucket=bucket["Name"])["LocationConstraint"] == "ap-northeast-2"


def test_the_session_is_built_once():
    running = standin.StandIn(endpoint_url="http://127.0.0.1:1", region=standin.REGION)
    assert running.session() is running.session() and running.session().region_name == standin.REGION


def test_gap6_create_network_maps_the_configs_ids(aws):
    data = base_dict()
    data["services"][0]["clients"] = [{"prefix_list": "pl-0123456789abcdef0", "max_entries": 3}]
    config = parse_config(data)
    mapped, mapping = standin.create_network(aws, config)
    ec2 = aws.client("ec2")
    assert mapped.network.vpc_id == mapping["vpc-0a1b2c3d4e5f60718"] != "vpc-0a1b2c3d4e5f60718"
    subnets = ec2.describe_subnets(SubnetIds=mapped.network.subnet_ids)["Subnets"]
    assert {s["VpcId"] for s in subnets} == {mapped.network.vpc_id} and len({s["AvailabilityZone"] for s in subnets}) == 2
    assert mapped.clients[0].security_group == mapping["sg-0ec5000000000001a"]
    assert ec2.describe_security_groups(GroupIds=[mapped.clients[0].security_group])["SecurityGroups"]
    assert mapped.services[0].clients[0].prefix_list == mapping["pl-0123456789abcdef0"]
    assert ec2.describe_managed_prefix_lists(PrefixListIds=[mapping["pl-0123456789abcdef0"]])["PrefixLists"][0]["MaxEntries"] == 3
    assert mapped.services[0].name == config.services[0].name and mapped.network.vpc_cidr == config.network.vpc_cidr


def test_gap6_a_vpc_too_small_for_its_subnets_is_one_line_before_anything_is_created(aws):
    data = base_dict()
    data["network"]["vpc_cidr"] = "10.0.0.0/28"
    with pytest.raises(UserError, match=r"^network.vpc_cidr: 10.0.0.0/28 has room for 1 subnet\(s\) of /28, the smallest AWS allows, not the 2 of network.subnet_ids$"):
        standin.create_network(aws, parse_config(data))
    assert [v["CidrBlock"] for v in aws.client("ec2").describe_vpcs()["Vpcs"]] == ["172.31.0.0/16"]  # moto's default VPC only


CERTIFICATE = "arn:aws:acm:ap-northeast-2:111111111111:certificate/0f0e0d0c-0b0a-4908-8706-050403020100"


def tls_config_text(vpc_spelling="vpc-0a1b2c3d4e5f60718"):
    return f"""# edge services
version: 1
name: edge
stack: {{account: "111111111111", region: ap-northeast-2}}
network:
  vpc_id: {vpc_spelling}   # was vpc-0a1b2c3d4e5f60718-legacy, now vpc-0a1b2c3d4e5f60718
  vpc_cidr: 10.0.0.0/16
  subnet_ids: [subnet-0aaaaaaaaaaaaaaa1]
clients: [{{security_group: sg-0ec5000000000001a}}]
services:
  - {{name: gateway, service_port: 8443, listener_port: 443, protocol: TLS, certificate_arn: {CERTIFICATE}}}
  - {{name: admin, service_port: 9443, listener_port: 9443, protocol: TLS, certificate_arn: "{CERTIFICATE}"}}
"""


@pytest.fixture
def tls(aws):
    regional = standin.StandIn(endpoint_url=aws.endpoint_url, region="ap-northeast-2")
    config = parse_config(yaml.safe_load(tls_config_text()))
    return regional, config, *standin.create_network(regional, config)


def test_gap6_create_network_imports_an_issued_certificate_per_tls_certificate_arn(tls):
    aws, config, mapped, mapping = tls
    created = mapping[CERTIFICATE]
    assert created.startswith("arn:aws:acm:ap-northeast-2:123456789012:certificate/")
    assert [s.certificate_arn for s in mapped.services] == [created, created]  # one certificate for both services
    acm = aws.client("acm")
    (summary,) = acm.list_certificates()["CertificateSummaryList"]
    assert (summary["CertificateArn"], summary["DomainName"], summary["Status"]) == (created, "gateway.edge.stand-in.invalid", "ISSUED")
    assert acm.list_tags_for_certificate(CertificateArn=created)["Tags"] == [{"Key": "shared-nlb:stands-for", "Value": CERTIFICATE}]
    # the real cdk CLI refuses a stack of another account than its credentials'
    assert (mapping["111111111111"], mapped.stack.account, mapped.stack.region) == ("123456789012", "123456789012", "ap-northeast-2")
    assert list(mapping) == ["vpc-0a1b2c3d4e5f60718", "subnet-0aaaaaaaaaaaaaaa1", "sg-0ec5000000000001a", CERTIFICATE, "111111111111"]


def test_mapped_config_text_replaces_whole_ids_and_keeps_the_rest(tls):
    _, _, mapped, mapping = tls
    text = standin.mapped_config_text(tls_config_text(), mapping, mapped)
    vpc = mapping["vpc-0a1b2c3d4e5f60718"]
    assert text.splitlines()[5] == f"  vpc_id: {vpc}   # was vpc-0a1b2c3d4e5f60718-legacy, now {vpc}"
    expected = tls_config_text()
    for configured in sorted(mapping, key=len, reverse=True):
        expected = expected.replace(configured, mapping[configured])
    assert text == expected.replace(f"{vpc}-legacy", "vpc-0a1b2c3d4e5f60718-legacy")


def test_mapped_config_text_refuses_an_id_it_cannot_find_in_the_text(tls):
    _, _, mapped, mapping = tls
    escaped = tls_config_text(vpc_spelling='"vpc-0a1b2c3d4e5f6071\\x38"')
    assert yaml.safe_load(escaped)["network"]["vpc_id"] == "vpc-0a1b2c3d4e5f60718"
    with pytest.raises(UserError, match=r"^could not replace every configured ID in the config's text with the stand-in's .*; nothing written$"):
        standin.mapped_config_text(escaped, mapping, mapped)


TG = "AWS::ElasticLoadBalancingV2::TargetGroup"
LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
INGRESS = "AWS::EC2::SecurityGroupIngress"


def _res(kind, **properties):
    return {"Type": kind, "Properties": properties}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"Tg": _res(TG, Port=2)}, {"Tg": "True", "L": "False"}),  # replaced TG: the listener forwarding to it is updated in place
        ({"Tg": _res(TG, Port=1, HealthCheckIntervalSeconds=10)}, {"Tg": "False"}),
        ({"Sg": _res("AWS::EC2::SecurityGroup", GroupDescription="new")}, {"Sg": "True", "In": "Conditional"}),
        ({"In": _res(INGRESS, GroupId={"Fn::GetAtt": ["Sg", "GroupId"]}, FromPort=2)}, {"In": "True"}),
        ({"In": _res(INGRESS, GroupId={"Fn::GetAtt": ["Sg", "GroupId"]}, FromPort=1, Description="x")}, {"In": "False"}),
        ({}, {}),
    ],
)
def test_classify_replacements(change, expected):
    old = {
        "Sg": _res("AWS::EC2::SecurityGroup", GroupDescription="old"),
        "In": _res(INGRESS, GroupId={"Fn::GetAtt": ["Sg", "GroupId"]}, FromPort=1),
        "Tg": _res(TG, Port=1),
        "L": _res(LISTENER, DefaultActions=[{"TargetGroupArn": {"Ref": "Tg"}}]),
    }
    new = copy.deepcopy(old) | change
    assert standin.classify(old, new) == expected


def _weighted(vpc, subnets, groups):
    """A listener forwarding to target groups {logical ID: (port, weight)}; one group: the plain action."""
    body = json.loads(template(vpc, subnets, protection="false", with_service=False))
    for name, (port, _) in groups.items():
        body["Resources"][name] = _res("AWS::ElasticLoadBalancingV2::TargetGroup", Port=port, Protocol="TCP", TargetType="ip", VpcId=vpc)
    if len(groups) == 1:
        action = {"Type": "forward", "TargetGroupArn": {"Ref": next(iter(groups))}}
    else:
        action = {"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": {"Ref": n}, "Weight": w} for n, (_, w) in groups.items()]}}
    body["Resources"]["Listener"] = _res("AWS::ElasticLoadBalancingV2::Listener", LoadBalancerArn={"Ref": "Lb"}, Port=6379, Protocol="TCP", DefaultActions=[action])
    body["Outputs"] |= {n: {"Value": {"Ref": n}} for n in groups}
    return json.dumps(body)


@pytest.mark.parametrize("patched", [False, True])
def test_gap7_weighted_forward_from_template_and_removal_after_the_switch(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._weighted_forward_from_template))()
    vpc, subnets = network(aws)
    first = deploy(aws, _weighted(vpc, subnets, {"Old": (6380, 1)}))
    staged = outcome(lambda: deploy(aws, _weighted(vpc, subnets, {"Old": (6380, 1), "New": (6390, 0)}), "UPDATE"))
    if not patched:  # moto reads only TargetGroupArn of a forward action: KeyError, the update fails
        assert "KeyError" in failure(aws, staged)
        return
    elbv2 = aws.client("elbv2")
    lb = first["LbArn"]
    action = elbv2.describe_listeners(LoadBalancerArn=lb)["Listeners"][0]["DefaultActions"][0]
    assert {(g["TargetGroupArn"], g["Weight"]) for g in action["ForwardConfig"]["TargetGroups"]} == {(staged["Old"], 1), (staged["New"], 0)}
    # the switch: the listener's update moves it off Old, which then goes in the clean-up
    switched = deploy(aws, _weighted(vpc, subnets, {"New": (6390, 1)}), "UPDATE")
    assert elbv2.describe_listeners(LoadBalancerArn=lb)["Listeners"][0]["DefaultActions"][0]["TargetGroupArn"] == switched["New"]
    assert {tg["TargetGroupArn"] for tg in elbv2.describe_target_groups()["TargetGroups"]} == {switched["New"]}


@pytest.mark.parametrize("patched", [False, True])
def test_gap1_a_network_load_balancer_and_its_listeners_have_net_arns(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._network_load_balancer_arns))()
    vpc, subnets = network(aws)
    outputs = deploy(aws, template(vpc, subnets, protection="false"))
    elbv2 = aws.client("elbv2")
    listener = elbv2.describe_listeners(LoadBalancerArn=outputs["LbArn"])["Listeners"][0]["ListenerArn"]
    created = elbv2.create_load_balancer(Name="by-api", Subnets=subnets, Type="network", Scheme="internal", Tags=[{"Key": "team", "Value": "a"}])["LoadBalancers"][0]["LoadBalancerArn"]
    application = elbv2.create_load_balancer(Name="web", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    kinds = {arn.split(":", 5)[5].split("/")[1] for arn in (outputs["LbArn"], listener, created)}
    assert kinds == ({"net"} if patched else {"app"})
    assert ":loadbalancer/app/" in application  # an application load balancer keeps its ARN
    assert elbv2.describe_tags(ResourceArns=[created])["TagDescriptions"][0]["Tags"] == [{"Key": "team", "Value": "a"}]
    assert elbv2.describe_load_balancers(LoadBalancerArns=[created])["LoadBalancers"][0]["LoadBalancerName"] == "by-api"


def _with(vpc, subnets, resources=None, outputs=None, **options):
    """The small stack's template with more resources and outputs."""
    body = json.loads(template(vpc, subnets, protection="false", **options))
    body["Resources"] |= resources or {}
    body["Outputs"] |= {name: {"Value": value} for name, value in (outputs or {}).items()}
    return json.dumps(body)


def _att(resource, attribute):
    return {"Fn::GetAtt": [resource, attribute]}


@pytest.mark.parametrize("patched", [False, True])
def test_get_att_of_load_balancer_and_target_group_attributes(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._elbv2_get_att))()
    vpc, subnets = network(aws)
    zone = aws.client("route53").create_hosted_zone(Name="internal.example.com", CallerReference="z")["HostedZone"]["Id"]
    alias = {"DNSName": _att("Lb", "DNSName"), "HostedZoneId": _att("Lb", "CanonicalHostedZoneID")}
    record = _res("AWS::Route53::RecordSet", HostedZoneId=zone, Name="redis.internal.example.com.", Type="A", AliasTarget=alias)
    outputs = {"LbName": _att("Lb", "LoadBalancerFullName"), "Groups": {"Fn::Join": [",", _att("Lb", "SecurityGroups")]}}
    first = outcome(lambda: deploy(aws, _with(vpc, subnets, {"Record": record}, outputs)))
    (balancer,) = aws.client("elbv2").describe_load_balancers()["LoadBalancers"]
    (aliased,) = [r["AliasTarget"] for r in aws.client("route53").list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"] if r["Type"] == "A"]
    more = outcome(lambda: deploy(aws, _with(vpc, subnets, {"Record": record}, outputs | {"TgName": _att("Tg", "TargetGroupFullName"), "TgNamed": _att("Tg", "TargetGroupName")}), "UPDATE"))
    if not patched:  # the Fn::GetAtt itself as the value; a target group's raises an AttributeError, which takes every output away
        assert "Fn::GetAtt" in aliased["HostedZoneId"] and "Fn::GetAtt" in first["LbName"]
        assert more == {}
        return
    assert aliased == {"DNSName": balancer["DNSName"], "HostedZoneId": balancer["CanonicalHostedZoneId"]}
    assert first["LbName"] == balancer["LoadBalancerArn"].split(":loadbalancer/")[1] and first["Groups"] == ",".join(balancer["SecurityGroups"])
    (group,) = aws.client("elbv2").describe_target_groups()["TargetGroups"]
    assert (more["TgName"], more["TgNamed"]) == (group["TargetGroupArn"].rsplit(":", 1)[1], group["TargetGroupName"])
    assert more["TgName"].startswith("targetgroup/")


@pytest.mark.parametrize("patched", [False, True])
def test_a_hosted_zone_with_vpcs_is_private(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._private_hosted_zones))()
    vpc, subnets = network(aws)
    other = aws.client("ec2").create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    vpcs = [{"VPCId": vpc, "VPCRegion": standin.REGION}, {"VPCId": other, "VPCRegion": standin.REGION}]
    zone = _res("AWS::Route53::HostedZone", Name="internal.example.com.", VPCs=vpcs, HostedZoneConfig={"Comment": "internal services"})
    outputs = deploy(aws, _with(vpc, subnets, {"Zone": zone}, {"ZoneId": {"Ref": "Zone"}}, with_service=False))
    found = aws.client("route53").get_hosted_zone(Id=outputs["ZoneId"])
    answer = (found["HostedZone"]["Config"], found.get("VPCs"))
    if not patched:
        assert answer == ({"PrivateZone": False}, None)
        return
    assert answer == ({"Comment": "internal services", "PrivateZone": True}, vpcs)
    assert aws.client("route53").list_hosted_zones_by_vpc(VPCId=other, VPCRegion=standin.REGION)["HostedZoneSummaries"][0]["Name"] == "internal.example.com."


@pytest.mark.parametrize("patched", [False, True])
def test_a_roles_inline_policies_are_json_and_follow_updates(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._role_policies))()
    vpc, subnets = network(aws)

    def role(resource):
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "arn:aws:iam::222222222222:role/lbc"}}]}
        statement = {"Effect": "Allow", "Action": "elasticloadbalancing:RegisterTargets", "Resource": resource}
        return _res("AWS::IAM::Role", AssumeRolePolicyDocument=trust, Policies=[{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]}}])

    outputs = deploy(aws, _with(vpc, subnets, {"Role": role({"Ref": "Tg"})}, {"RoleName": {"Ref": "Role"}}))

    def granted():
        document = aws.client("iam").get_role_policy(RoleName=outputs["RoleName"], PolicyName="p")["PolicyDocument"]
        return document if isinstance(document, str) else document["Statement"][0]["Resource"]

    if not patched:  # the template's object, as Python prints it: no JSON a client can read
        assert granted().startswith("{'Version': '2012-10-17'")
        return
    assert granted() == outputs["TgArn"]
    deploy(aws, _with(vpc, subnets, {"Role": role([{"Ref": "Tg"}, "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/0123456789abcdef"])}, {"RoleName": {"Ref": "Role"}}), "UPDATE")
    assert granted() == [outputs["TgArn"], "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/0123456789abcdef"]


def _alarm(threshold, **more):
    """CDK's alarm on an NLB target group's HealthyHostCount (its dimensions as aws-cdk-lib writes them)."""
    listener_arn_part = [{"Fn::Select": [i, {"Fn::Split": ["/", {"Ref": "Listener"}]}]} for i in (1, 2, 3)]
    dimensions = [
        {"Name": "LoadBalancer", "Value": {"Fn::Join": ["", [listener_arn_part[0], "/", listener_arn_part[1], "/", listener_arn_part[2]]]}},
        {"Name": "TargetGroup", "Value": _att("Tg", "TargetGroupFullName")},
    ]
    return _res(
        "AWS::CloudWatch::Alarm", Namespace="AWS/NetworkELB", MetricName="HealthyHostCount", Statistic="Minimum", Period=60, EvaluationPeriods=1,
        Threshold=threshold, ComparisonOperator="LessThanThreshold", TreatMissingData="breaching", Dimensions=dimensions, Tags=[{"Key": "team", "Value": "a"}], **more,
    )


@pytest.mark.parametrize("patched", [False, True])
def test_a_metric_alarm_is_put_updated_and_removed(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._metric_alarms))()
    vpc, subnets = network(aws)
    outputs = outcome(lambda: deploy(aws, _with(vpc, subnets, {"Alarm": _alarm(1)}, {"AlarmName": {"Ref": "Alarm"}, "AlarmArn": _att("Alarm", "Arn")})))
    cloudwatch = aws.client("cloudwatch")
    alarms = cloudwatch.describe_alarms()["MetricAlarms"]
    if not patched:  # skipped: no alarm, and its Fn::GetAtt in an output references "undefined resource Alarm"
        assert alarms == [] and "undefined resource Alarm" in str(outputs)
        assert deploy(aws, _with(vpc, subnets, {"Alarm": _alarm(2)}), "UPDATE") and cloudwatch.describe_alarms()["MetricAlarms"] == []
        return
    (alarm,) = alarms
    name = outputs["AlarmName"]
    assert name.startswith(f"{STACK}-Alarm-") and (alarm["AlarmName"], alarm["AlarmArn"]) == (name, outputs["AlarmArn"])
    balancer, group = outputs["LbArn"].split(":loadbalancer/")[1], outputs["TgArn"].rsplit(":", 1)[1]
    assert alarm["Dimensions"] == [{"Name": "LoadBalancer", "Value": balancer}, {"Name": "TargetGroup", "Value": group}]
    assert (alarm["Threshold"], alarm["TreatMissingData"], alarm["ComparisonOperator"]) == (1.0, "breaching", "LessThanThreshold")
    assert cloudwatch.list_tags_for_resource(ResourceARN=alarm["AlarmArn"])["Tags"] == [{"Key": "team", "Value": "a"}]
    deploy(aws, _with(vpc, subnets, {"Alarm": _alarm(2)}), "UPDATE")  # in place: the generated name stays
    assert [(a["AlarmName"], a["Threshold"]) for a in cloudwatch.describe_alarms()["MetricAlarms"]] == [(name, 2.0)]
    deploy(aws, _with(vpc, subnets, {"Alarm": _alarm(2, AlarmName="redis-no-healthy-target")}), "UPDATE")  # a new name: a new alarm
    assert [a["AlarmName"] for a in cloudwatch.describe_alarms()["MetricAlarms"]] == ["redis-no-healthy-target"]
    deploy(aws, _with(vpc, subnets), "UPDATE")
    assert cloudwatch.describe_alarms()["MetricAlarms"] == []


def _endpoint_service(acceptance=True, principals=("arn:aws:iam::333333333333:root",)):
    service = _res("AWS::EC2::VPCEndpointService", NetworkLoadBalancerArns=[{"Ref": "Lb"}], AcceptanceRequired=acceptance)
    permissions = _res("AWS::EC2::VPCEndpointServicePermissions", ServiceId={"Ref": "Service"}, AllowedPrincipals=list(principals))
    return {"Service": service, "Permissions": permissions}


@pytest.mark.parametrize("patched", [False, True])
def test_an_endpoint_service_and_its_principals_are_made_updated_and_removed(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._endpoint_services))()
    vpc, subnets = network(aws)
    outputs = deploy(aws, _with(vpc, subnets, _endpoint_service(), {"ServiceId": {"Ref": "Service"}}, with_service=False))
    ec2 = aws.client("ec2")
    found = ec2.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"]
    if not patched:  # skipped: no endpoint service (an output that references it is dropped)
        assert found == [] and "ServiceId" not in outputs
        return
    (service,) = found
    assert (service["ServiceId"], service["AcceptanceRequired"], service["NetworkLoadBalancerArns"]) == (outputs["ServiceId"], True, [outputs["LbArn"]])

    def principals():
        return sorted(p["Principal"] for p in ec2.describe_vpc_endpoint_service_permissions(ServiceId=outputs["ServiceId"])["AllowedPrincipals"])

    assert principals() == ["arn:aws:iam::333333333333:root"]
    later = ("arn:aws:iam::444444444444:root", "arn:aws:iam::555555555555:role/consumer")
    deploy(aws, _with(vpc, subnets, _endpoint_service(False, later), with_service=False), "UPDATE")  # in place
    (service,) = ec2.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"]
    assert (service["ServiceId"], service["AcceptanceRequired"], principals()) == (outputs["ServiceId"], False, sorted(later))
    deploy(aws, _with(vpc, subnets, with_service=False), "UPDATE")
    assert ec2.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"] == []


@pytest.mark.parametrize("patched", [False, True])
def test_hosted_zone_ids_start_with_z(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._hosted_zone_ids))()
    route53 = aws.client("route53")
    ids = [route53.create_hosted_zone(Name=f"z{i}.example.com", CallerReference=f"z{i}")["HostedZone"]["Id"].rsplit("/", 1)[1] for i in range(30)]
    assert all(len(i) == 22 for i in ids)
    # moto's 22 random letters and digits start with Z one time in 36: thirty in a row never do
    assert all(i.startswith("Z") for i in ids) is patched


@pytest.mark.parametrize("patched", [False, True])
def test_a_stack_created_by_a_change_set_imports_another_stacks_exports(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._imports_in_change_set_stacks))()
    vpc, subnets = network(aws)
    exporter = deploy(aws, template(vpc, subnets, protection="false", with_service=False))
    # as `cdk deploy` makes a stack that uses another's load balancer: a CREATE change set
    importer = {
        "Resources": {
            "Tg": _res(TG, Port=7000, Protocol="TCP", TargetType="ip", VpcId=vpc),
            "Listener": _res(LISTENER, LoadBalancerArn={"Fn::ImportValue": f"{STACK}-LbArn"}, Port=7000, Protocol="TCP", DefaultActions=[{"Type": "forward", "TargetGroupArn": {"Ref": "Tg"}}]),
        }
    }
    cf = aws.client("cloudformation")
    created = cf.create_change_set(StackName="importer", ChangeSetName="c0", ChangeSetType="CREATE", TemplateBody=json.dumps(importer))
    result = outcome(lambda: cf.execute_change_set(ChangeSetName=created["Id"]))
    if not patched:
        assert f"No export named {STACK}-LbArn found" in failure(aws, result, "importer")
        return
    assert [listener["Port"] for listener in aws.client("elbv2").describe_listeners(LoadBalancerArn=exporter["LbArn"])["Listeners"]] == [7000]


# --- failed operations: certificates, rollbacks, ContinueUpdateRollback, refused change sets ---------
def events(aws):
    """The stack's events, oldest first."""
    return list(reversed(aws.client("cloudformation").describe_stack_events(StackName=STACK)["StackEvents"]))


def status(aws):
    return aws.client("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]["StackStatus"]


def certificate(aws, name):
    return aws.client("acm").request_certificate(DomainName=f"{name}.example.com")["CertificateArn"]


MISSING = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"


def tls_listener(arn):
    return {"Protocol": "TLS", "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "Certificates": [{"CertificateArn": arn}]}


def broken_listener(port=7000):
    """A second TLS listener whose certificate is in neither ACM nor IAM."""
    return {"Broken": _res(LISTENER, LoadBalancerArn={"Ref": "Lb"}, Port=port, DefaultActions=[{"Type": "forward", "TargetGroupArn": {"Ref": "Tg"}}], **tls_listener(MISSING))}


def listener_certificate(aws, outputs):
    return aws.client("elbv2").describe_listeners(LoadBalancerArn=outputs["LbArn"])["Listeners"][0]["Certificates"][0]["CertificateArn"]


@pytest.mark.parametrize("patched", [False, True])
def test_a_tls_listener_is_updated_and_a_missing_certificate_refused(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._listener_updates))()
    vpc, subnets = network(aws)
    first, second = certificate(aws, "a"), certificate(aws, "b")
    outputs = deploy(aws, template(vpc, subnets, protection="false", listener=tls_listener(first)))
    deploy(aws, template(vpc, subnets, protection="false", listener=tls_listener(second)), "UPDATE")
    if not patched:  # moto's ModifyListener refuses TLS: the update fails (and so does its rollback)
        assert listener_certificate(aws, outputs) == first and "UnsupportedProtocol: Protocol TLS is not supported" in failure(aws, None)
        return
    assert listener_certificate(aws, outputs) == second and status(aws) == "UPDATE_COMPLETE"
    deploy(aws, template(vpc, subnets, protection="false", listener=tls_listener(MISSING)), "UPDATE")
    failed = [e for e in events(aws) if e["ResourceStatus"] == "UPDATE_FAILED"]
    assert [(e["LogicalResourceId"], e["ResourceStatusReason"]) for e in failed] == [("Listener", f"CertificateNotFound: Certificate '{MISSING}' not found")]
    assert listener_certificate(aws, outputs) == second and status(aws) == "UPDATE_ROLLBACK_COMPLETE"


@pytest.mark.parametrize("patched", [False, True])
@pytest.mark.parametrize("protection", ["false", "true"])
def test_a_failed_create_rolls_back(aws, patched, protection):
    (standin.apply_patches if patched else lambda: without(patches._failed_executions_roll_back))()
    vpc, subnets = network(aws)
    result = outcome(lambda: deploy(aws, template(vpc, subnets, protection=protection, extra=broken_listener())))
    balancers = aws.client("elbv2").describe_load_balancers()["LoadBalancers"]
    if not patched:  # the execution itself fails, and the stack stays half-made in REVIEW_IN_PROGRESS
        assert isinstance(result, Exception) and status(aws) == "REVIEW_IN_PROGRESS" and len(balancers) == 1
        return
    assert result == {}  # the execution is accepted; the failure is in the events
    own = [e["ResourceStatus"] for e in events(aws) if e["ResourceType"] == "AWS::CloudFormation::Stack"]
    failed = [(e["LogicalResourceId"], e["ResourceStatus"], e["ResourceStatusReason"].split(":")[0]) for e in events(aws) if e["ResourceStatus"].endswith("FAILED") and e["LogicalResourceId"] != STACK]
    resources = [r["LogicalResourceId"] for r in aws.client("cloudformation").describe_stack_resources(StackName=STACK)["StackResources"]]
    if protection == "false":  # everything made is deleted again
        assert own == ["REVIEW_IN_PROGRESS", "CREATE_IN_PROGRESS", "ROLLBACK_IN_PROGRESS", "ROLLBACK_COMPLETE"]
        assert failed == [("Broken", "CREATE_FAILED", "CertificateNotFound")] and resources == [] and balancers == []
    else:  # the load balancer's deletion protection stops the rollback, as in CloudFormation
        assert own == ["REVIEW_IN_PROGRESS", "CREATE_IN_PROGRESS", "ROLLBACK_IN_PROGRESS", "ROLLBACK_FAILED"]
        assert failed == [("Broken", "CREATE_FAILED", "CertificateNotFound"), ("Lb", "DELETE_FAILED", "OperationNotPermitted")]
        assert "Lb" in resources and "Broken" not in resources and len(balancers) == 1
        assert aws.client("elbv2").describe_target_groups()["TargetGroups"] == []


@pytest.mark.parametrize("patched", [False, True])
def test_a_failed_update_rolls_back(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._failed_executions_roll_back))()
    vpc, subnets = network(aws)
    before = deploy(aws, template(vpc, subnets, protection="false"))
    extra = {"Tg2": _res(TG, Port=6390, Protocol="TCP", TargetType="ip", VpcId=vpc)} | broken_listener()
    extra["Broken"]["Properties"]["DefaultActions"][0]["TargetGroupArn"] = {"Ref": "Tg2"}
    result = outcome(lambda: deploy(aws, template(vpc, subnets, protection="false", extra=extra), "UPDATE"))
    groups = {tg["TargetGroupArn"] for tg in aws.client("elbv2").describe_target_groups()["TargetGroups"]}
    if not patched:  # the execution fails and what it added stays
        assert isinstance(result, Exception) and len(groups) == 2
        return
    assert result == before and groups == {before["TgArn"]} and status(aws) == "UPDATE_ROLLBACK_COMPLETE"
    assert [e["ResourceStatus"] for e in events(aws) if e["LogicalResourceId"] == STACK][-3:] == ["UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE"]
    deploy(aws, template(vpc, subnets, protection="false", interval=10), "UPDATE")  # the stack takes the next update
    assert status(aws) == "UPDATE_COMPLETE"


def rollback_failed(aws):
    """A TLS listener whose certificate was deleted from ACM, then an update that fails (a broken new
    listener): its rollback cannot give the first listener its certificate back."""
    vpc, subnets = network(aws)
    first, second = certificate(aws, "a"), certificate(aws, "b")
    outputs = deploy(aws, template(vpc, subnets, protection="false", listener=tls_listener(first)))
    aws.client("acm").delete_certificate(CertificateArn=first)
    deploy(aws, template(vpc, subnets, protection="false", listener=tls_listener(second), extra=broken_listener()), "UPDATE")
    return outputs, second


@pytest.mark.parametrize("patched", [False, True])
def test_continue_update_rollback(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._continue_update_rollback))()
    outputs, second = rollback_failed(aws)
    assert status(aws) == "UPDATE_ROLLBACK_FAILED"
    failed = [(e["LogicalResourceId"], e["ResourceStatus"], e["ResourceStatusReason"].split(":")[0]) for e in events(aws) if e["ResourceStatus"].endswith("FAILED") and e["LogicalResourceId"] != STACK]
    assert failed == [("Broken", "CREATE_FAILED", "CertificateNotFound"), ("Listener", "UPDATE_FAILED", "CertificateNotFound")]
    cf = aws.client("cloudformation")
    assert {r["LogicalResourceId"] for r in cf.describe_stack_resources(StackName=STACK)["StackResources"]} == {"Sg", "Lb", "Tg", "Listener"}
    result = outcome(lambda: cf.continue_update_rollback(StackName=STACK))
    if not patched:
        assert isinstance(result, Exception) and status(aws) == "UPDATE_ROLLBACK_FAILED"
        return
    assert status(aws) == "UPDATE_ROLLBACK_FAILED"  # the certificate is still gone: the rollback fails again
    cf.continue_update_rollback(StackName=STACK, ResourcesToSkip=["Listener"])
    # skipped: left as the failed update left it (the stand-in adds resources before it modifies any,
    # so the update failed before it reached the listener)
    assert status(aws) == "UPDATE_ROLLBACK_COMPLETE" and listener_certificate(aws, outputs) != second
    assert "can continue its rollback" in str(outcome(lambda: cf.continue_update_rollback(StackName=STACK)))


@pytest.mark.parametrize("patched", [False, True])
def test_change_sets_refused_for_a_failed_stack(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._change_sets_refused_for_failed_stacks))()
    vpc, subnets = network(aws)
    deploy(aws, template(vpc, subnets, protection="false", extra=broken_listener()))
    assert status(aws) == "ROLLBACK_COMPLETE"
    update = outcome(lambda: change_set(aws, template(vpc, subnets, protection="false"), "UPDATE"))
    create = outcome(lambda: change_set(aws, template(vpc, subnets, protection="false"), "CREATE"))
    if not patched:  # neither is refused as CloudFormation refuses it (moto breaks on the update, or takes it)
        assert "can not be updated" not in str(update) and "already exists" not in str(create)
        return
    assert "is in ROLLBACK_COMPLETE state and can not be updated" in str(update)
    assert "AlreadyExistsException" in str(create) and f"Stack [{STACK}] already exists" in str(create)


# --- refusals AWS makes: a port taken, a record that exists, a rule that exists, creates before deletes ---
def _listener_on(port, name="Tg"):
    return _res(LISTENER, LoadBalancerArn={"Ref": "Lb"}, Port=port, Protocol="TCP", DefaultActions=[{"Type": "forward", "TargetGroupArn": {"Ref": name}}])


DUPLICATE_LISTENER = "DuplicateListener: A listener with the specified port already exists."


@pytest.mark.parametrize("patched", [False, True])
def test_a_second_listener_on_a_port_is_refused(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._duplicate_listeners))()
    vpc, subnets = network(aws)
    # through CloudFormation: a stack with two listeners on one port
    result = outcome(lambda: deploy(aws, template(vpc, subnets, protection="false", extra={"Second": _listener_on(6379)})))
    elbv2 = aws.client("elbv2")
    if not patched:  # taken: two listeners on 6379
        assert status(aws) == "CREATE_COMPLETE" and [l["Port"] for l in elbv2.describe_listeners(LoadBalancerArn=result["LbArn"])["Listeners"]] == [6379, 6379]
    else:  # refused, and the stack rolls back with ELB's reason
        assert status(aws) == "ROLLBACK_COMPLETE" and DUPLICATE_LISTENER in failure(aws, result)
    # through the API: CreateListener on a port in use, and ModifyListener onto one
    outputs = _fresh_stack(aws, vpc, subnets)
    forward = [{"Type": "forward", "TargetGroupArn": outputs["TgArn"]}]
    second = outcome(lambda: elbv2.create_listener(LoadBalancerArn=outputs["LbArn"], Port=6379, Protocol="TCP", DefaultActions=forward))
    other = elbv2.create_listener(LoadBalancerArn=outputs["LbArn"], Port=7000, Protocol="TCP", DefaultActions=forward)["Listeners"][0]["ListenerArn"]
    moved = outcome(lambda: elbv2.modify_listener(ListenerArn=other, Port=6379))
    if not patched:
        assert not isinstance(second, Exception) and not isinstance(moved, Exception)
        return
    assert all(isinstance(e, elbv2.exceptions.DuplicateListenerException) for e in (second, moved)), (second, moved)
    assert sorted(l["Port"] for l in elbv2.describe_listeners(LoadBalancerArn=outputs["LbArn"])["Listeners"]) == [6379, 7000]
    assert elbv2.modify_listener(ListenerArn=other, Port=7001)["Listeners"][0]["Port"] == 7001  # a free port is taken


def _fresh_stack(aws, vpc, subnets):
    """The small stack deployed anew: the one there deleted first (after a rolled-back create,
    CloudFormation takes nothing else)."""
    aws.client("cloudformation").delete_stack(StackName=STACK)
    return deploy(aws, template(vpc, subnets, protection="false"))


def _a_record(zone, value, name="redis.internal.example.com."):
    return {"Name": name, "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": value}], **({"HostedZoneId": zone} if zone else {})}


@pytest.mark.parametrize("patched", [False, True])
def test_a_create_of_a_record_set_that_exists_is_refused(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._existing_record_creates))()
    route53 = aws.client("route53")
    zone = route53.create_hosted_zone(Name="internal.example.com", CallerReference="z")["HostedZone"]["Id"]

    def change(*changes):
        return outcome(lambda: route53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [{"Action": a, "ResourceRecordSet": r} for a, r in changes]}))

    def a_records():
        values = [r["ResourceRecords"][0]["Value"] for r in route53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"] if r["Type"] == "A"]
        return sorted(v if "{" not in v else v.split("'")[3] for v in values)  # moto lists a template's record as "{'Value': ...}"

    change(("CREATE", _a_record(None, "10.0.0.1")))
    again = change(("CREATE", _a_record(None, "10.0.0.2", name="REDIS.internal.example.com")))  # names compare without case and final dot
    # through CloudFormation: AWS::Route53::RecordSet of the same name and type
    created = outcome(lambda: deploy(aws, json.dumps({"Resources": {"Record": _res("AWS::Route53::RecordSet", **_a_record(zone, "10.0.0.3"))}})))
    if not patched:  # taken: three A records of one name
        assert not isinstance(again, Exception) and status(aws) == "CREATE_COMPLETE" and a_records() == ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
        return
    message = "Tried to create resource record set [name='redis.internal.example.com.', type='A'] but it already exists"
    assert (again.response["Error"]["Code"], again.response["Error"]["Message"]) == ("InvalidChangeBatch", message)
    assert status(aws) == "ROLLBACK_COMPLETE" and f"InvalidChangeBatch: {message}" in failure(aws, created)
    assert a_records() == ["10.0.0.1"]
    # in one batch, in order: a DELETE frees the name for a CREATE; two CREATEs of one name are refused whole
    assert not isinstance(change(("DELETE", _a_record(None, "10.0.0.1")), ("CREATE", _a_record(None, "10.0.0.4"))), Exception)
    twice = change(("CREATE", _a_record(None, "10.0.0.5", name="kafka.internal.example.com.")), ("CREATE", _a_record(None, "10.0.0.6", name="kafka.internal.example.com.")))
    assert "Tried to create resource record set [name='kafka.internal.example.com.', type='A']" in str(twice) and a_records() == ["10.0.0.4"]
    assert not isinstance(change(("UPSERT", _a_record(None, "10.0.0.7"))), Exception) and a_records() == ["10.0.0.7"]  # UPSERT is the way


def test_a_security_group_rule_that_exists_is_refused_by_moto_itself(aws):
    """InvalidPermission.Duplicate (EC2 API reference, AuthorizeSecurityGroupIngress/Egress; error
    codes): moto refuses it on the API and through AWS::EC2::SecurityGroupIngress/Egress, a
    description or the protocol's spelling making no difference, so the stand-in needs no fix of its
    own; moto's order of an update hid it (`test_an_update_creates_and_updates_before_it_deletes`)."""
    standin.apply_patches()
    vpc, subnets = network(aws)
    ec2 = aws.client("ec2")
    group = ec2.create_security_group(GroupName="nlb", Description="nlb", VpcId=vpc)["GroupId"]
    rule = {"IpProtocol": "tcp", "FromPort": 6379, "ToPort": 6379, "IpRanges": [{"CidrIp": "10.9.0.0/16"}]}
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[rule])
    ec2.authorize_security_group_egress(GroupId=group, IpPermissions=[rule])
    same = [rule | {"IpProtocol": "6"}, rule | {"IpRanges": [{"CidrIp": "10.9.0.0/16", "Description": "clients"}]}]
    refused = [outcome(lambda p=p: ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[p])) for p in same]
    refused.append(outcome(lambda: ec2.authorize_security_group_egress(GroupId=group, IpPermissions=[rule])))
    assert all("InvalidPermission.Duplicate" in str(e) for e in refused), refused
    twice = {name: _res(kind, GroupId={"Fn::GetAtt": ["Sg", "GroupId"]}, IpProtocol="tcp", FromPort=6379, ToPort=6379, CidrIp="10.9.0.0/16") for name, kind in (("In", INGRESS), ("InAgain", INGRESS))}
    result = outcome(lambda: deploy(aws, template(vpc, subnets, protection="false", with_service=False, rules=twice)))
    assert status(aws) == "ROLLBACK_COMPLETE" and "InvalidPermission.Duplicate" in failure(aws, result)


def _renamed(vpc, subnets, zone, names):
    """The small stack with a listener, an ingress rule and a DNS record under the logical IDs `names`
    gives them (a service renamed: new logical IDs, the same port, rule and name)."""
    rule = _res(INGRESS, GroupId={"Fn::GetAtt": ["Sg", "GroupId"]}, IpProtocol="tcp", FromPort=6379, ToPort=6379, CidrIp="10.9.0.0/16")
    record = _res("AWS::Route53::RecordSet", HostedZoneId=zone, Name="redis.internal.example.com.", Type="A", AliasTarget={"DNSName": _att("Lb", "DNSName"), "HostedZoneId": _att("Lb", "CanonicalHostedZoneID")})
    body = json.loads(template(vpc, subnets, protection="false"))
    listener = body["Resources"].pop("Listener")
    body["Resources"] |= {names["Listener"]: listener, names["In"]: rule, names["Record"]: record}
    return json.dumps(body)


SAME = {"Listener": "Listener", "In": "In", "Record": "Record"}


@pytest.mark.parametrize("patched", [False, True])
@pytest.mark.parametrize(
    ("renamed", "refusal"),
    [
        ("Listener", DUPLICATE_LISTENER),
        ("In", "InvalidPermission.Duplicate"),
        ("Record", "InvalidChangeBatch: Tried to create resource record set [name='redis.internal.example.com.', type='A'] but it already exists"),
    ],
)
def test_an_update_creates_and_updates_before_it_deletes(aws, patched, renamed, refusal):
    (standin.apply_patches if patched else lambda: without(patches._creates_before_deletes))()
    vpc, subnets = network(aws)
    zone = aws.client("route53").create_hosted_zone(Name="internal.example.com", CallerReference="z")["HostedZone"]["Id"]
    deploy(aws, _renamed(vpc, subnets, zone, SAME))
    cf = aws.client("cloudformation")

    def physical():
        return {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in cf.describe_stack_resources(StackName=STACK)["StackResources"]}

    before = physical()
    result = outcome(lambda: deploy(aws, _renamed(vpc, subnets, zone, SAME | {renamed: f"{renamed}Renamed"}), "UPDATE"))
    if not patched:  # moto deleted the old one first: the new one took its place
        assert status(aws) == "UPDATE_COMPLETE" and f"{renamed}Renamed" in physical() and renamed not in physical()
        return
    # CloudFormation creates the new one while the old one still holds the port, rule or name: refused,
    # rolled back, and the old one is the one that stays (deletes wait for the clean-up phase)
    failed = [(e["LogicalResourceId"], e["ResourceStatus"]) for e in events(aws) if e["ResourceStatus"] == "CREATE_FAILED"]
    assert status(aws) == "UPDATE_ROLLBACK_COMPLETE" and failed == [(f"{renamed}Renamed", "CREATE_FAILED")] and refusal in failure(aws, result)
    assert physical() == before
    # through UpdateStack too, which applies a template the same way (moto answers its failure at once)
    again = outcome(lambda: cf.update_stack(StackName=STACK, TemplateBody=_renamed(vpc, subnets, zone, SAME | {renamed: f"{renamed}Renamed"})))
    assert refusal.split(":")[0] in str(again)


NO_SECURITY_GROUPS = "InvalidConfigurationRequest: You cannot set security groups on a Network Load Balancer which was created without any security groups."


def _load_balancer_groups(vpc, subnets, groups):
    """The small stack, its load balancer with the security groups `groups` (logical IDs; none: created without)."""
    body = json.loads(template(vpc, subnets, protection="false", extra={"Other": _res("AWS::EC2::SecurityGroup", GroupDescription="other", VpcId=vpc)}))
    properties = body["Resources"]["Lb"]["Properties"]
    properties["SecurityGroups"] = [_att(g, "GroupId") for g in groups]
    if not groups:
        del properties["SecurityGroups"]
    return json.dumps(body)


@pytest.mark.parametrize("patched", [False, True])
def test_security_groups_of_a_network_load_balancer_created_without_them(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._network_load_balancer_security_groups))()
    vpc, subnets = network(aws)
    outputs = deploy(aws, _load_balancer_groups(vpc, subnets, []))
    elbv2 = aws.client("elbv2")

    def groups(arn=outputs["LbArn"]):
        return sorted(elbv2.describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"][0].get("SecurityGroups") or [])

    result = outcome(lambda: deploy(aws, _load_balancer_groups(vpc, subnets, ["Sg"]), "UPDATE"))
    if not patched:  # the update completes, and the template's groups are not even applied
        assert status(aws) == "UPDATE_COMPLETE" and groups() == []
        assert not isinstance(outcome(lambda: elbv2.set_security_groups(LoadBalancerArn=outputs["LbArn"], SecurityGroups=[group_of(aws)])), Exception)
        return
    assert status(aws) == "UPDATE_ROLLBACK_COMPLETE" and NO_SECURITY_GROUPS in failure(aws, result) and groups() == []
    refused = outcome(lambda: elbv2.set_security_groups(LoadBalancerArn=outputs["LbArn"], SecurityGroups=[group_of(aws)]))
    assert f"({NO_SECURITY_GROUPS.replace(': ', ') when calling the SetSecurityGroups operation: ', 1)}" in str(refused) and groups() == []
    # a network load balancer created with security groups takes a change, by template and by API
    aws.client("cloudformation").delete_stack(StackName=STACK)
    outputs = deploy(aws, _load_balancer_groups(vpc, subnets, ["Sg"]))
    cf = aws.client("cloudformation")
    physical = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in cf.describe_stack_resources(StackName=STACK)["StackResources"]}
    deploy(aws, _load_balancer_groups(vpc, subnets, ["Sg", "Other"]), "UPDATE")
    assert status(aws) == "UPDATE_COMPLETE" and groups(outputs["LbArn"]) == sorted([physical["Sg"], physical["Other"]])
    elbv2.set_security_groups(LoadBalancerArn=outputs["LbArn"], SecurityGroups=[physical["Other"]])
    assert groups(outputs["LbArn"]) == [physical["Other"]]


# --- QUIC ---------------------------------------------------------------------------------------------
def _quic(vpc, subnets, *, groups=False, more=None, protocol="QUIC"):
    """The small stack with a QUIC (or `protocol`) listener and target group, its load balancer with
    or without security groups, and `more` resources."""
    body = json.loads(template(vpc, subnets, protection="false", target_group={"Protocol": protocol, "Port": 443}, listener={"Protocol": protocol, "Port": 443}, extra=more))
    if not groups:
        del body["Resources"]["Lb"]["Properties"]["SecurityGroups"]
    return json.dumps(body)


@pytest.mark.parametrize("patched", [False, True])
def test_quic_listeners_and_target_groups(aws, patched):
    (standin.apply_patches if patched else lambda: without(patches._quic_listeners_and_target_groups))()
    vpc, subnets = network(aws)
    result = outcome(lambda: deploy(aws, _quic(vpc, subnets)))
    if not patched:  # moto knows no QUIC: the stack fails
        assert status(aws) == "ROLLBACK_COMPLETE" and "QUIC" in failure(aws, result)
        return
    assert status(aws) == "CREATE_COMPLETE"
    elbv2 = aws.client("elbv2")
    (listener,) = elbv2.describe_listeners(LoadBalancerArn=result["LbArn"])["Listeners"]
    (group,) = elbv2.describe_target_groups(TargetGroupArns=[result["TgArn"]])["TargetGroups"]
    assert (listener["Protocol"], group["Protocol"], group["HealthCheckProtocol"]) == ("QUIC", "QUIC", "TCP")
    # ELB's refusals, on the API: a second QUIC listener, a UDP one beside it
    for protocol, port, rule in (("TCP_QUIC", 8443, "a second QUIC or TCP_QUIC listener"), ("UDP", 53, "UDP is not allowed on an NLB that has a QUIC or TCP_QUIC listener")):
        refused = outcome(lambda: elbv2.create_listener(LoadBalancerArn=result["LbArn"], Protocol=protocol, Port=port, DefaultActions=[{"Type": "forward", "TargetGroupArn": result["TgArn"]}]))
        assert "InvalidConfigurationRequest" in str(refused) and rule in str(refused)


def test_a_quic_listener_on_a_network_load_balancer_with_security_groups_is_refused(aws):
    vpc, subnets = network(aws)
    result = outcome(lambda: deploy(aws, _quic(vpc, subnets, groups=True)))
    assert status(aws) == "ROLLBACK_COMPLETE"
    assert "QUIC is not allowed on an NLB with a security group" in failure(aws, result)
    # TCP_QUIC too, and without security groups it is created
    aws.client("cloudformation").delete_stack(StackName=STACK)
    deploy(aws, _quic(vpc, subnets, protocol="TCP_QUIC"))
    assert status(aws) == "CREATE_COMPLETE"
