"""Several NLBs through their whole life on the stand-in: an adopted entry anywhere in the list keeps
its services, and an NLB that loses its last service is emptied, then retired on purpose."""

from __future__ import annotations

import copy
import json

import pytest

from shared_nlb.cli import main
from shared_nlb.config import load_config, parse_config
from shared_nlb.config import state as states
from tests.factories import PUBLIC_SUBNETS, base_dict, write

pytestmark = pytest.mark.e2e


class Deployer:
    """One config file on the shared stand-in, deployed and planned through the command line."""

    def __init__(self, aws, tmp_path, data: dict) -> None:
        from shared_nlb import standin
        from tests.test_e2e import _mapped

        self.aws, self.tmp_path = aws, tmp_path
        _, mapping = standin.create_network(aws, parse_config(data))
        self.mapping = mapping
        self.data = _mapped(data, mapping)
        self.path, self.out = write(tmp_path, self.data), tmp_path / "outputs.json"

    def run(self, *args: str) -> int:
        return main([args[0], str(self.path), "--endpoint-url", self.aws.endpoint_url, *args[1:]])

    def deploy(self, data: dict) -> dict:
        write(self.tmp_path, data)
        assert self.run("deploy", "--outputs-file", str(self.out), "--yes") == 0
        return json.loads(self.out.read_text())

    def stacks(self) -> set[str]:
        return {s["StackName"] for s in self.aws.client("cloudformation").describe_stacks()["Stacks"] if s["StackName"].startswith(f"shared-nlb-{self.data['name']}")}


def test_an_adopted_entry_that_is_not_the_first_keeps_every_deployed_service(aws, tmp_path, capsys):
    """An old `load_balancer:` config moved to `load_balancers:` with the adopted entry second (after
    an internet-facing one, as in docs/several-nlbs.md): its services stay on the adopted NLB, nothing
    is created on the first entry's, and the adopted stack is planned with no changes."""
    data = base_dict([{"name": "redis", "service_port": 6379, "listener_port": 6379}, {"name": "kafka", "service_port": 9092, "listener_port": 9092}])
    data["name"] = "lc-adopt"
    data["load_balancer"] = {"deletion_protection": False}
    deployer = Deployer(aws, tmp_path, data)
    before = deployer.deploy(deployer.data)["shared-nlb-lc-adopt"]

    moved = copy.deepcopy(deployer.data)
    del moved["load_balancer"]
    ec2 = aws.client("ec2")
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    public = [ec2.create_subnet(VpcId=moved["network"]["vpc_id"], CidrBlock=f"10.0.{200 + i}.0/24", AvailabilityZone=zones[i])["Subnet"]["SubnetId"] for i in range(2)]
    moved["load_balancers"] = [
        {"name": "public", "scheme": "internet-facing", "subnet_ids": public, "clients": [{"cidr": "203.0.113.0/24"}]},
        {"name": "internal", "adopt": True, "deletion_protection": False},
    ]
    write(tmp_path, moved)
    capsys.readouterr()
    assert deployer.run("plan") == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "stack shared-nlb-lc-adopt: no changes" in said
    assert "shared-nlb-lc-adopt-public" not in said
    after = deployer.deploy(moved)
    assert sorted(after) == ["shared-nlb-lc-adopt"] and after["shared-nlb-lc-adopt"] == before
    assert deployer.stacks() == {"shared-nlb-lc-adopt"}
    assert load_config(deployer.path).placement == {"redis": "internal", "kafka": "internal"}
    # a new service without `load_balancer:` still goes to the first entry
    grown = copy.deepcopy(moved)
    grown["services"].append({"name": "web", "service_port": 8443, "listener_port": 443})
    assert sorted(deployer.deploy(grown)) == ["shared-nlb-lc-adopt", "shared-nlb-lc-adopt-public"]


def test_an_nlb_whose_last_service_leaves_is_emptied_then_retired_on_purpose(aws, tmp_path, capsys):
    """`web` moves from the public NLB (its only service) to the internal one, DNS name and all: the
    public stack is planned too, and its record goes before the internal stack creates one of that
    name (Route 53 refuses a CREATE of a name that exists, and so does the stand-in)."""
    data = base_dict([{"name": "redis", "service_port": 6379, "listener_port": 6379}, {"name": "web", "service_port": 8443, "listener_port": 443, "load_balancer": "public"}])
    data["name"] = "lc-empty"
    data["dns"] = {"zone_name": "lifecycle.example.com", "zone_id": "Z0123456789ABCDEFLIFE"}
    data["load_balancers"] = [{"name": "internal", "deletion_protection": False}, {"name": "public", "scheme": "internet-facing", "subnet_ids": PUBLIC_SUBNETS, "deletion_protection": False, "clients": [{"cidr": "203.0.113.0/24"}]}]
    deployer = Deployer(aws, tmp_path, data)
    first = deployer.deploy(deployer.data)
    assert sorted(first) == ["shared-nlb-lc-empty-internal", "shared-nlb-lc-empty-public"]
    assert "nlbs: [internal, public]" in states.path_beside(deployer.path).read_text()

    moved = copy.deepcopy(deployer.data)
    # without `load_balancer:` a deployed service stays where it is; a move names its new entry
    del next(s for s in moved["services"] if s["name"] == "web")["load_balancer"]
    write(tmp_path, moved)
    assert load_config(deployer.path).placement["web"] == "public"
    next(s for s in moved["services"] if s["name"] == "web")["load_balancer"] = "internal"
    capsys.readouterr()
    second = deployer.deploy(moved)
    said = " ".join(capsys.readouterr().out.split())
    assert "NLB public (stack shared-nlb-lc-empty-public) holds no service now" in said
    assert f"shared-nlb destroy {deployer.path} --nlb public" in said
    assert "WebTargetGroupArn" in second["shared-nlb-lc-empty-internal"] and not any(k.startswith("Web") for k in second["shared-nlb-lc-empty-public"])
    elbv2 = aws.client("elbv2")
    assert elbv2.describe_listeners(LoadBalancerArn=second["shared-nlb-lc-empty-public"]["LoadBalancerArn"])["Listeners"] == []
    assert "nlbs: [internal, public]" in states.path_beside(deployer.path).read_text()  # still deployed: still planned

    capsys.readouterr()
    assert deployer.run("destroy", "--nlb", "public", "--yes") == 0
    assert deployer.stacks() == {"shared-nlb-lc-empty-internal"}
    assert "nlbs: [internal]" in states.path_beside(deployer.path).read_text()
    capsys.readouterr()
    assert deployer.run("plan") == 0
    assert "shared-nlb-lc-empty-public" not in capsys.readouterr().out


def test_a_recorded_nlb_whose_entry_is_gone_is_one_line(tmp_path):
    data = base_dict([{"name": "redis", "service_port": 6379, "listener_port": 6379}])
    data["load_balancers"] = [{"name": "internal"}]
    state = states.State(nlbs=("internal", "public"))
    with pytest.raises(Exception) as error:
        parse_config(data, file="c.yaml", state=state)
    assert [f"{p.path}: {p.message}" for p in error.value.problems] == [
        "load_balancers: NLB public is deployed (the state file) but no entry holds it now; put its entry back and retire the NLB with `shared-nlb destroy CONFIG --nlb public` before removing the entry"
    ]
    assert parse_config(data, state=states.State(nlbs=("internal",))).units()[0].shard == "internal"


def test_a_state_file_changed_by_hand_never_moves_a_deployed_service(aws, tmp_path, capsys, monkeypatch):
    """A merge resolved by hand moves `redis` to the other NLB in the file: the digest tells, and
    every path checks the file against the deployed stacks before it trusts it."""
    from shared_nlb.deploy import lookup

    data = base_dict([{"name": "redis", "service_port": 6379, "listener_port": 6379}, {"name": "web", "service_port": 8443, "listener_port": 443, "load_balancer": "b"}])
    data["name"] = "lc-edited"
    data["load_balancers"] = [{"name": "a", "deletion_protection": False}, {"name": "b", "deletion_protection": False}]
    deployer = Deployer(aws, tmp_path, data)
    deployer.deploy(deployer.data)
    state_file = states.path_beside(deployer.path)
    assert states.written_by_shared_nlb(state_file.read_text())
    state_file.write_text(state_file.read_text().replace("redis: {nlb: a,", "redis: {nlb: b,"))
    edited = load_config(deployer.path)
    assert edited.state.edited and not edited.state.complete

    # offline: one line, nothing written
    for name in ("AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(Exception) as error:
        lookup.complete(edited, deployer.path, first_deploy=False, first_deploy_flag="--first-deploy")
    assert str(error.value).startswith(f"{deployer.path}: the state file {state_file} was changed by hand (its digest does not match)")
    # with credentials (app.py under `cdk synth`, `shared-nlb synth`): the deployed placement wins
    checked = lookup.complete(edited, deployer.path, first_deploy=False, first_deploy_flag="--first-deploy", endpoint_url=aws.endpoint_url, region=aws.region)
    assert checked.placement == {"redis": "a", "web": "b"}
    # plan says so and moves nothing; deploy rewrites the file as deployed, with its digest
    capsys.readouterr()
    assert deployer.run("plan") == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "the state file was changed by hand" in said and "shared-nlb-lc-edited-a: no changes" in said
    deployer.deploy(deployer.data)
    assert states.written_by_shared_nlb(state_file.read_text()) and "redis: {nlb: a," in state_file.read_text()
