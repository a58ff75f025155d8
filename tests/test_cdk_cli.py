"""The real CDK CLI against `shared-nlb standin`: the README's recipe run as written (the user's own
`shared-nlb.yaml`, planned and deployed by shared-nlb and by the project's own `node_modules/.bin/cdk`,
`cdk diff`, then `shared-nlb manifests` from the CLI's outputs file); an update through the CLI that
names a new subnet, mapped by app.py on the running stand-in; and a user's own CDK app
(examples/cdk-app, two stacks sharing a VPC through exports), deployed the same way with `--all`."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from shared_nlb.cli import main
from shared_nlb.standin import ACCOUNT
from tests.factories import ROOT
from tests.test_standin_command import StandIn, assert_stops_cleanly

pytestmark = pytest.mark.e2e

CDK = ROOT / "node_modules" / ".bin" / "cdk"
BIN = Path(sys.executable).parent
CONFIG = """version: 1
name: cli
network:
  vpc_id: vpc-0a1b2c3d4e5f60718
  vpc_cidr: 10.0.0.0/16
  subnet_ids: [subnet-0aaaaaaaaaaaaaaa1, subnet-0bbbbbbbbbbbbbbb2]
load_balancer: {deletion_protection: false}
clients:
  - security_group: sg-0ec5000000000001a
services:
  - name: redis
    namespace: data
    service_port: 6379
    listener_port: 6379
"""


def serving(tmp_path_factory, folder_name: str, config_text: str):
    """`shared-nlb standin --config` for the user's own `shared-nlb.yaml` in a folder of its own:
    yields (the running stand-in, the folder), then stops it as SIGTERM does."""
    if not CDK.exists():
        pytest.skip("node_modules not installed: run scripts/setup")
    folder = tmp_path_factory.mktemp(folder_name)
    (folder / "shared-nlb.yaml").write_text(config_text)
    running = StandIn("--config", str(folder / "shared-nlb.yaml"))
    yield running, folder
    assert_stops_cleanly(running, signal.SIGTERM)


# The README's recipe deploys this file: an account and a region of its own, mapped by the stand-in.
RECIPE_CONFIG = CONFIG.replace("name: cli\n", 'name: recipe\nstack: {account: "111111111111", region: eu-central-1}\n')


def readme_recipe() -> str:
    """The bash block of the README's "Your own config on the stand-in"."""
    section = (ROOT / "README.md").read_text().split("### Your own config on the stand-in", 1)[1]
    return section.split("```bash\n", 1)[1].split("```", 1)[0]


def test_the_readmes_recipe_runs_as_written(tmp_path):
    """In a folder laid out as the checkout (its .venv, node_modules, app.py and cdk.json) with the
    user's own shared-nlb.yaml, the README's block runs through bash as written, with no AWS variable
    of ours: every command exits 0, `cdk bootstrap` finds nothing to change and `cdk diff` no
    difference; the state file beside the config holds none of the stand-in's IDs, the outputs and
    the tree hold the stand-in's resources, and `kill %1` stops the stand-in."""
    if not CDK.exists():
        pytest.skip("node_modules not installed: run scripts/setup")
    for name in (".venv", "node_modules", "app.py", "cdk.json"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "shared-nlb.yaml").write_text(RECIPE_CONFIG)
    (tmp_path / "recipe.sh").write_text(readme_recipe())
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    process = subprocess.Popen(["bash", "-e", "recipe.sh"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        said, _ = process.communicate(timeout=400)
    finally:  # a step that failed leaves the stand-in running: the recipe's own process group ends it
        stopped = wait_for(lambda: "# stand-in stopped (SIGTERM)" in (tmp_path / "standin.env").read_text(), seconds=30)
        if not stopped:
            os.killpg(process.pid, signal.SIGTERM)
    assert process.returncode == 0 and stopped, said
    assert f"Environment aws://{ACCOUNT}/eu-central-1 bootstrapped (no changes)" in said
    assert "There were no differences" in said
    mapping = dict(line.removeprefix("#   ").split(" -> ") for line in (tmp_path / "standin.env").read_text().splitlines() if line.startswith("#   "))
    assert list(mapping) == ["vpc-0a1b2c3d4e5f60718", "subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2", "sg-0ec5000000000001a", "111111111111"]
    assert (tmp_path / "shared-nlb.yaml").read_text() == RECIPE_CONFIG
    state = (tmp_path / "shared-nlb.state.yaml").read_text()
    assert "redis: {target_group: RedisTargetGroup" in state and not any(made in state for made in mapping.values())
    outputs = json.loads((tmp_path / "cdk-outputs.json").read_text())["shared-nlb-recipe"]
    assert outputs == json.loads((tmp_path / "outputs.json").read_text())["shared-nlb-recipe"]
    assert outputs["VpcId"] == mapping["vpc-0a1b2c3d4e5f60718"] and f":{ACCOUNT}:" in outputs["RedisTargetGroupArn"]
    assert list(bindings(tmp_path / "manifests").values()) == [outputs["RedisTargetGroupArn"]]


def wait_for(condition, *, seconds: float) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while True:
        try:
            if condition():
                return True
        except FileNotFoundError:
            pass
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)


def run(args: list[str], running: StandIn, cwd: Path, **more: str) -> subprocess.CompletedProcess:
    """A command with the environment `standin` printed (and `more`) and nothing else of AWS's; the
    venv's bin first on PATH, as the README says, so `cdk` and the app run on the project's Node and
    Python."""
    result = subprocess.run(args, cwd=cwd, env=environment(running, **more), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{args[:3]} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


def environment(running: StandIn, **more: str) -> dict[str, str]:
    """The environment `standin` printed (and `more`) and nothing else of AWS's; the venv's bin first
    on PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CDK_"))}
    env |= running.exports | more
    env["PATH"] = f"{BIN}{os.pathsep}{CDK.parent}{os.pathsep}{env['PATH']}"
    return env


def cdk(*args: str) -> list[str]:
    return [str(CDK), "--no-notices", *args]


def bindings(tree: Path) -> dict[str, str]:
    docs = [d for p in sorted(tree.rglob("*.yaml")) for d in yaml.safe_load_all(p.read_text()) if isinstance(d, dict)]
    return {d["metadata"]["name"]: d["spec"]["targetGroupARN"] for d in docs if d.get("kind") == "TargetGroupBinding"}


def test_a_cdk_deploy_naming_a_new_subnet_updates_the_stack_then_manifests_from_the_cli_outputs(cli_standin, monkeypatch):
    """The stack created by `shared-nlb deploy` (in this process; the README's recipe has `cdk
    deploy` create one), updated through the CLI's own change set with a subnet new to the stand-in."""
    running, folder = cli_standin
    mine = folder / "cli.yaml"  # a copy: the update below must not change the file the other tests start from
    mine.write_text((folder / "shared-nlb.yaml").read_text())
    config, outputs, out = str(mine), folder / "outputs.json", folder / "cdk.out"
    # another region than the stand-in's is bootstrapped as well, on its first request (the README's
    # recipe runs `cdk bootstrap` in the stand-in's own)
    elsewhere = run(cdk("bootstrap", f"aws://{ACCOUNT}/eu-west-1", "-c", f"config={config}", "--output", str(out)), running, ROOT)
    assert f"Environment aws://{ACCOUNT}/eu-west-1 bootstrapped (no changes)" in elsewhere.stdout + elsewhere.stderr
    for name in [k for k in os.environ if k.startswith("AWS_")]:
        monkeypatch.delenv(name)
    for name, value in running.exports.items():
        monkeypatch.setenv(name, value)
    assert main(["deploy", config, "--yes", "--outputs-file", str(outputs)]) == 0
    first = json.loads(outputs.read_text())["shared-nlb-cli"]
    assert first["RedisTargetGroupArn"].startswith("arn:aws:elasticloadbalancing:")
    assert first["VpcId"] == dict(line.removeprefix("#   ").split(" -> ") for line in running.lines if line.startswith("#   "))["vpc-0a1b2c3d4e5f60718"]

    # an update through the CLI's own change set (its DeleteChangeSet/DescribeChangeSet of names that
    # do not exist yet are what the stand-in had to learn), naming a subnet new to the stand-in:
    # app.py has it mapped on the running stand-in, which says so in one line
    edited = mine.read_text().replace("listener_port: 6379", "listener_port: 16379")
    mine.write_text(edited.replace("subnet-0bbbbbbbbbbbbbbb2]", "subnet-0bbbbbbbbbbbbbbb2, subnet-0ccccccccccccccc3]"))
    deploy = cdk("deploy", "-c", f"config={config}", "--output", str(out), "--require-approval", "never", "--no-previous-parameters", "--outputs-file", str(outputs))
    updated = run(deploy, running, ROOT)
    (new,) = [line for line in updated.stderr.splitlines() if line.startswith("stand-in ")]
    assert new.startswith(f"stand-in {running.exports['AWS_ENDPOINT_URL']}: subnet-0ccccccccccccccc3 -> subnet-") and new.endswith(" (new)")
    listeners = running_client(running, "elbv2").describe_listeners(LoadBalancerArn=first["LoadBalancerArn"])["Listeners"]
    assert [listener["Port"] for listener in listeners] == [16379]

    tree = folder / "manifests"
    run([str(BIN / "shared-nlb"), "manifests", config, "--outputs", str(outputs), "--out", str(tree)], running, ROOT)
    assert list(bindings(tree).values()) == [json.loads(outputs.read_text())["shared-nlb-cli"]["RedisTargetGroupArn"]]


def test_cdk_destroy_of_a_config_stack_refuses_and_shared_nlb_destroy_is_the_way_down(cli_standin):
    """`cdk deploy` sets the config stack's termination protection from the cloud assembly, so `cdk
    destroy --force` is refused before anything is deleted; `shared-nlb destroy` takes it down and
    empties its outputs, and the tree then holds no binding."""
    running, folder = cli_standin
    config = folder / "teardown.yaml"  # a stack of its own: the other tests may run in another process
    config.write_text(CONFIG.replace("name: cli", "name: cli-teardown"))
    outputs, out, stack = folder / "teardown-outputs.json", folder / "teardown.out", "shared-nlb-cli-teardown"
    run(cdk("deploy", "-c", f"config={config}", "--output", str(out), "--require-approval", "never", "--no-previous-parameters", "--outputs-file", str(outputs)), running, ROOT)
    cfn, elbv2 = running_client(running, "cloudformation"), running_client(running, "elbv2")
    assert cfn.describe_stacks(StackName=stack)["Stacks"][0]["EnableTerminationProtection"] is True
    balancer = json.loads(outputs.read_text())[stack]["LoadBalancerArn"]
    before = cfn.describe_stack_resources(StackName=stack)["StackResources"]

    refused = subprocess.run(cdk("destroy", "--force", "-c", f"config={config}", "--output", str(out)), cwd=ROOT, env=environment(running), capture_output=True, text=True, timeout=300)
    assert refused.returncode != 0
    assert f"Stack [{stack}] cannot be deleted while TerminationProtection is enabled" in refused.stdout + refused.stderr
    assert cfn.describe_stack_resources(StackName=stack)["StackResources"] == before  # nothing deleted
    assert len(elbv2.describe_listeners(LoadBalancerArn=balancer)["Listeners"]) == 1

    done = run([str(BIN / "shared-nlb"), "destroy", str(config), "--yes", "--outputs-file", str(outputs)], running, ROOT)
    assert f"stack {stack}: deleted" in done.stdout
    assert stack not in {s["StackName"] for s in cfn.describe_stacks()["Stacks"]}
    assert balancer not in {lb["LoadBalancerArn"] for lb in elbv2.describe_load_balancers()["LoadBalancers"]}
    assert json.loads(outputs.read_text()) == {stack: {}}
    tree = folder / "teardown-manifests"
    run([str(BIN / "shared-nlb"), "manifests", str(config), "--outputs", str(outputs), "--out", str(tree)], running, ROOT)
    assert bindings(tree) == {}


def test_a_users_own_cdk_app_deploys_and_its_binding_outputs_give_the_tree(cli_standin):
    """examples/cdk-app as its README deploys it: two stacks, Edge importing Network's VPC and security
    group through CloudFormation exports; then the tree from the construct's binding outputs alone."""
    running, folder = cli_standin
    # a copy, so that cdk.out and cdk.context.json do not land in the checkout
    app = shutil.copytree(ROOT / "examples" / "cdk-app", folder / "cdk-app", ignore=shutil.ignore_patterns("cdk.out", "cdk.context.json", "__pycache__"))
    outputs, out, tree = app / "outputs.json", app / "cdk.out", app / "manifests"
    # the stand-in's zones where a user's committed cdk.context.json has theirs: without them the CLI
    # looks them up and synthesizes the app a second time
    region = running.exports["AWS_REGION"]
    zones = [z["ZoneName"] for z in running_client(running, "ec2").describe_availability_zones()["AvailabilityZones"]]
    (app / "cdk.context.json").write_text(json.dumps({f"availability-zones:account={ACCOUNT}:region={region}": zones}))
    # the app's own synth without aws-cdk-lib's validation plugin, as every test synthesizes (README)
    bootstrap = run(cdk("bootstrap"), running, app, CDK_VALIDATION="false")  # the app's environment, as its README runs it
    assert f"Environment aws://{ACCOUNT}/{region} bootstrapped (no changes)" in bootstrap.stdout + bootstrap.stderr
    deploy = cdk("deploy", "--all", "--require-approval", "never", "--no-previous-parameters", "--outputs-file", str(outputs))
    run(deploy, running, app, CDK_VALIDATION="false")
    assert sorted(json.loads(outputs.read_text())) == ["Edge", "Network"]

    run([str(BIN / "shared-nlb"), "manifests", "--outputs", str(outputs), "--out", str(tree)], running, ROOT)
    found = {name.rsplit("-", 1)[0]: arn for name, arn in bindings(tree).items()}  # names end in a digest of the target group
    stack_resources = [r for stack in ("Network", "Edge") for r in running_client(running, "cloudformation").describe_stack_resources(StackName=stack)["StackResources"] if "LogicalResourceId" in r]
    created = [r["PhysicalResourceId"] for r in stack_resources if r["ResourceType"] == "AWS::ElasticLoadBalancingV2::TargetGroup"]
    elbv2 = running_client(running, "elbv2")
    assert sorted(found) == ["kafka", "openobserve", "redis"] and sorted(found.values()) == sorted(created)
    assert len(elbv2.describe_target_groups(TargetGroupArns=created)["TargetGroups"]) == 3  # they exist

    # every resource made (moto skips a type it does not model, and lists it without a logical ID:
    # here only CDK's metadata), and the Edge stack's as CloudFormation would have made them
    resources = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in stack_resources}
    templates = [json.loads((out / f"{stack}.template.json").read_text())["Resources"] for stack in ("Network", "Edge")]
    assert sorted(resources) == sorted(name for t in templates for name, r in t.items() if r["Type"] != "AWS::CDK::Metadata")
    vpc, zone_id = resources["Vpc8378EB38"], resources["InternalZoneD0BA15A8"]
    (data,) = [b for b in elbv2.describe_load_balancers()["LoadBalancers"] if b["LoadBalancerArn"] == resources["DataLoadBalancer26C646A2"]]
    assert (data["Type"], data["VpcId"], ":loadbalancer/net/" in data["LoadBalancerArn"]) == ("network", vpc, True)
    route53 = running_client(running, "route53")
    zone = route53.get_hosted_zone(Id=zone_id)
    assert (zone["HostedZone"]["Config"]["PrivateZone"], zone["VPCs"]) == (True, [{"VPCRegion": region, "VPCId": vpc}])
    (alias,) = [r["AliasTarget"] for r in route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"] if r["Name"] == "redis.internal.example.com."]
    assert alias == {"DNSName": f"dualstack.{data['DNSName']}", "HostedZoneId": data["CanonicalHostedZoneId"]}
    (alarm,) = running_client(running, "cloudwatch").describe_alarms(AlarmNames=[resources["RedisNoHealthyTarget0BF6C858"]])["MetricAlarms"]
    assert {d["Name"]: d["Value"] for d in alarm["Dimensions"]} == {
        "LoadBalancer": data["LoadBalancerArn"].split(":loadbalancer/")[1],
        "TargetGroup": found["redis"].rsplit(":", 1)[1],
    }


def running_client(running: StandIn, service: str):
    import boto3

    session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=running.exports["AWS_REGION"])
    return session.client(service, endpoint_url=running.exports["AWS_ENDPOINT_URL"])
