"""No failed deploy is a dead end, end to end through the command line on the stand-in: a failed first
create, a rollback blocked by deletion protection (left by releases that created the load balancer
protected), a stack deleted half-way after it was in service, and an update whose rollback failed.
The stand-in reproduces each as CloudFormation produces it (shared_nlb/standin/rollback.py)."""

from __future__ import annotations

import copy
import json

import pytest

from shared_nlb.deploy import recover
from shared_nlb.changeset import ResourceLabels
from shared_nlb.cli import main
from shared_nlb.config import parse_config
from shared_nlb.errors import UserError
from tests.test_e2e import Stack

pytestmark = pytest.mark.e2e

MISSING = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"


def _tls(data, name, certificate, port):
    """`data` with one more service, `name`, a TLS listener on `port` with `certificate`."""
    out = copy.deepcopy(data)
    out["services"] = [s for s in out["services"] if s["name"] != name] + [
        {"name": name, "namespace": "data", "service_port": 8443, "listener_port": port, "protocol": "TLS", "certificate_arn": certificate}
    ]
    return out


def _certificate(aws, name):
    return aws.client("acm").request_certificate(DomainName=f"{name}.example.com")["CertificateArn"]


def _run(capsys, stack, command, data, *extra):
    """(exit status, stdout as one line, stderr lines) of `shared-nlb COMMAND` for `data`."""
    capsys.readouterr()
    args = [command, stack.write(data), "--endpoint-url", stack.aws.endpoint_url, *extra]
    if command == "deploy":
        args += ["--outputs-file", str(stack.tmp / "outputs.json"), "--yes"]
    code = main(args)
    captured = capsys.readouterr()
    return code, " ".join(captured.out.split()), captured.err.splitlines()


def _status(stack):
    found = stack.cfn.stack(stack.stack_name)
    return found["StackStatus"] if found else None


def _protection(aws, arn):
    attributes = aws.client("elbv2").describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]
    return next(a["Value"] for a in attributes if a["Key"] == "deletion_protection.enabled")


def _balancers(aws):
    return {lb["LoadBalancerArn"] for lb in aws.client("elbv2").describe_load_balancers()["LoadBalancers"]}


def _outputs(stack):
    return json.loads((stack.tmp / "outputs.json").read_text())[stack.stack_name]


def test_a_new_stack_is_created_unprotected_then_protected_and_plan_says_so(aws, tmp_path, capsys):
    stack = Stack(aws, tmp_path, "rec-new")
    code, out, _ = _run(capsys, stack, "plan", stack.data)
    assert code == 0 and recover.PROTECTED_LATER in out and "(CREATE)" in out and _status(stack) is None

    code, out, err = _run(capsys, stack, "deploy", stack.data)
    assert (code, err) == (0, [])
    assert recover.PROTECTED_LATER in out
    assert f"stack {stack.stack_name} created; turning on its load balancer's deletion protection (second change set)" in out
    assert f"change set for stack {stack.stack_name} (UPDATE): 0 to add, 1 to modify, 0 to remove, 0 replaced" in out
    assert _protection(aws, _outputs(stack)["LoadBalancerArn"]) == "true"
    assert stack.changes(stack.data) == {}  # the stack is the config's, protection included

    unprotected = copy.deepcopy(stack.data)
    unprotected["name"], unprotected["load_balancer"]["deletion_protection"] = "rec-new-off", False
    other = Stack(aws, tmp_path / "off", "rec-new-off")
    other.tmp.mkdir()
    code, out, _ = _run(capsys, other, "deploy", {**other.data, "load_balancer": unprotected["load_balancer"]})
    assert code == 0 and "second change set" not in out and "deletion protection" not in out


def test_a_failed_first_create_rolls_back_and_the_fixed_config_deploys(aws, tmp_path, capsys):
    from shared_nlb.synth import template_text

    stack = Stack(aws, tmp_path, "rec-first")
    broken = _tls(stack.data, "secure", MISSING, 443)
    code, out, err = _run(capsys, stack, "deploy", broken)
    missing = f"CertificateNotFound: Certificate '{MISSING}' not found"
    assert code == 1 and f"CREATE_FAILED listener of service secure (SecureListener): {missing}" in out
    assert err == [
        f"shared-nlb deploy: stack {stack.stack_name} ended in ROLLBACK_COMPLETE: listener of service secure (SecureListener): {missing}; "
        "fix that and deploy again: deploy deletes the rolled-back stack (it holds nothing) and creates it anew"
    ]
    assert _status(stack) == "ROLLBACK_COMPLETE" and not (tmp_path / "outputs.json").exists()
    with pytest.raises(UserError, match="is in ROLLBACK_COMPLETE: deploy deletes the rolled-back stack"):
        stack.changes(broken)  # no change set can be made for it

    fixed = _tls(stack.data, "secure", _certificate(aws, "secure"), 443)
    code, out, _ = _run(capsys, stack, "plan", fixed)
    rolled_back = f"stack {stack.stack_name} is in ROLLBACK_COMPLETE: its creation failed and was rolled back, so it holds nothing; deploy deletes it and creates it anew"
    assert code == 0 and f"{rolled_back} (plan changes nothing)" in out and recover.PROTECTED_LATER in out
    resources = json.loads(template_text(parse_config(fixed)))["Resources"]
    assert f"(CREATE): {len(resources)} to add, 0 to modify" in out and _status(stack) == "ROLLBACK_COMPLETE"  # read from the template

    code, out, err = _run(capsys, stack, "deploy", fixed)
    assert (code, err) == (0, [])
    assert rolled_back in out and f"stack {stack.stack_name}: deleted; creating it anew" in out and "second change set" in out
    outputs = _outputs(stack)
    assert _protection(aws, outputs["LoadBalancerArn"]) == "true"
    listeners = aws.client("elbv2").describe_listeners(LoadBalancerArn=outputs["LoadBalancerArn"])["Listeners"]
    assert {(l["Port"], l["Protocol"]) for l in listeners} >= {(443, "TLS"), (6379, "TCP")}


def test_a_failed_create_with_termination_protection_is_deleted_and_created_anew(aws, tmp_path, capsys):
    """`cdk deploy` sets termination protection on the new stack before it executes its change set, so
    a create of its own that fails leaves a protected ROLLBACK_COMPLETE stack; it never served anyone."""
    stack = Stack(aws, tmp_path, "rec-first-protected")
    assert _run(capsys, stack, "deploy", _tls(stack.data, "secure", MISSING, 443))[0] == 1
    aws.client("cloudformation").update_termination_protection(StackName=stack.stack_name, EnableTerminationProtection=True)  # as `cdk deploy` leaves it
    assert _status(stack) == "ROLLBACK_COMPLETE"

    code, out, err = _run(capsys, stack, "deploy", stack.data)
    assert (code, err) == (0, []) and f"stack {stack.stack_name}: deleted; creating it anew" in out
    assert aws.client("cloudformation").describe_stacks(StackName=stack.stack_name)["Stacks"][0]["EnableTerminationProtection"] is True


@pytest.mark.parametrize("left_in", ["ROLLBACK_FAILED", "DELETE_FAILED"])
def test_a_create_whose_rollback_deletion_protection_blocked_is_deleted_and_created_anew(aws, tmp_path, capsys, left_in):
    """What releases that created the load balancer protected left behind: a failed create whose
    rollback stopped at the protected load balancer, and maybe a deletion tried after it."""
    from shared_nlb.synth import template_text

    stack = Stack(aws, tmp_path, f"rec-{left_in.lower().replace('_', '-')}")
    broken = _tls(stack.data, "secure", MISSING, 443)
    stack.cfn.labels = ResourceLabels(s["name"] for s in broken["services"])
    with pytest.raises(UserError, match=r"ended in ROLLBACK_FAILED: listener of service secure \(SecureListener\): CertificateNotFound: .*; the load balancer \(LoadBalancer\): OperationNotPermitted"):
        stack.cfn.execute(stack.cfn.create_change_set(stack.stack_name, template_text(parse_config(broken)), name="older-release"))
    if left_in == "DELETE_FAILED":
        aws.client("cloudformation").delete_stack(StackName=stack.stack_name)
    assert _status(stack) == left_in
    (old,) = {r["PhysicalResourceId"] for r in aws.client("cloudformation").describe_stack_resources(StackName=stack.stack_name)["StackResources"] if r["LogicalResourceId"] == "LoadBalancer"}

    fixed = _tls(stack.data, "secure", _certificate(aws, f"secure-{left_in}"), 443)
    explained = (
        f"stack {stack.stack_name} is in {left_in} and its events show it never reached CREATE_COMPLETE, so nothing was ever served from it: "
        f"deploy turns off the deletion protection of its never-used load balancer ({old}), deletes it and creates it anew"
    )
    code, out, _ = _run(capsys, stack, "plan", fixed)
    assert code == 0 and f"{explained} (plan changes nothing)" in out and _status(stack) == left_in and _protection(aws, old) == "true"

    code, out, err = _run(capsys, stack, "deploy", fixed)
    assert (code, err) == (0, []) and explained in out
    new = _outputs(stack)["LoadBalancerArn"]
    assert old not in _balancers(aws) and new in _balancers(aws) and _protection(aws, new) == "true"


def test_a_stack_deleted_half_way_after_it_was_in_service_gets_the_steps_not_a_deletion(aws, tmp_path, capsys):
    stack = Stack(aws, tmp_path, "rec-in-service")
    stack.data["stack"]["termination_protection"] = False  # opted out: only the load balancer's deletion protection stops a delete
    assert _run(capsys, stack, "deploy", stack.data)[0] == 0
    arn = _outputs(stack)["LoadBalancerArn"]
    aws.client("cloudformation").delete_stack(StackName=stack.stack_name)  # someone's delete, stopped by deletion protection
    assert _status(stack) == "DELETE_FAILED"

    code, _, err = _run(capsys, stack, "deploy", stack.data)
    steps = (
        f"run `aws elbv2 modify-load-balancer-attributes --load-balancer-arn {arn} --attributes Key=deletion_protection.enabled,Value=false`, "
        f"then `aws cloudformation delete-stack --stack-name {stack.stack_name}`, then `shared-nlb deploy` creates it anew with a new load balancer (a new DNS name)"
    )
    assert code == 1 and err == [
        f"shared-nlb deploy: stack {stack.stack_name} is in DELETE_FAILED and it was in service (its events show CREATE_COMPLETE, UPDATE_COMPLETE); "
        f"a stack in DELETE_FAILED can only be deleted, and deploy does not delete a load balancer clients may use: if it is to go, {steps}"
    ]
    assert _status(stack) == "DELETE_FAILED" and arn in _balancers(aws) and _run(capsys, stack, "plan", stack.data)[0] == 1

    # the steps, as written, get it out
    aws.client("elbv2").modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=[{"Key": "deletion_protection.enabled", "Value": "false"}])
    aws.client("cloudformation").delete_stack(StackName=stack.stack_name)
    assert _status(stack) is None
    code, out, err = _run(capsys, stack, "deploy", stack.data)
    assert code == 0, (out, err)
    assert _outputs(stack)["LoadBalancerArn"] != arn


def test_an_update_whose_rollback_failed_is_continued_and_skips_what_cannot_be_restored(aws, tmp_path, capsys):
    """The certificate the TLS listener had is deleted from ACM; an update that fails (a new service's
    certificate is missing) then cannot give it back in its rollback."""
    stack = Stack(aws, tmp_path, "rec-update")
    first, second = _certificate(aws, "update-a"), _certificate(aws, "update-b")
    assert _run(capsys, stack, "deploy", _tls(stack.data, "secure", first, 443))[0] == 0
    before = _outputs(stack)
    aws.client("acm").delete_certificate(CertificateArn=first)

    failing = _tls(_tls(stack.data, "secure", second, 443), "vault", MISSING, 8200)
    code, _, err = _run(capsys, stack, "deploy", failing)
    assert code == 1 and err == [
        f"shared-nlb deploy: stack {stack.stack_name} ended in UPDATE_ROLLBACK_FAILED: "
        f"listener of service vault (VaultListener): CertificateNotFound: Certificate '{MISSING}' not found; "
        f"listener of service secure (SecureListener): CertificateNotFound: Certificate '{first}' not found; "
        "fix that and deploy again: deploy continues the rollback first (ContinueUpdateRollback) and names any resource it cannot restore"
    ]

    fixed = _tls(stack.data, "secure", second, 443)
    code, out, _ = _run(capsys, stack, "plan", fixed)
    stuck = f"stack {stack.stack_name} is in UPDATE_ROLLBACK_FAILED: an update failed and so did its rollback; deploy continues the rollback (ContinueUpdateRollback), then updates the stack"
    assert code == 0 and f"{stuck} (plan changes nothing)" in out and "can be planned once the rollback is continued" in out
    assert _run(capsys, stack, "plan", fixed, "--fail-on-replace")[0] == 1

    code, out, err = _run(capsys, stack, "deploy", fixed)
    assert code == 1 and stuck in out and "UPDATE_FAILED listener of service secure (SecureListener)" in out
    assert err == [
        f"shared-nlb deploy: stack {stack.stack_name} is still in UPDATE_ROLLBACK_FAILED: continuing its rollback failed: "
        f"listener of service secure (SecureListener): CertificateNotFound: Certificate '{first}' not found; "
        "fix what stops it and deploy again, or, if it cannot be restored, deploy again with --rollback-skip SecureListener "
        "(CloudFormation leaves it as it is, and the update that follows sets it to the config)"
    ]

    code, out, err = _run(capsys, stack, "deploy", fixed, "--rollback-skip", "SecureListener")
    assert (code, err) == (0, []) and f"stack {stack.stack_name}: rollback complete; updating it" in out
    after = _outputs(stack)
    assert after == before  # same load balancer, target groups and security group
    listener = next(l for l in aws.client("elbv2").describe_listeners(LoadBalancerArn=after["LoadBalancerArn"])["Listeners"] if l["Port"] == 443)
    assert listener["Certificates"][0]["CertificateArn"] == second
    assert _run(capsys, stack, "deploy", fixed, "--rollback-skip", "SecureListener")[1].count("--rollback-skip ignored") == 1
