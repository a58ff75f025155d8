"""Teardown only on purpose, end to end on the stand-in: `shared-nlb deploy` leaves the stack with
termination protection, so DeleteStack is refused with nothing deleted; `shared-nlb destroy` is the one
way down (one NLB of several with `--nlb`), and running it again finishes a destroy that failed half-way."""

from __future__ import annotations

import copy
import json

import pytest
from botocore.exceptions import ClientError

from shared_nlb import naming
from shared_nlb.changeset import ResourceLabels
from shared_nlb.cli import main
from shared_nlb.config import parse_config
from shared_nlb.errors import UserError
from shared_nlb.teardown import inventory
from tests.factories import PUBLIC_SUBNETS, base_dict, write
from tests.test_e2e import Stack, _mapped

pytestmark = pytest.mark.e2e


def _destroy(capsys, stack, data, *extra):
    """(exit status, stdout as one line, stderr lines) of `shared-nlb destroy` for `data`."""
    capsys.readouterr()
    code = main(["destroy", stack.write(data), "--endpoint-url", stack.aws.endpoint_url, *extra])
    captured = capsys.readouterr()
    return code, " ".join(captured.out.split()), captured.err.splitlines()


def _protected(aws, stack_name):
    return aws.client("cloudformation").describe_stacks(StackName=stack_name)["Stacks"][0]["EnableTerminationProtection"]


def _balancers(aws):
    return {lb["LoadBalancerArn"] for lb in aws.client("elbv2").describe_load_balancers()["LoadBalancers"]}


def _target_groups(aws):
    return {tg["TargetGroupArn"] for tg in aws.client("elbv2").describe_target_groups()["TargetGroups"]}


def test_deploy_leaves_the_stack_protected_and_delete_stack_is_refused_with_nothing_deleted(aws, tmp_path):
    stack = Stack(aws, tmp_path, "td-protected")
    outputs = stack.deploy(stack.data)
    assert _protected(aws, stack.stack_name) is True
    groups = _target_groups(aws)
    with pytest.raises(ClientError, match=rf"\(ValidationError\) when calling the DeleteStack operation: Stack \[{stack.stack_name}\] cannot be deleted while TerminationProtection is enabled$"):
        aws.client("cloudformation").delete_stack(StackName=stack.stack_name)
    with pytest.raises(UserError, match="has termination protection on"):  # shared-nlb's own deletion refuses up front too
        stack.cfn.delete_stack(stack.stack_name)
    assert stack.cfn.stack(stack.stack_name)["StackStatus"] in ("CREATE_COMPLETE", "UPDATE_COMPLETE")
    assert outputs["LoadBalancerArn"] in _balancers(aws) and _target_groups(aws) == groups  # nothing deleted
    listeners = aws.client("elbv2").describe_listeners(LoadBalancerArn=outputs["LoadBalancerArn"])["Listeners"]
    assert len(listeners) == len(stack.data["services"])


def test_the_opt_out_key_deploys_an_unprotected_stack_and_back(aws, tmp_path):
    """deploy makes the stack's termination protection the config's, both ways (an empty change set
    included: a stack deployed before the key existed is protected by its next deploy)."""
    stack = Stack(aws, tmp_path, "td-opt-out")
    unprotected = copy.deepcopy(stack.data)
    unprotected["stack"]["termination_protection"] = False
    stack.deploy(unprotected)
    assert _protected(aws, stack.stack_name) is False
    stack.deploy(stack.data)  # no change to the template: only the protection
    assert _protected(aws, stack.stack_name) is True
    stack.deploy(unprotected)
    assert _protected(aws, stack.stack_name) is False


def test_destroy_shows_what_goes_asks_and_leaves_no_stack(aws, tmp_path, capsys):
    stack = Stack(aws, tmp_path, "td-destroy")
    outputs = stack.deploy(stack.data)
    outputs_file = tmp_path / "outputs.json"
    bindings = sorted(f"{s['namespace']}/{naming.binding_name(s['name'], outputs[naming.target_group_output_key(s['name'])])}" for s in stack.data["services"])

    # without --yes and without a terminal: nothing changes, protections included
    code, out, err = _destroy(capsys, stack, stack.data, "--outputs-file", str(outputs_file))
    assert (code, err) == (1, ["shared-nlb destroy: not executed: confirmation needs a terminal; pass --yes to execute without asking"])
    assert f"stack {stack.stack_name} (NLB {stack.stack_name}, UPDATE_COMPLETE) goes, with" in out
    assert f"the load balancer (LoadBalancer): {outputs['LoadBalancerArn']}" in out
    assert "service redis: ingress rule (2), listener, target group" in out
    assert "TargetGroupBindings to remove from the GitOps tree (and the cluster) first, as their target groups go: " + " ".join(bindings) in out
    assert _protected(aws, stack.stack_name) is True and outputs["LoadBalancerArn"] in _balancers(aws)
    assert json.loads(outputs_file.read_text())[stack.stack_name] == outputs

    code, out, err = _destroy(capsys, stack, stack.data, "--yes", "--outputs-file", str(outputs_file))
    assert (code, err) == (0, [])
    assert f"stack {stack.stack_name}: termination protection lifted" in out
    assert f"load balancer {outputs['LoadBalancerArn']}: deletion protection lifted" in out
    assert f"stack {stack.stack_name}: deleted" in out
    assert stack.cfn.stack(stack.stack_name) is None
    assert outputs["LoadBalancerArn"] not in _balancers(aws)
    assert not {outputs[naming.target_group_output_key(s["name"])] for s in stack.data["services"]} & _target_groups(aws)
    assert json.loads(outputs_file.read_text()) == {stack.stack_name: {}}

    # the manifests then hold no binding: GitOps prunes them
    tree = tmp_path / "manifests"
    assert main(["manifests", stack.write(stack.data), "--outputs", str(outputs_file), "--out", str(tree)]) == 0
    assert sorted(p.name for p in tree.rglob("*.yaml")) == ["kustomization.yaml"]
    assert "resources: []" in (tree / "kustomization.yaml").read_text()

    # and again: nothing to destroy
    code, out, err = _destroy(capsys, stack, stack.data, "--yes")
    assert (code, err) == (0, []) and f"stack {stack.stack_name} (NLB {stack.stack_name}): nothing to destroy, it does not exist" in out


def test_an_unknown_nlb_is_one_line_listing_the_nlbs(aws, tmp_path, capsys):
    stack = Stack(aws, tmp_path, "td-unknown")
    code, _, err = _destroy(capsys, stack, stack.data, "--nlb", "public")
    assert (code, err) == (1, [f"shared-nlb destroy: --nlb public: no such NLB in td-unknown; its NLBs: {stack.stack_name}"])


def test_destroy_of_one_nlb_of_several_leaves_the_others(aws, tmp_path, capsys):
    from shared_nlb import standin

    data = base_dict(
        [
            {"name": "redis", "namespace": "data", "service_port": 6379, "listener_port": 6379},
            {"name": "kafka", "namespace": "kafka", "service_port": 9092, "listener_port": 9092, "load_balancer": "public"},
        ]
    )
    data["name"] = "td-lbs"
    data["load_balancers"] = [{"name": "internal"}, {"name": "public", "scheme": "internet-facing", "subnet_ids": PUBLIC_SUBNETS, "clients": [{"cidr": "203.0.113.0/24"}]}]
    _, mapping = standin.create_network(aws, parse_config(data))
    data = _mapped(data, mapping)
    path, out = str(write(tmp_path, data)), tmp_path / "outputs.json"
    assert main(["deploy", path, "--endpoint-url", aws.endpoint_url, "--outputs-file", str(out), "--yes"]) == 0
    deployed = json.loads(out.read_text())
    internal, public = "shared-nlb-td-lbs-internal", "shared-nlb-td-lbs-public"
    assert _protected(aws, internal) is True and _protected(aws, public) is True

    capsys.readouterr()
    assert main(["destroy", path, "--nlb", "public", "--yes", "--endpoint-url", aws.endpoint_url, "--outputs-file", str(out)]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    kafka = f"kafka/{naming.binding_name('kafka', deployed[public]['KafkaTargetGroupArn'])}"
    assert f"stack {public} (NLB public, UPDATE_COMPLETE) goes" in printed and kafka in printed and internal not in printed
    cfn = aws.client("cloudformation")
    assert [s["StackStatus"] for s in cfn.describe_stacks(StackName=internal)["Stacks"]] in (["CREATE_COMPLETE"], ["UPDATE_COMPLETE"])
    with pytest.raises(ClientError, match="does not exist"):
        cfn.describe_stacks(StackName=public)
    assert deployed[public]["LoadBalancerArn"] not in _balancers(aws) and deployed[internal]["LoadBalancerArn"] in _balancers(aws)
    assert json.loads(out.read_text()) == {internal: deployed[internal], public: {}}

    # the tree keeps the other NLB's bindings only
    tree = tmp_path / "manifests"
    assert main(["manifests", path, "--outputs", str(out), "--out", str(tree)]) == 0
    assert sorted(str(p.relative_to(tree)) for p in tree.rglob("*.yaml")) == ["data/redis.yaml", "kustomization.yaml"]


def test_a_destroy_that_fails_half_way_is_finished_by_running_it_again(aws, tmp_path, capsys, monkeypatch):
    """The load balancer's delete fails after the listeners and target groups are gone, as ELB refuses
    to delete a load balancer still associated with another service (ResourceInUse): the stack is
    left in DELETE_FAILED, unprotected. The same command again finishes it."""
    from moto.elbv2.exceptions import ELBClientError
    from moto.elbv2.models import ELBv2Backend

    stack = Stack(aws, tmp_path, "td-half")
    outputs = stack.deploy(stack.data)
    arn = outputs["LoadBalancerArn"]
    fixed = ELBv2Backend.delete_load_balancer  # the stand-in's own, with its deletion protection check

    def in_use(self, balancer_arn):
        if balancer_arn == arn:
            raise ELBClientError("ResourceInUse", f"Load balancer '{balancer_arn}' cannot be deleted because it is currently associated with another service")
        return fixed(self, balancer_arn)

    monkeypatch.setattr(ELBv2Backend, "delete_load_balancer", in_use)
    code, _, err = _destroy(capsys, stack, stack.data, "--yes")
    assert code == 1 and len(err) == 1
    assert err[0].startswith(f"shared-nlb destroy: stack {stack.stack_name} ended in DELETE_FAILED: the load balancer (LoadBalancer): ResourceInUse")
    assert err[0].endswith("; fix that and run destroy again: it finishes the deletion (what is deleted stays deleted)")
    assert stack.cfn.stack(stack.stack_name)["StackStatus"] == "DELETE_FAILED" and _protected(aws, stack.stack_name) is False
    assert arn in _balancers(aws)

    monkeypatch.setattr(ELBv2Backend, "delete_load_balancer", fixed)
    code, out, err = _destroy(capsys, stack, stack.data, "--yes")
    assert (code, err) == (0, [])
    assert f"stack {stack.stack_name} (NLB {stack.stack_name}, DELETE_FAILED) goes, with" in out and f"stack {stack.stack_name}: deleted" in out
    assert "termination protection lifted" not in out  # lifted by the first run already
    assert stack.cfn.stack(stack.stack_name) is None and arn not in _balancers(aws)


def test_the_inventory_names_bindings_of_target_groups_a_half_done_deletion_took():
    arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/a/0123456789abcdef"
    resources = [
        {"LogicalResourceId": "LoadBalancer", "ResourceType": "AWS::ElasticLoadBalancingV2::LoadBalancer", "PhysicalResourceId": "lb-arn", "ResourceStatus": "DELETE_FAILED"},
        {"LogicalResourceId": "RedisTargetGroup", "ResourceType": "AWS::ElasticLoadBalancingV2::TargetGroup", "PhysicalResourceId": arn, "ResourceStatus": "DELETE_COMPLETE"},
        {"LogicalResourceId": "OldTargetGroup", "ResourceType": "AWS::ElasticLoadBalancingV2::TargetGroup", "PhysicalResourceId": arn.replace("/a/", "/b/"), "ResourceStatus": "CREATE_COMPLETE"},
    ]
    found = inventory("s", resources, ResourceLabels(["redis"]), {"redis": "data"})
    assert found.count == 2 and found.bindings == (f"data/{naming.binding_name('redis', arn)}",)
    assert found.shared == ("the load balancer (LoadBalancer): lb-arn", f"OldTargetGroup: {arn.replace('/a/', '/b/')}")
    assert found.unbound == (f"OldTargetGroup ({arn.replace('/a/', '/b/')})",)
