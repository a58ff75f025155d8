"""Safe updates, end to end: the CLI's deploy and plan against one embedded AWS stand-in per session.

Each test uses its own stack (its own config `name`), so the tests do not depend on each other's order.
The stand-in is the session's `aws` fixture (conftest.py).
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from shared_nlb import crd, manifests, naming, standin
from shared_nlb.changeset import CloudFormation
from shared_nlb.cli import main
from shared_nlb.config import load_config, parse_config
from shared_nlb.errors import UserError
from tests.factories import ROOT, example_dict

pytestmark = pytest.mark.e2e


class Stack:
    """One stack on the stand-in, driven through the command line like a user would."""

    def __init__(self, aws, tmp_path: Path, name: str):
        self.aws, self.tmp = aws, tmp_path
        base = example_dict()
        base["name"] = name
        _, self.mapping = standin.create_network(aws, parse_config(base))
        self.data = _mapped(base, self.mapping)
        self.stack_name = naming.default_stack_name(name)
        self.cfn = CloudFormation(endpoint_url=aws.endpoint_url, region=aws.region, session=aws.session(), poll_seconds=0)

    def write(self, data) -> str:
        path = self.tmp / "shared-nlb.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        return str(path)

    def deploy(self, data) -> dict[str, str]:
        out = self.tmp / "outputs.json"
        assert main(["deploy", self.write(data), "--endpoint-url", self.aws.endpoint_url, "--outputs-file", str(out), "--yes"]) == 0
        return json.loads(out.read_text())[self.stack_name]

    def changes(self, data) -> dict[str, tuple[str, str]]:
        """{logical ID: (action, replacement)} of the change set `data` would give; the change set is deleted."""
        from shared_nlb.synth import template_text

        plan = self.cfn.create_change_set(self.stack_name, template_text(parse_config(data)), name="e2e")
        self.cfn.delete_change_set(plan)
        return {c.logical_id: (c.action, c.replacement) for c in plan.changes}


def _mapped(value, mapping):
    if isinstance(value, dict):
        return {k: _mapped(v, mapping) for k, v in value.items()}
    if isinstance(value, list):
        return [_mapped(v, mapping) for v in value]
    return mapping.get(value, value) if isinstance(value, str) else value


def _service(data, name):
    return next(s for s in data["services"] if s["name"] == name)


def test_deploy_writes_cdk_outputs_and_valid_bindings(aws, tmp_path):
    stack = Stack(aws, tmp_path, "e2e-first")
    outputs = stack.deploy(stack.data)
    text = (tmp_path / "outputs.json").read_text()
    assert text == json.dumps({stack.stack_name: outputs}, indent=2, sort_keys=True) + "\n"
    keys = {naming.target_group_output_key(s["name"]) for s in stack.data["services"]} | set(naming.SHARED_OUTPUT_KEYS)
    assert set(outputs) == keys
    assert outputs["VpcId"] == stack.mapping["vpc-0a1b2c3d4e5f60718"]
    elbv2 = aws.client("elbv2")
    balancer = elbv2.describe_load_balancers(LoadBalancerArns=[outputs["LoadBalancerArn"]])["LoadBalancers"][0]
    assert (balancer["Type"], balancer["Scheme"]) == ("network", "internal")
    listeners = {(l["Port"], l["DefaultActions"][0]["TargetGroupArn"]) for l in elbv2.describe_listeners(LoadBalancerArn=outputs["LoadBalancerArn"])["Listeners"]}
    assert listeners == {(s["listener_port"], outputs[naming.target_group_output_key(s["name"])]) for s in stack.data["services"]}
    exports = {e["Name"] for page in aws.client("cloudformation").get_paginator("list_exports").paginate() for e in page["Exports"]}  # a shared stand-in holds other tests' exports too
    assert {naming.export_name(stack.stack_name, k) for k in keys} <= exports
    # the stack itself carries the config's tags (`cdk deploy` passes them with the change set too)
    assert stack.data["stack"]["tags"] == {"team": "platform"}
    assert aws.client("cloudformation").describe_stacks(StackName=stack.stack_name)["Stacks"][0]["Tags"] == [{"Key": "team", "Value": "platform"}]

    # least privilege, as EC2 has it: ingress only on the listener ports from the configured clients;
    # egress only to the VPC on target (and health check) ports, plus CDK's rule that matches nothing
    config = parse_config(stack.data)
    group = aws.client("ec2").describe_security_groups(GroupIds=[outputs[naming.SECURITY_GROUP_OUTPUT]])["SecurityGroups"][0]

    def rules(permissions):
        peers = ("IpRanges", "CidrIp"), ("Ipv6Ranges", "CidrIpv6"), ("PrefixListIds", "PrefixListId"), ("UserIdGroupPairs", "GroupId")
        return {(p["IpProtocol"], p.get("FromPort"), p.get("ToPort"), r[key]) for p in permissions for kind, key in peers for r in p.get(kind, [])}

    sources = {c.security_group or c.prefix_list or c.cidr for c in config.clients}
    assert sources == {stack.mapping["sg-0ec5000000000001a"], "10.20.0.0/16"}
    assert rules(group["IpPermissions"]) == {("tcp", s.listener_port, s.listener_port, source) for s in config.services for source in sources}
    target_ports = {port for s in config.services for port in (s.pod_port, s.health_check_port)}
    assert target_ports == {6380, 9092, 5080}
    egress = {("tcp", port, port, config.network.vpc_cidr) for port in target_ports} | {("icmp", 252, 86, "255.255.255.255/32")}
    assert rules(group["IpPermissionsEgress"]) == egress

    tree = manifests.render_tree_from_outputs(parse_config(stack.data), {stack.stack_name: outputs})
    bindings = [d for t in tree.values() for d in yaml.safe_load_all(t) if isinstance(d, dict) and d.get("kind") == "TargetGroupBinding"]
    assert len(bindings) == 3 and all(crd.validate_binding(b) == [] for b in bindings)
    assert {b["spec"]["targetGroupARN"] for b in bindings} == {outputs[naming.target_group_output_key(s["name"])] for s in stack.data["services"]}


def test_add_and_remove_a_service_touch_nothing_else(aws, tmp_path):
    stack = Stack(aws, tmp_path, "e2e-add")
    before = stack.deploy(stack.data)
    grown = copy.deepcopy(stack.data)
    grown["services"].append({"name": "nats", "namespace": "nats", "service_port": 4222, "listener_port": 4222})
    added = stack.changes(grown)
    assert set(added) == {"NatsTargetGroup", "NatsListener", "EgressToTcp4222"} | {k for k in added if k.startswith("NatsIngressTcpFrom")}
    assert len(added) == 5 and {a for a, _ in added.values()} == {"Add"}
    after = stack.deploy(grown)
    assert {k: v for k, v in after.items() if k != "NatsTargetGroupArn"} == before

    shrunk = copy.deepcopy(stack.data)
    shrunk["services"] = [s for s in shrunk["services"] if s["name"] != "kafka"]
    removed = stack.changes(shrunk)
    kafka = {"KafkaTargetGroup", "KafkaListener", "EgressToTcp9092"} | {k for k in removed if k.startswith("KafkaIngressTcpFrom")}
    assert set(removed) == kafka | set(added) and len(removed) == 10 and {a for a, _ in removed.values()} == {"Remove"}
    final = stack.deploy(shrunk)
    assert final == {k: v for k, v in before.items() if k != "KafkaTargetGroupArn"}
    remaining = {tg["TargetGroupArn"] for tg in aws.client("elbv2").describe_target_groups(LoadBalancerArn=final["LoadBalancerArn"])["TargetGroups"]}
    assert remaining == {final["RedisTargetGroupArn"], final["OpenobserveTargetGroupArn"]}


def test_renaming_a_service_keeps_deploying(aws, tmp_path, capsys):
    # DESIGN.md, "Several load balancers": renamed services keep deploying (CloudFormation creates
    # before it deletes: no two listeners on one port in one change set)
    stack = Stack(aws, tmp_path, "e2e-rename")
    stack.deploy(stack.data)
    renamed = copy.deepcopy(stack.data)
    _service(renamed, "redis")["name"] = "cache"
    capsys.readouterr()
    assert main(["plan", stack.write(renamed), "--endpoint-url", aws.endpoint_url]) == 0
    assert "so this deploy makes two change sets" in " ".join(capsys.readouterr().out.split())
    after = stack.deploy(renamed)
    said = " ".join(capsys.readouterr().out.split())
    assert "listener port 6379 from RedisListener to service cache: CloudFormation creates and updates before it deletes, so this deploy makes two change sets" in said
    listeners = {l["Port"]: l for l in aws.client("elbv2").describe_listeners(LoadBalancerArn=after["LoadBalancerArn"])["Listeners"]}
    assert listeners[6379]["DefaultActions"][0]["TargetGroupArn"] == after["CacheTargetGroupArn"]
    assert "RedisTargetGroupArn" not in after
    capsys.readouterr()
    assert stack.deploy(renamed) == after  # converged: nothing handed any more
    assert "two change sets" not in capsys.readouterr().out


def test_reordering_services_is_an_empty_change_set(aws, tmp_path, capsys):
    stack = Stack(aws, tmp_path, "e2e-order")
    before = stack.deploy(stack.data)
    reordered = copy.deepcopy(stack.data)
    reordered["services"].reverse()
    assert stack.changes(reordered) == {}
    capsys.readouterr()
    assert stack.deploy(reordered) == before  # no changes is a success and still writes the outputs
    assert "no changes" in capsys.readouterr().out


def _play_controller(aws, tree: Path, vpc_cidr: str) -> None:
    """What the AWS Load Balancer Controller does for each TargetGroupBinding of the tree: register
    the Service's pod IPs (two made-up pods in the VPC) in the binding's target group."""
    import ipaddress

    pods = [str(ip) for ip in list(ipaddress.ip_network(vpc_cidr).hosts())[100:102]]
    elbv2 = aws.client("elbv2")
    for path in sorted(tree.rglob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if isinstance(doc, dict) and doc.get("kind") == "TargetGroupBinding":
                elbv2.register_targets(TargetGroupArn=doc["spec"]["targetGroupARN"], Targets=[{"Id": ip, "Port": 6390} for ip in pods])


def _forwarding(aws, load_balancer_arn: str) -> dict[int, dict[str, int]]:
    """listener port -> {target group ARN: weight} as the load balancer has it now."""
    elbv2 = aws.client("elbv2")
    found = {}
    for listener in elbv2.describe_listeners(LoadBalancerArn=load_balancer_arn)["Listeners"]:
        action = listener["DefaultActions"][0]
        groups = action.get("ForwardConfig", {}).get("TargetGroups") or [{"TargetGroupArn": action["TargetGroupArn"], "Weight": 1}]
        found[listener["Port"]] = {g["TargetGroupArn"]: g.get("Weight", 1) for g in groups}
    return found


def _assert_no_listener_without_healthy_targets(aws, load_balancer_arn: str) -> None:
    elbv2 = aws.client("elbv2")
    for port, groups in _forwarding(aws, load_balancer_arn).items():
        for arn, weight in groups.items():
            if weight > 0:
                health = elbv2.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"]
                assert any(t["TargetHealth"]["State"] == "healthy" for t in health), f"listener {port} forwards to {arn} without healthy targets"


def _bindings(tree: Path) -> dict[str, str]:
    """binding name -> target group ARN, over the tree."""
    docs = [doc for path in sorted(tree.rglob("*.yaml")) for doc in yaml.safe_load_all(path.read_text()) if isinstance(doc, dict)]
    return {doc["metadata"]["name"]: doc["spec"]["targetGroupARN"] for doc in docs if doc.get("kind") == "TargetGroupBinding"}


def test_target_port_change_is_staged_and_never_leaves_a_listener_without_healthy_targets(aws, tmp_path, capsys):
    stack = Stack(aws, tmp_path, "e2e-port")
    tree, outputs_file = tmp_path / "manifests", tmp_path / "outputs.json"

    def manifests(data) -> dict[str, str]:
        assert main(["manifests", stack.write(data), "--outputs", str(outputs_file), "--out", str(tree)]) == 0
        return _bindings(tree)

    before = stack.deploy(stack.data)
    lb = before["LoadBalancerArn"]
    manifests(stack.data)
    _play_controller(aws, tree, stack.data["network"]["vpc_cidr"])
    _assert_no_listener_without_healthy_targets(aws, lb)
    old_binding = naming.binding_name("redis", before["RedisTargetGroupArn"])
    old_tree = {p.relative_to(tree): p.read_bytes() for p in tree.rglob("*.yaml")}

    changed = copy.deepcopy(stack.data)
    _service(changed, "redis")["target_port"] = 6390
    capsys.readouterr()
    # staged: nothing that carries traffic is replaced, so the CI gate passes; the phase is shown
    assert main(["plan", stack.write(changed), "--endpoint-url", aws.endpoint_url, "--fail-on-replace"]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert "service redis: its target group must be replaced; this deploy creates RedisTargetGroup" in shown

    staged = stack.deploy(changed)  # 1: the new group beside the old one, weight 0
    new_arn = staged["RedisStagedTargetGroupArn"]
    assert staged["RedisTargetGroupArn"] == before["RedisTargetGroupArn"] and staged["RedisTargetRules"] == "tcp/6380"
    assert _forwarding(aws, lb)[6379] == {before["RedisTargetGroupArn"]: 1, new_arn: 0}
    _assert_no_listener_without_healthy_targets(aws, lb)
    bindings = manifests(changed)
    new_binding = naming.binding_name("redis", new_arn)
    assert bindings[old_binding] == before["RedisTargetGroupArn"] and bindings[new_binding] == new_arn
    # the live binding's file is byte for byte what it was: GitOps shows one added file
    assert {p.relative_to(tree): p.read_bytes() for p in tree.rglob("*.yaml") if p.name != "kustomization.yaml" and ".staged" not in p.name} == {
        k: v for k, v in old_tree.items() if k.name != "kustomization.yaml"
    }
    staged_doc = yaml.safe_load((tree / "data" / "redis.staged.yaml").read_text())
    assert staged_doc["spec"]["networking"]["ingress"][0]["ports"] == [{"port": 6390, "protocol": "TCP"}]

    capsys.readouterr()
    assert stack.deploy(changed) == staged  # 2: the new group has no healthy targets yet: wait
    assert "waiting for RedisTargetGroup" in " ".join(capsys.readouterr().out.split())
    assert _forwarding(aws, lb)[6379] == {before["RedisTargetGroupArn"]: 1, new_arn: 0}

    _play_controller(aws, tree, stack.data["network"]["vpc_cidr"])  # GitOps applied the staged binding
    switched = stack.deploy(changed)  # 3: healthy, so the listener switches and the old group goes
    assert switched["RedisTargetGroupArn"] == new_arn and "RedisStagedTargetGroupArn" not in switched
    assert _forwarding(aws, lb)[6379] == {new_arn: 1}
    _assert_no_listener_without_healthy_targets(aws, lb)
    elbv2 = aws.client("elbv2")
    assert before["RedisTargetGroupArn"] not in {g["TargetGroupArn"] for g in elbv2.describe_target_groups(LoadBalancerArn=lb)["TargetGroups"]}
    bindings = manifests(changed)
    assert old_binding not in bindings and bindings[new_binding] == new_arn and not (tree / "data" / "redis.staged.yaml").exists()
    assert {k: v for k, v in switched.items() if k != "RedisTargetGroupArn"} == {k: v for k, v in before.items() if k != "RedisTargetGroupArn"}

    capsys.readouterr()
    assert stack.deploy(changed) == switched  # converged: the next deploy changes nothing
    assert "no changes" in capsys.readouterr().out


def test_fail_on_replace_passes_security_group_rules_swapped_in_place(aws, tmp_path, capsys):
    """A new listener port: the listener is updated in place, and CloudFormation (and the stand-in)
    replaces its ingress rules, a new rule before the old one goes. The plan shows the swap and the
    gate passes; the deploy then holds exactly the new rules."""
    stack = Stack(aws, tmp_path, "e2e-swap")
    before = stack.deploy(stack.data)
    changed = copy.deepcopy(stack.data)
    _service(changed, "redis")["listener_port"] = 6390
    changes = stack.changes(changed)
    rules = {k for k in changes if k.startswith("RedisIngressTcpFrom")}
    assert len(rules) == 2 and changes == {"RedisListener": ("Modify", "False")} | {k: ("Modify", "True") for k in rules}
    capsys.readouterr()
    assert main(["plan", stack.write(changed), "--endpoint-url", aws.endpoint_url, "--fail-on-replace"]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert "2 replaced" in shown and "--fail-on-replace: passes; not counted: 2 security group rule(s) swapped in place" in shown

    after = stack.deploy(changed)
    assert after == before
    group = aws.client("ec2").describe_security_groups(GroupIds=[after[naming.SECURITY_GROUP_OUTPUT]])["SecurityGroups"][0]
    assert {(p["FromPort"], p["ToPort"]) for p in group["IpPermissions"]} == {(6390, 6390), (31021, 31021), (5080, 5080)}


def test_fail_on_replace_fails_on_a_replacement_that_costs_connectivity(aws, tmp_path, capsys):
    """A new scheme replaces the load balancer (a new DNS name) and so every listener on it: the gate
    fails and names each by service. (A target group deploy would replace is staged instead, so a
    target port change passes: see the test above.)"""
    stack = Stack(aws, tmp_path, "e2e-scheme")
    stack.deploy(stack.data)
    changed = copy.deepcopy(stack.data)
    changed["load_balancer"]["scheme"] = "internet-facing"
    changes = stack.changes(changed)
    assert changes["LoadBalancer"] == ("Modify", "True") and changes["RedisListener"] == ("Modify", "Conditional")
    capsys.readouterr()
    assert main(["plan", stack.write(changed), "--endpoint-url", aws.endpoint_url, "--fail-on-replace"]) == 1
    shown = " ".join(capsys.readouterr().out.split())
    assert (
        "--fail-on-replace: 4 replacement(s) cost connectivity: listener of service kafka (KafkaListener), the load balancer (LoadBalancer), "
        "listener of service openobserve (OpenobserveListener), listener of service redis (RedisListener)"
    ) in shown


def test_deletion_protection_refuses_delete_until_turned_off(aws, tmp_path):
    stack = Stack(aws, tmp_path, "e2e-delete")
    stack.data["stack"]["termination_protection"] = False  # opted out: the load balancer's deletion protection alone is tested here
    outputs = stack.deploy(stack.data)
    with pytest.raises(UserError, match=r"^stack shared-nlb-e2e-delete was not deleted: its load balancer has deletion protection on; set load_balancer.deletion_protection: false, deploy, then delete$"):
        stack.cfn.delete_stack(stack.stack_name)
    elbv2 = aws.client("elbv2")
    assert len(elbv2.describe_target_groups(LoadBalancerArn=outputs["LoadBalancerArn"])["TargetGroups"]) == 3  # nothing deleted

    unprotected = copy.deepcopy(stack.data)
    unprotected["load_balancer"]["deletion_protection"] = False
    assert stack.changes(unprotected) == {"LoadBalancer": ("Modify", "False")}
    stack.deploy(unprotected)
    stack.cfn.delete_stack(stack.stack_name)
    assert stack.cfn.stack(stack.stack_name) is None
    assert outputs["LoadBalancerArn"] not in {lb["LoadBalancerArn"] for lb in elbv2.describe_load_balancers()["LoadBalancers"]}


def test_demo_runs_offline_as_a_subprocess(tmp_path):
    result = subprocess.run([str(Path(sys.executable).parent / "shared-nlb"), "demo", "--out", str(tmp_path / "demo")], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    config = load_config(ROOT / "examples" / "shared-nlb.yaml")
    (stack_name, outputs), = json.loads((tmp_path / "demo" / "outputs.json").read_text()).items()
    assert stack_name == config.stack_name
    assert set(outputs) == set(naming.SHARED_OUTPUT_KEYS) | {naming.target_group_output_key(s.name) for s in config.services}
    template = json.loads((tmp_path / "demo" / f"{stack_name}.template.json").read_text())
    assert sorted(k for k, r in template["Resources"].items() if r["Type"] == "AWS::ElasticLoadBalancingV2::Listener") == sorted(naming.listener_id(s.name) for s in config.services)
    bindings = []
    for service in config.services:  # each binding names its service's deployed target group, in the stand-in's VPC
        binding = yaml.safe_load((tmp_path / "demo" / "manifests" / naming.manifest_path(service.namespace, service.name)).read_text())
        assert binding["metadata"]["name"] == naming.binding_name(service.name, outputs[naming.target_group_output_key(service.name)])
        assert (binding["spec"]["targetGroupARN"], binding["spec"]["vpcID"]) == (outputs[naming.target_group_output_key(service.name)], outputs[naming.VPC_ID_OUTPUT])
        # the line the demo prints for the service's listener
        assert f"listener {service.listener_port}/{service.protocol} -> {service.namespace}/{service.k8s_service}:{service.service_port}" in result.stdout
        bindings.append(binding)
    assert crd.validate_bindings(bindings) == []


def test_demo_refuses_two_bindings_of_one_target_group(monkeypatch):
    from shared_nlb.commands import demo

    arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/a/0123456789abcdef"

    def binding(name):
        return {"apiVersion": "elbv2.k8s.aws/v1beta1", "kind": "TargetGroupBinding", "metadata": {"name": name, "namespace": "data"}, "spec": {"serviceRef": {"name": name, "port": 6379}, "targetGroupARN": arn, "targetType": "ip"}}

    tree = {f"data/{n}.yaml": manifests.to_yaml(binding(n)) for n in ("a", "b")}
    monkeypatch.setattr(manifests, "render_tree_from_outputs", lambda config, outputs: tree)
    config = load_config(ROOT / "examples" / "shared-nlb.yaml")
    with pytest.raises(UserError, match=r"^1 CRD problem\(s\) in the generated bindings, first: data/b: spec.targetGroupARN: .* is already bound by data/a"):
        demo._bindings(config, {})


def test_a_template_too_large_for_a_change_set_goes_through_the_bootstrap_bucket(aws, tmp_path, capsys):
    """50 services: the template is over CreateChangeSet's 51,200-byte TemplateBody limit even without
    indentation, so deploy puts it in the CDK bootstrap bucket, as `cdk deploy` does."""
    from shared_nlb.changeset import BOOTSTRAP_BUCKET, MAX_TEMPLATE_BODY
    from shared_nlb.synth import template_text

    stack = Stack(aws, tmp_path, "e2e-large")
    data = copy.deepcopy(stack.data)
    data["clients"] = data["clients"][:1]  # 50 listeners x 2 clients would pass the security group rule quota
    redis = _service(data, "redis")
    data["services"] = [{**redis, "name": f"svc-{i:02d}", "listener_port": 10000 + i} for i in range(50)]
    minified = json.dumps(json.loads(template_text(parse_config(data))), separators=(",", ":"))
    assert len(minified.encode()) > MAX_TEMPLATE_BODY
    account = aws.client("sts").get_caller_identity()["Account"]
    bucket = BOOTSTRAP_BUCKET.format(account=account, region=aws.region)

    s3 = aws.client("s3")
    # the stand-in is bootstrapped (shared_nlb.standin.seed_bootstrap): undo that. moto's state is one per
    # process: a test_standin test run by this worker in between (mock_aws resets moto on exit) may
    # have taken the bucket away already.
    # Other deploys of this worker may have put large templates there: empty it first.
    if bucket in {b["Name"] for b in s3.list_buckets()["Buckets"]}:
        for stored in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
            s3.delete_object(Bucket=bucket, Key=stored["Key"])
        s3.delete_bucket(Bucket=bucket)
    out = tmp_path / "outputs.json"
    deploy = ["deploy", stack.write(data), "--endpoint-url", aws.endpoint_url, "--outputs-file", str(out), "--yes"]
    assert main(deploy) == 1  # not bootstrapped: no bucket
    err = capsys.readouterr().err
    assert f"upload the template to s3://{bucket} (is the environment bootstrapped?)" in err and len(err.splitlines()) == 1
    assert not out.exists() and stack.cfn.stack(stack.stack_name) is None

    s3.create_bucket(Bucket=bucket)
    assert main(deploy) == 0
    outputs = json.loads(out.read_text())[stack.stack_name]
    assert {k for k in outputs if k.endswith("TargetGroupArn")} == {naming.target_group_output_key(f"svc-{i:02d}") for i in range(50)}
    stored = {s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read().decode() for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert minified in stored and len(stored) == 2  # a new stack's two change sets: its load balancer unprotected, then protected


def test_demo_refuses_a_manifests_folder_it_did_not_write_and_writes_nothing(tmp_path, capsys):
    """The demo's tree follows the manifests command's rule (manifests.check_replaceable), checked
    before the stand-in starts, so a refusal leaves every output of the folder as it was."""
    out = tmp_path / "demo"
    (out / "manifests").mkdir(parents=True)
    (out / "manifests" / "mine.yaml").write_text("kind: ConfigMap\n")
    (out / "outputs.json").write_text("previous bytes")
    assert main(["demo", "--out", str(out)]) == 1
    assert "refusing to replace it" in capsys.readouterr().err
    assert (out / "outputs.json").read_text() == "previous bytes"
    assert sorted(p.name for p in out.rglob("*")) == ["manifests", "mine.yaml", "outputs.json"]


PREVIOUS = ROOT / "tests" / "data" / "previous"


@pytest.mark.parametrize(("config", "template"), [("example", "shared-nlb-core.template.json"), ("rich.yaml", "shared-nlb-rich.template.json")])
def test_upgrade_from_the_previous_release_replaces_nothing_and_keeps_every_rule(aws, tmp_path, config, template):
    """A stack deployed from the generic-CfnResource release (its templates are kept in
    tests/data/previous), planned and deployed with the L2 construct and the same config: no load
    balancer, listener, target group or security group rule is replaced or removed, and EC2 still
    holds every rule afterwards (a rule whose resource moved would be revoked by the old one's delete)."""
    base = example_dict() if config == "example" else yaml.safe_load((PREVIOUS / config).read_text())
    old_name, new_name = base["name"], f"upg-{base['name']}"
    base["name"] = new_name
    _, mapping = standin.create_network(aws, parse_config(base))
    data = _mapped(base, mapping)
    text = (PREVIOUS / template).read_text()
    for configured, created in mapping.items():  # as the previous release would have written it for these IDs
        text = text.replace(configured, created).replace(naming.pascal(configured), naming.pascal(created))
    text = text.replace(f"shared-nlb-{old_name}", f"shared-nlb-{new_name}").replace(f"shared-nlb {old_name}:", f"shared-nlb {new_name}:")
    stack_name = naming.default_stack_name(new_name)
    cfn = CloudFormation(endpoint_url=aws.endpoint_url, region=aws.region, session=aws.session(), poll_seconds=0)
    cfn.execute(cfn.create_change_set(stack_name, text, name="previous"))
    before = cfn.outputs(stack_name)
    ec2 = aws.client("ec2")

    def rules() -> set[tuple]:
        group = ec2.describe_security_groups(GroupIds=[before[naming.SECURITY_GROUP_OUTPUT]])["SecurityGroups"][0]
        peers = ("IpRanges", "CidrIp"), ("Ipv6Ranges", "CidrIpv6"), ("PrefixListIds", "PrefixListId"), ("UserIdGroupPairs", "GroupId")
        return {
            (direction, p["IpProtocol"], p.get("FromPort"), p.get("ToPort"), r[key])
            for direction in ("IpPermissions", "IpPermissionsEgress")
            for p in group[direction]
            for kind, key in peers
            for r in p.get(kind, [])
        }

    rules_before = rules()
    assert len(rules_before) > 4
    stack = Stack.__new__(Stack)  # its deploy only; the network is the one mapped here, for the reach config
    stack.aws, stack.tmp, stack.stack_name, stack.cfn, stack.data = aws, tmp_path, stack_name, cfn, data
    changes = stack.changes(data)
    assert not {k for k, (action, replacement) in changes.items() if action in ("Remove", "Add") or replacement == "True"}, changes
    assert set(changes) <= {k for k, (action, _) in changes.items() if action == "Modify"}
    after = stack.deploy(data)
    assert after == before  # same load balancer, listeners' target groups and security group
    assert rules() == rules_before


def test_a_construct_built_stack_gives_its_manifests_from_the_outputs_alone(aws, tmp_path, capsys):
    """A CDK user's stack (no config file): deployed, its outputs file in the `cdk deploy
    --outputs-file` shape, and `shared-nlb manifests --outputs FILE` renders valid bindings of the
    deployed target groups."""
    from aws_cdk import App, Fn
    from aws_cdk import Stack as CdkStack
    from aws_cdk import aws_ec2 as ec2
    from aws_cdk import aws_elasticloadbalancingv2 as elbv2

    from constructs_lib import SharedNetworkLoadBalancer
    from shared_nlb.synth import synthesize

    base = example_dict()
    base["name"] = "e2e-construct"
    _, mapping = standin.create_network(aws, parse_config(base))
    app = App(outdir=str(tmp_path / "cdk.out"), analytics_reporting=False)
    edge = CdkStack(app, "e2e-construct-edge")
    vpc = ec2.Vpc.from_vpc_attributes(edge, "Vpc", vpc_id=mapping["vpc-0a1b2c3d4e5f60718"], vpc_cidr_block="10.0.0.0/16", availability_zones=Fn.get_azs())
    subnets = [ec2.Subnet.from_subnet_id(edge, s, mapping[s]) for s in base["network"]["subnet_ids"]]
    tasks = ec2.SecurityGroup.from_security_group_id(edge, "Tasks", mapping["sg-0ec5000000000001a"])
    shared = SharedNetworkLoadBalancer(edge, "Shared", vpc=vpc, vpc_subnets=ec2.SubnetSelection(subnets=subnets), clients=[tasks], deletion_protection=False)
    shared.add_service("redis", namespace="data", service_port=6380, listener_port=6379)
    shared.add_service("dns", namespace="kube-system", service="kube-dns", service_port=53, listener_port=53, protocol=elbv2.Protocol.TCP_UDP)
    assembly = synthesize(app)
    text = (Path(assembly.directory) / f"{edge.artifact_id}.template.json").read_text()
    cfn = CloudFormation(endpoint_url=aws.endpoint_url, region=aws.region, session=aws.session(), poll_seconds=0)
    cfn.execute(cfn.create_change_set(edge.stack_name, text, name="construct"))
    outputs_file = tmp_path / "outputs.json"
    outputs_file.write_text(json.dumps({edge.stack_name: cfn.outputs(edge.stack_name)}))
    out = tmp_path / "manifests"
    assert main(["manifests", "--outputs", str(outputs_file), "--out", str(out)]) == 0
    bindings = {p.relative_to(out).as_posix(): yaml.safe_load(p.read_text()) for p in out.rglob("*.yaml") if p.name != "kustomization.yaml"}
    assert sorted(bindings) == ["data/redis.yaml", "kube-system/dns.yaml"]
    assert all(crd.validate_binding(b) == [] for b in bindings.values())
    groups = {tg["TargetGroupArn"]: tg for tg in aws.client("elbv2").describe_target_groups()["TargetGroups"]}
    redis, dns = bindings["data/redis.yaml"], bindings["kube-system/dns.yaml"]
    assert groups[redis["spec"]["targetGroupARN"]]["Port"] == 6380
    assert groups[dns["spec"]["targetGroupARN"]]["Protocol"] == "TCP_UDP"
    assert dns["spec"]["serviceRef"] == {"name": "kube-dns", "port": 53}
    assert dns["spec"]["networking"]["ingress"][0]["ports"] == [{"port": 53, "protocol": "TCP"}, {"port": 53, "protocol": "UDP"}]
    assert redis["spec"]["vpcID"] == mapping["vpc-0a1b2c3d4e5f60718"]
    # the same outputs file without binding outputs: one line saying what is missing
    outputs_file.write_text(json.dumps({"other": {"Key": "value"}}))
    capsys.readouterr()
    assert main(["manifests", "--outputs", str(outputs_file), "--out", str(tmp_path / "m2")]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        f"shared-nlb manifests: {outputs_file}: has no shared-nlb binding outputs (stacks in the file: other); deploy a stack with SharedNetworkLoadBalancer, or pass the config file the stack was built from"
    ]


def test_plan_keeps_logical_ids_whole_on_one_line_when_not_a_terminal(aws, tmp_path, capsys):
    """CI logs are searched by logical ID: off a terminal, no table cell is folded over two lines."""
    stack = Stack(aws, tmp_path, "e2e-long-ids")
    data = copy.deepcopy(stack.data)
    long_name = "payments-ledger-reconciliation-" + "x" * 28  # 59 characters, a valid Service name
    _service(data, "kafka")["name"] = long_name
    capsys.readouterr()
    assert main(["plan", stack.write(data), "--endpoint-url", aws.endpoint_url]) == 0
    lines = capsys.readouterr().out.splitlines()
    ids = [naming.listener_id(long_name), naming.target_group_id(long_name)]
    assert len(ids[0]) > 60
    for logical_id in ids:
        assert any(logical_id in line for line in lines), f"{logical_id} is folded over lines"


def test_nlb_and_target_group_settings_deploy_and_read_back(aws, tmp_path):
    """Every NLB and target group setting deploys, and the attributes read back as AWS keeps them."""
    stack = Stack(aws, tmp_path, "e2e-settings")
    data = copy.deepcopy(stack.data)
    data["load_balancer"].update(zonal_shift=True, cross_zone=True, client_routing_policy="availability_zone_affinity", minimum_capacity_units=5500)
    _service(data, "kafka").update(target_group_health={"minimum_healthy_targets": 2, "minimum_healthy_targets_percentage": "off"}, unhealthy_draining_seconds=300, connection_termination=True)
    outputs = stack.deploy(data)
    elbv2 = aws.client("elbv2")
    attributes = {a["Key"]: a["Value"] for a in elbv2.describe_load_balancer_attributes(LoadBalancerArn=outputs["LoadBalancerArn"])["Attributes"]}
    assert (attributes["zonal_shift.config.enabled"], attributes["dns_record.client_routing_policy"], attributes["load_balancing.cross_zone.enabled"]) == ("true", "availability_zone_affinity", "true")
    kafka = {a["Key"]: a["Value"] for a in elbv2.describe_target_group_attributes(TargetGroupArn=outputs["KafkaTargetGroupArn"])["Attributes"]}
    assert {k: kafka.get(k) for k in (
        "target_group_health.dns_failover.minimum_healthy_targets.count",
        "target_group_health.dns_failover.minimum_healthy_targets.percentage",
        "deregistration_delay.connection_termination.enabled",
        "target_health_state.unhealthy.connection_termination.enabled",
        "target_health_state.unhealthy.draining_interval_seconds",
    )} == {
        "target_group_health.dns_failover.minimum_healthy_targets.count": "2",
        "target_group_health.dns_failover.minimum_healthy_targets.percentage": "off",
        "deregistration_delay.connection_termination.enabled": "true",
        "target_health_state.unhealthy.connection_termination.enabled": "false",
        "target_health_state.unhealthy.draining_interval_seconds": "300",
    }
    redis = {a["Key"]: a["Value"] for a in elbv2.describe_target_group_attributes(TargetGroupArn=outputs["RedisTargetGroupArn"])["Attributes"]}
    assert redis["target_health_state.unhealthy.connection_termination.enabled"] == "false"


def test_dns_privatelink_and_alarms_are_in_place(aws, tmp_path):
    from tests.test_reach import ACCOUNT, ROLE, TOPIC, ZONE, reach_dict

    data = reach_dict()
    data["name"] = "e2e-reach"
    mapped, mapping = standin.create_network(aws, parse_config(data))
    stack = Stack.__new__(Stack)  # its deploy only; the network is the one mapped here, for the reach config
    stack.aws, stack.tmp, stack.stack_name = aws, tmp_path, naming.default_stack_name("e2e-reach")
    outputs = stack.deploy(_mapped(data, mapping))
    zone = mapping[ZONE]
    assert zone.startswith("Z") and aws.client("route53").get_hosted_zone(Id=zone)["HostedZone"]["Config"]["PrivateZone"] is True
    balancer = aws.client("elbv2").describe_load_balancers(LoadBalancerArns=[outputs["LoadBalancerArn"]])["LoadBalancers"][0]
    records = {(r["Name"], r["Type"]): r.get("AliasTarget") for r in aws.client("route53").list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"] if r["Type"] in ("A", "AAAA")}
    alias = {"HostedZoneId": balancer["CanonicalHostedZoneId"], "DNSName": f"dualstack.{balancer['DNSName']}"}
    assert records == {(f"{name}.internal.example.com.", kind): alias for name in ("redis", "kafka-bootstrap") for kind in ("A", "AAAA")}
    assert (outputs["RedisDnsName"], outputs["KafkaBootstrapDnsName"]) == ("redis.internal.example.com", "kafka-bootstrap.internal.example.com")

    ec2 = aws.client("ec2")
    (service,) = [s for s in ec2.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"] if s["NetworkLoadBalancerArns"] == [outputs["LoadBalancerArn"]]]
    assert (service["ServiceName"], service["AcceptanceRequired"]) == (outputs["EndpointServiceName"], True)
    principals = ec2.describe_vpc_endpoint_service_permissions(ServiceId=service["ServiceId"])["AllowedPrincipals"]
    assert sorted(p["Principal"] for p in principals) == [ACCOUNT, ROLE]

    alarms = {a["AlarmName"]: a for a in aws.client("cloudwatch").describe_alarms(AlarmNamePrefix="shared-nlb-e2e-reach-")["MetricAlarms"]}
    assert sorted(alarms) == ["shared-nlb-e2e-reach-kafka-bootstrap-no-healthy-targets", "shared-nlb-e2e-reach-redis-no-healthy-targets"]
    redis = alarms["shared-nlb-e2e-reach-redis-no-healthy-targets"]
    group = outputs["RedisTargetGroupArn"].rsplit(":", 1)[1]
    assert redis["Dimensions"] == [{"Name": "LoadBalancer", "Value": outputs["LoadBalancerArn"].split(":loadbalancer/")[1]}, {"Name": "TargetGroup", "Value": group}]
    assert (redis["AlarmActions"], redis["OKActions"], redis["TreatMissingData"]) == ([TOPIC], [TOPIC], "breaching")
