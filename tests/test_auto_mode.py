"""`clusters[].controller: eks-auto-mode`: the config's rules both ways, Auto Mode's bindings against the
written schema (and a self-managed binding refused by it), the node security group rules in the
template, and blue (self-managed) / green (Auto Mode) trees that differ only where the controllers do."""

from __future__ import annotations

import json
import pytest
import yaml

from shared_nlb import crd, naming
from shared_nlb.config import parse_config
from shared_nlb.config.controller import AUTO_MODE, SELF_MANAGED
from shared_nlb.manifests import KUSTOMIZATION, render_tree_from_outputs
from tests.factories import example_dict
from tests.fake_outputs import outputs_for
from tests.test_config import problems_of

NODES = "sg-0a0a0a0a0a0a0a0a0"
OTHER = "arn:aws:iam::222222222222:role/aws-load-balancer-controller"
AUTO = {"name": "green", "controller": "eks-auto-mode", "node_security_group": NODES}


def clustered(*clusters: dict) -> dict:
    data = example_dict()
    data["clusters"] = list(clusters)
    return data


# --- the config ---------------------------------------------------------------------------------------
def test_an_auto_mode_cluster_is_valid_and_the_default_is_the_self_managed_controller() -> None:
    blue, green = parse_config(clustered({"name": "blue"}, AUTO)).clusters
    assert (blue.controller, blue.auto_mode) == (SELF_MANAGED, False)
    assert (green.controller, green.auto_mode, green.node_security_group) == (AUTO_MODE, True, NODES)


AUTO_TEXT = "allowed: aws-load-balancer-controller, eks-auto-mode"
BAD: list[tuple[str, dict, list[str]]] = [
    ("unknown-controller", clustered({"name": "blue", "controller": "auto"}), [f"c.yaml: clusters[0].controller: 'auto' is not allowed; {AUTO_TEXT}"]),
    ("auto-mode-without-node-group", clustered({"name": "green", "controller": "eks-auto-mode"}), [
        "c.yaml: clusters[0].node_security_group: is missing; an EKS Auto Mode cluster's bindings carry no networking rules, so the stack must open its nodes' security group (the NodeClass's, by default eks-cluster-sg-*) to the NLB: give its sg- ID"
    ]),
    ("auto-mode-cross-account", clustered({**AUTO, "controller_role_arn": OTHER}), [
        "c.yaml: clusters[0].controller_role_arn: is not supported by EKS Auto Mode (its TargetGroupBinding has no iamRoleArnToAssume; the managed controller acts with the cluster IAM role in the NLB's account); remove it, or use controller: aws-load-balancer-controller"
    ]),
    ("auto-mode-version", clustered({**AUTO, "controller_version": "v2.12.0"}), [
        "c.yaml: clusters[0].controller_version: is the self-managed AWS Load Balancer Controller's release; EKS Auto Mode's controller is managed by AWS and has none: remove it"
    ]),
    ("node-group-on-self-managed", clustered({"name": "blue", "node_security_group": NODES}), [
        "c.yaml: clusters[0].node_security_group: is only for controller: eks-auto-mode; the AWS Load Balancer Controller opens the pods to the NLB itself (the bindings' networking.ingress): remove it"
    ]),
    ("node-group-not-an-id", clustered({**AUTO, "node_security_group": "eks-cluster-sg-x"}), [
        "c.yaml: clusters[0].node_security_group: 'eks-cluster-sg-x' is not valid; allowed: 'sg-' and 8 or 17 hexadecimal digits (0-9, a-f), as EC2 issues them"
    ]),
]


@pytest.mark.parametrize(("data", "expected"), [(d, e) for _, d, e in BAD], ids=[name for name, _, _ in BAD])
def test_bad_auto_mode_clusters_get_exact_lines(data: dict, expected: list[str]) -> None:
    assert problems_of(data) == expected


# --- the manifests ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def blue_green() -> dict[str, str]:
    config = parse_config(clustered({"name": "blue"}, AUTO))
    return render_tree_from_outputs(config, outputs_for(config))


def docs_of(tree: dict[str, str], cluster: str) -> dict[str, dict]:
    docs = [yaml.safe_load(text) for path, text in tree.items() if path.startswith(f"{cluster}/") and not path.endswith(KUSTOMIZATION)]
    return {doc["metadata"]["labels"][naming.SERVICE_LABEL]: doc for doc in docs}


def test_auto_mode_bindings_validate_against_the_written_schema_and_self_managed_ones_do_not(blue_green) -> None:
    blue, green = docs_of(blue_green, "blue"), docs_of(blue_green, "green")
    assert crd.validate_bindings(list(green.values()), AUTO_MODE) == []
    assert crd.validate_bindings(list(blue.values())) == []
    # each controller refuses the other's binding: its apiVersion, and for Auto Mode the networking rules
    redis = blue["redis"]
    assert crd.validate_binding(redis, AUTO_MODE) == [
        "apiVersion: 'elbv2.k8s.aws/v1beta1'; allowed: 'eks.amazonaws.com/v1' (EKS Auto Mode's TargetGroupBinding)",
        "spec: Additional properties are not allowed ('networking' was unexpected) (Auto Mode schema)",
    ]
    assert crd.validate_binding(green["redis"])[0] == "apiVersion: 'eks.amazonaws.com/v1'; allowed: 'elbv2.k8s.aws/v1beta1' (the CRD's storage version)"


def test_the_written_schema_requires_target_type_and_refuses_the_cross_account_fields(blue_green) -> None:
    doc = docs_of(blue_green, "green")["redis"]
    without = {**doc, "spec": {k: v for k, v in doc["spec"].items() if k != "targetType"}}
    assert crd.validate_binding(without, AUTO_MODE) == ["spec: 'targetType' is a required property (Auto Mode schema)"]
    assume = {**doc, "spec": {**doc["spec"], "iamRoleArnToAssume": OTHER}}
    assert crd.validate_binding(assume, AUTO_MODE) == ["spec: Additional properties are not allowed ('iamRoleArnToAssume' was unexpected) (Auto Mode schema)"]


def test_blue_and_green_trees_differ_only_where_the_controllers_differ(blue_green) -> None:
    blue, green = docs_of(blue_green, "blue"), docs_of(blue_green, "green")
    assert sorted(blue) == sorted(green) == ["kafka", "openobserve", "redis"]
    for name in blue:
        assert (blue[name]["apiVersion"], green[name]["apiVersion"]) == ("elbv2.k8s.aws/v1beta1", "eks.amazonaws.com/v1")
        assert "networking" in blue[name]["spec"] and "networking" not in green[name]["spec"]
        same_spec = {k: v for k, v in blue[name]["spec"].items() if k != "networking"}
        assert green[name]["spec"] == same_spec
        assert {k: v for k, v in green[name].items() if k not in ("apiVersion", "spec")} == {k: v for k, v in blue[name].items() if k not in ("apiVersion", "spec")}
    # the kustomizations differ by the cluster label only
    labels = [yaml.safe_load(blue_green[f"{c}/{KUSTOMIZATION}"])["metadata"]["labels"] for c in ("blue", "green")]
    assert labels[0] | {naming.CLUSTER_LABEL: "green"} == labels[1]


def multi_cluster_flags(clusters: list[dict]) -> dict[str, set]:
    config = parse_config(clustered(*clusters))
    tree = render_tree_from_outputs(config, outputs_for(config))
    return {c["name"]: {doc["spec"]["multiClusterTargetGroup"] for doc in docs_of(tree, c["name"]).values()} for c in clusters}


def test_flags_stay_on_across_the_migration_steps() -> None:
    """docs/clusters.md, "From a self-managed cluster to EKS Auto Mode": blue; blue and green; green."""
    steps = [[{"name": "blue"}], [{"name": "blue"}, AUTO], [AUTO]]
    assert [multi_cluster_flags(step) for step in steps] == [{"blue": {True}}, {"blue": {True}, "green": {True}}, {"green": {True}}]


# --- the template -------------------------------------------------------------------------------------
def test_the_stack_opens_the_auto_mode_nodes_to_the_nlb_on_each_target_rule(synth, example_template_text) -> None:
    template = json.loads(synth(clustered({"name": "blue"}, AUTO)))
    rules = {k: v["Properties"] for k, v in template["Resources"].items() if k.startswith("GreenNodesFromNlb")}
    example = json.loads(example_template_text)
    egress = sorted((v["Properties"]["IpProtocol"], v["Properties"]["FromPort"]) for v in example["Resources"].values() if v["Type"] == "AWS::EC2::SecurityGroupEgress")
    assert sorted((p["IpProtocol"], p["FromPort"]) for p in rules.values()) == sorted(set(egress))  # every target port, once
    for key, props in rules.items():
        assert key == naming.node_ingress_rule_id("green", props["IpProtocol"], props["FromPort"])
        assert props["GroupId"] == NODES and props["ToPort"] == props["FromPort"]
        assert props["SourceSecurityGroupId"] == {"Fn::GetAtt": [naming.SECURITY_GROUP_ID, "GroupId"]}
    # the rest of the template is the example's: the self-managed cluster adds nothing
    rest = {k: v for k, v in template["Resources"].items() if k not in rules}
    assert rest == example["Resources"]


def test_a_self_managed_cluster_gets_no_node_rules(synth, example_template_text) -> None:
    assert synth(clustered({"name": "blue"})) == example_template_text


def test_allow_to_nodes_covers_services_added_before_and_after_and_refuses_a_bad_name() -> None:
    from aws_cdk import aws_ec2 as ec2
    from aws_cdk import aws_elasticloadbalancingv2 as elbv2

    from tests.test_controller_role import edge_stack

    _, _, shared = edge_stack()
    shared.add_service("redis", service_port=6380, listener_port=6379)
    shared.allow_to_nodes("auto", NODES)
    shared.add_service("dns", service_port=53, listener_port=53, protocol=elbv2.Protocol.TCP_UDP)
    assert sorted(shared.node_ingress_rules) == [("auto", "tcp", 53), ("auto", "tcp", 6380), ("auto", "udp", 53)]
    assert all(isinstance(rule, ec2.CfnSecurityGroupIngress) for rule in shared.node_ingress_rules.values())
    with pytest.raises(ValueError, match="allow_to_nodes: name 'Auto' is not a DNS label"):
        shared.allow_to_nodes("Auto", NODES)


# --- the construct's binding outputs and `manifests --outputs` without a config ----------------------
def edge(**settings):
    """A stack with an imported VPC and a shared NLB built with `settings`: (stack, construct)."""
    from aws_cdk import App, Stack
    from aws_cdk import aws_ec2 as ec2

    from constructs_lib import SharedNetworkLoadBalancer
    from tests.test_construct import SETTINGS

    stack = Stack(App(**SETTINGS), "Edge")
    vpc = ec2.Vpc.from_vpc_attributes(stack, "Vpc", vpc_id="vpc-0a1b2c3d", vpc_cidr_block="10.0.0.0/16", availability_zones=["us-east-1a"], private_subnet_ids=["subnet-0a1b2c3d"])
    return stack, SharedNetworkLoadBalancer(stack, "Shared", vpc=vpc, **settings)


def auto_mode_outputs(*, allow: bool) -> tuple[list[str], dict]:
    """The construct with `binding_controller="eks-auto-mode"`: synth errors, and its redis binding output."""
    from aws_cdk.assertions import Template

    stack, shared = edge(binding_controller="eks-auto-mode")
    shared.add_service("redis", namespace="data", service_port=6380, listener_port=6379)
    if allow:
        shared.allow_to_nodes("auto", NODES)
    errors = [str(e) for e in shared.node.validate()]
    if errors:
        return errors, {}
    outputs = Template.from_stack(stack).find_outputs("*")
    return errors, next(o["Value"] for key, o in outputs.items() if "Binding" in key)


def test_the_construct_names_auto_mode_in_its_binding_outputs_and_needs_a_node_group() -> None:
    errors, value = auto_mode_outputs(allow=True)
    assert errors == [] and '"controller":"eks-auto-mode"' in json.dumps(value).replace('\\"', '"').replace(" ", "")
    assert auto_mode_outputs(allow=False)[0] == ["binding_controller 'eks-auto-mode': no node security group to open; call allow_to_nodes(cluster, node_security_group_id)"]


def test_the_construct_refuses_an_unknown_binding_controller() -> None:
    with pytest.raises(TypeError, match="binding_controller"):
        edge(binding_controller="auto-mode")


def test_binding_outputs_carry_the_controller_and_manifests_writes_auto_mode_bindings(tmp_path, capsys) -> None:
    from shared_nlb.binding_outputs import parse_binding_outputs
    from shared_nlb.cli import main
    from shared_nlb.errors import UserError
    from tests.test_binding_outputs import ARN, binding

    kafka_arn = ARN.replace("0123456789abcdef", "fedcba9876543210")
    specs = parse_binding_outputs({"Edge": {"SharedRedisBinding1": binding(controller="eks-auto-mode"), "SharedKafkaBinding2": binding(name="kafka", targetGroupArn=kafka_arn)}})
    assert [(s.name, s.controller) for s in specs] == [("kafka", SELF_MANAGED), ("redis", AUTO_MODE)]
    # --controller asks for Auto Mode for outputs that name none, and refuses one that names another
    plain = {"Edge": {"SharedRedisBinding1": binding()}}
    assert [s.controller for s in parse_binding_outputs(plain, controller=AUTO_MODE)] == [AUTO_MODE]
    with pytest.raises(UserError) as caught:
        parse_binding_outputs({"Edge": {"SharedRedisBinding1": binding(controller="eks-auto-mode")}}, controller=SELF_MANAGED)
    assert str(caught.value) == "outputs: stack Edge output SharedRedisBinding1: is for eks-auto-mode (the construct's binding_controller), not aws-load-balancer-controller; drop --controller or deploy with binding_controller='aws-load-balancer-controller'"
    with pytest.raises(UserError) as caught:
        parse_binding_outputs({"Edge": {"SharedRedisBinding1": binding(controller="auto")}})
    assert str(caught.value) == "outputs: stack Edge output SharedRedisBinding1: controller 'auto' is not a controller; allowed: aws-load-balancer-controller, eks-auto-mode"

    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps(plain))
    assert main(["manifests", "--outputs", str(outputs), "--out", str(tmp_path / "m"), "--controller", "eks-auto-mode"]) == 0
    doc = yaml.safe_load((tmp_path / "m" / "data" / "redis.yaml").read_text())
    assert crd.validate_binding(doc, AUTO_MODE) == []
    capsys.readouterr()
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump(example_dict()))
    assert main(["manifests", str(config), "--outputs", str(outputs), "--out", str(tmp_path / "n"), "--controller", "eks-auto-mode"]) == 2
    assert capsys.readouterr().err.splitlines() == ["shared-nlb manifests: --controller: is for the binding outputs of your own CDK app (no CONFIG); with a config, set clusters[].controller"]


# --- import-services --------------------------------------------------------------------------------
def auto_mode_service(name: str, *, annotations: dict | None = None, lb_class: str = "eks.amazonaws.com/nlb", ranges: list | None = None) -> dict:
    spec = {"type": "LoadBalancer", "loadBalancerClass": lb_class, "ports": [{"name": "tcp", "port": 6379, "targetPort": 6379, "protocol": "TCP"}]}
    if ranges:
        spec["loadBalancerSourceRanges"] = ranges
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "data", "annotations": annotations or {}}, "spec": spec}


def imported(*services: dict):
    from shared_nlb.importer import import_services
    from tests.test_importer import NETWORK

    return import_services(yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": list(services)}), **NETWORK)


def test_import_maps_auto_mode_services_and_reports_what_auto_mode_ignored() -> None:
    result = imported(
        auto_mode_service("redis", annotations={"service.beta.kubernetes.io/aws-load-balancer-internal": "false", "service.beta.kubernetes.io/load-balancer-source-ranges": "10.9.0.0/16"}, ranges=["10.20.0.0/16"]),
    )
    (entry,) = result.data["services"]
    # IP targets by default, no controller health check defaults, the spec's source ranges only
    assert entry["clients"] == [{"cidr": "10.20.0.0/16"}] and "health_check" not in entry and "preserve_client_ip" not in entry
    assert result.data["load_balancer"] == {"scheme": "internal"}  # aws-load-balancer-internal: "false" is not read by Auto Mode
    assert result.data["clusters"] == [{"name": "auto-mode", "controller": "eks-auto-mode", "node_security_group": "sg-REPLACE-NODES"}]
    assert result.placeholders == ("clusters[0].node_security_group",)
    assert list(result.notes) == [
        "data/redis: annotation service.beta.kubernetes.io/aws-load-balancer-internal not carried over: EKS Auto Mode ignores it (use aws-load-balancer-scheme), so the old NLB never had it",
        "data/redis: annotation service.beta.kubernetes.io/load-balancer-source-ranges not carried over: EKS Auto Mode ignores it (use spec.loadBalancerSourceRanges), so the old NLB never had it",
        "data/redis: no aws-load-balancer-scheme: taken as internal (EKS Auto Mode's NLB page states no default); check the old NLB's scheme",
    ]
    assert "(eks-auto-mode, internal, ip targets)" in result.text
    # the placeholder is named by validate; filled in, the file is valid
    assert problems_of(result.data) == ["c.yaml: clusters[0].node_security_group: 'sg-REPLACE-NODES' is not valid; allowed: 'sg-' and 8 or 17 hexadecimal digits (0-9, a-f), as EC2 issues them"]
    filled = {**result.data, "clusters": [{**result.data["clusters"][0], "node_security_group": NODES}]}
    assert parse_config(filled).clusters[0].auto_mode


def test_import_of_both_controllers_writes_self_managed_bindings_and_says_so() -> None:
    result = imported(auto_mode_service("redis", annotations={"service.beta.kubernetes.io/aws-load-balancer-scheme": "internal"}), auto_mode_service("kafka", lb_class="service.k8s.aws/nlb"))
    assert "clusters" not in result.data
    assert "Services of both EKS Auto Mode and the AWS Load Balancer Controller: the bindings are written for the AWS Load Balancer Controller, which must then run in the cluster; list clusters: with controller: eks-auto-mode to write Auto Mode's instead" in result.notes
    parse_config(result.data)
