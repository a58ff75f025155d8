"""Several NLBs from one config (`load_balancers:`): the model's rules, the sticky placement past
`max_listeners`, one template and one stack per NLB, and the manifests, cost and graph of all of them."""

from __future__ import annotations

import json

import pytest

from shared_nlb.cli import main
from shared_nlb.config import ConfigError, load_config, parse_config
from shared_nlb.config import placement as placing
from shared_nlb.config import state as states
from shared_nlb.config.state import State
from tests.factories import PUBLIC_SUBNETS, base_dict, multi, write
from tests.fake_outputs import outputs_for, write_outputs


def problems(data: dict, placement: dict | None = None) -> list[str]:
    try:
        parse_config(data, file="c.yaml", state=State().with_placement(placement or {}))
    except ConfigError as error:
        return [f"{p.path}: {p.message}" for p in error.problems]
    return []


# --- placement -------------------------------------------------------------------------------------
def test_new_services_fill_the_lowest_nlb_with_room_in_config_order() -> None:
    services = [(f"s{i}", "a") for i in range(5)] + [("p", "b")]
    assert placing.place([("a", 2), ("b", 50)], services, {}) == {"s0": "a", "s1": "a", "s2": "a-2", "s3": "a-2", "s4": "a-3", "p": "b"}


def test_adding_a_service_that_sorts_first_and_removing_another_moves_no_service() -> None:
    entries = [("a", 2)]
    before = placing.place(entries, [("m1", "a"), ("m2", "a"), ("m3", "a"), ("m4", "a")], {})
    assert before == {"m1": "a", "m2": "a", "m3": "a-2", "m4": "a-2"}
    # `aaa` sorts (and is listed) first; m1 leaves, so `a` has room: aaa takes it, nobody else moves.
    after = placing.place(entries, [("aaa", "a"), ("m2", "a"), ("m3", "a"), ("m4", "a")], before)
    assert after == {"aaa": "a", "m2": "a", "m3": "a-2", "m4": "a-2"}
    # Without the committed placement, config order would have moved m3 to `a`: the file is what keeps it.
    assert placing.place(entries, [("m2", "a"), ("m3", "a"), ("m4", "a")], {})["m3"] == "a"


def test_a_placed_service_stays_past_a_lowered_max_and_a_moved_one_is_placed_anew() -> None:
    kept = placing.place([("a", 1)], [("x", "a"), ("y", "a")], {"x": "a", "y": "a"})
    assert kept == {"x": "a", "y": "a"}  # the rules report the overfull NLB; nothing moves by itself
    assert placing.place([("a", 50), ("b", 50)], [("x", "b")], {"x": "a"}) == {"x": "b"}


def test_shard_names_and_numbers() -> None:
    assert [placing.shard_name("a", n) for n in (1, 2, 10)] == ["a", "a-2", "a-10"]
    assert [placing.shard_number("a", s) for s in ("a", "a-2", "a-10", "a-1", "a-02", "ab", "b-2")] == [1, 2, 10, None, None, None, None]


def test_the_state_file_round_trips_and_bad_files_are_one_line_each() -> None:
    import yaml

    state = State().with_placement({"web": "public", "kafka": "internal-2"})
    text = states.text(state)
    assert "version: 2\nservices:\n  kafka: {nlb: internal-2}\n  web: {nlb: public}\n# digest: sha256:" in text and states.written_by_shared_nlb(text)
    assert not states.written_by_shared_nlb(text.replace("internal-2", "internal-3"))
    assert states.parse(yaml.safe_load(text)) == (state, [])
    assert states.parse({"version": 3, "extra": 1, "services": {"a": 3, "b": {"nlb": 4, "port": 1}}})[1] == [
        ("version", "3; allowed: 2 (or 1, a placement file)"),
        ("'extra'", "unknown key; allowed: version, nlbs, services"),
        ("services.'a'", "3; allowed: a mapping with nlb, target_group, port, protocol and staged"),
        ("services.'b'.nlb", "4; allowed: the name of an NLB of a load_balancers entry, such as internal-2"),
    ]
    # A version 1 placement file (an older release's) is read, as placement only.
    legacy, problems = states.parse({"version": 1, "services": {"kafka": "internal-2", "a": 3}})
    assert legacy.placement == {"kafka": "internal-2"} and not legacy.complete
    assert problems == [("services.'a'", "3; allowed: the name of an NLB of a load_balancers entry, such as internal-2")]


def test_load_config_reads_the_state_beside_it_or_an_older_placement_file(tmp_path) -> None:
    path = write(tmp_path, multi())
    assert states.path_beside(path) == tmp_path / "shared-nlb.state.yaml"
    assert load_config(path).placement == {"redis": "internal", "kafka": "internal", "nats": "internal-2", "web": "public"}
    states.legacy_path_beside(path).write_text("version: 1\nservices:\n  nats: internal\n  redis: internal-2\n")
    assert load_config(path).placement == {"redis": "internal-2", "kafka": "internal", "nats": "internal", "web": "public"}
    states.path_beside(path).write_text(states.text(State().with_placement({"nats": "internal-2", "redis": "internal"})))
    assert load_config(path).placement == {"redis": "internal", "kafka": "internal", "nats": "internal-2", "web": "public"}  # the state file wins
    states.path_beside(path).write_text("version: 2\nservices: [a]\n")
    with pytest.raises(ConfigError, match=r"shared-nlb.state.yaml:2: services: is a list, not a mapping"):
        load_config(path)


# --- units -----------------------------------------------------------------------------------------
def test_each_nlb_is_a_one_nlb_config_with_its_entry_settings_and_clients() -> None:
    config = parse_config(multi())
    units = config.units()
    assert [(u.shard, u.stack_name, u.config.load_balancer_name, [s.name for s in u.config.services]) for u in units] == [
        ("internal", "shared-nlb-test-internal", "shared-nlb-test-internal", ["redis", "kafka"]),
        ("internal-2", "shared-nlb-test-internal-2", "shared-nlb-test-internal-2", ["nats"]),
        ("public", "shared-nlb-test-public", "shared-nlb-test-public", ["web"]),
    ]
    assert [u.config.load_balancer.scheme for u in units] == ["internal", "internal", "internet-facing"]
    assert [[c.source for c in u.config.clients] for u in units] == [["sg-0ec5000000000001a"]] * 2 + [["203.0.113.0/24"]]
    assert all(u.config.load_balancers is None and u.config.units() == [u.config.units()[0]] for u in units)
    named = parse_config(multi(stack={"name": "edge"}))
    assert [u.stack_name for u in named.units()] == ["edge-internal", "edge-internal-2", "edge-public"]
    assert config.tree_owner == "shared-nlb-test"


def test_a_config_without_load_balancers_is_its_own_single_unit() -> None:
    config = parse_config(base_dict())
    (unit,) = config.units()
    assert unit.config is config and unit.shard is None and config.placement == {}


# --- rules, each both ways -------------------------------------------------------------------------
def test_load_balancer_and_load_balancers_are_exclusive() -> None:
    assert problems(multi(load_balancer={"scheme": "internal"})) == ["load_balancer: cannot be used with load_balancers; move its settings into an entry of load_balancers"]
    assert problems(multi()) == []


def test_entry_names_are_unique_and_never_look_like_another_entrys_nlb() -> None:
    data = multi()
    data["load_balancers"] += [{"name": "public"}, {"name": "internal-2"}]
    assert problems(data) == [
        "load_balancers[2].name: 'public' is already used by load_balancers[1]; names must be unique",
        "load_balancers[3].name: 'internal-2' is the name of the second or later NLB of entry 'internal'; choose another name",
    ]
    data["load_balancers"][3]["name"] = "internal2"
    data["load_balancers"][2]["name"] = "other"
    assert problems(data) == []


def test_a_service_names_an_existing_entry_and_only_with_load_balancers() -> None:
    data = multi()
    data["services"][3]["load_balancer"] = "publik"
    assert problems(data) == ["services[3].load_balancer: 'publik' is not an entry of load_balancers; allowed: internal, public"]
    one = base_dict([{"name": "redis", "service_port": 6379, "listener_port": 6379, "load_balancer": "internal"}])
    assert problems(one) == ["services[0].load_balancer: is only for configs with load_balancers; remove it or list the NLBs under load_balancers"]


def test_listener_ports_are_unique_per_nlb_not_across_nlbs() -> None:
    # AWS keys listeners by port within one load balancer ("Listeners for your Network Load Balancers").
    data = multi()
    data["services"].append({"name": "web-internal", "service_port": 443, "listener_port": 443})  # internal-2: no clash with public's 443
    assert problems(data) == []
    data["services"].append({"name": "web2", "service_port": 443, "listener_port": 443, "load_balancer": "public"})
    assert problems(data) == ["services[5].listener_port: 443 is already used by services[3] 'web'"]


def test_service_names_are_unique_across_nlbs() -> None:
    data = multi()
    data["services"][3]["name"] = "redis"
    assert "services[3].name: 'redis' is already used by services[0]; names must be unique" in problems(data)


def test_an_entrys_rules_name_the_entrys_fields() -> None:
    data = multi()
    data["load_balancers"][0]["clients"] = [{"cidr": "0.0.0.0/0"}]
    data["load_balancers"][1]["name"] = data["services"][3]["load_balancer"] = "public-facing-entry-name"
    assert problems(data) == [
        "load_balancers[0].clients[0].cidr: 0.0.0.0/0 opens the listeners to every address; allowed only with load_balancer.scheme: internet-facing and allow_anywhere: true on this client",
        "load_balancers[1].name: gives the NLB name 'shared-nlb-test-public-facing-entry-name' of 40 characters; allowed: at most 32 (shorten the config's or the entry's name)",
    ]


def test_an_nlb_fuller_than_a_lowered_max_listeners_is_refused() -> None:
    data = multi()
    assert problems(data, {"redis": "internal", "kafka": "internal", "nats": "internal"}) == [
        "load_balancers[0].max_listeners: 2, but NLB internal already holds 3 services (the state file); a placed service never moves: raise max_listeners or move services to another entry"
    ]
    data["load_balancers"][0]["max_listeners"] = 3
    assert problems(data, {"redis": "internal", "kafka": "internal", "nats": "internal"}) == []


def test_max_listeners_is_at_most_the_quota() -> None:
    data = multi()
    data["load_balancers"][0]["max_listeners"] = 51
    assert len(problems(data)) == 1 and problems(data)[0].startswith("load_balancers[0].max_listeners: 51")


QUOTA = "inbound security group rules (clients x listener ports x protocols, a prefix list counted as its max entries, plus path MTU discovery); allowed: at most 60 per security group (VPC quota); use a shared client security group or prefix list"


def test_the_rules_quota_message_names_the_largest_max_listeners_that_fits() -> None:
    # Two clients, 20 TCP_UDP services (2 x 2 rules each) and 10 TCP ones (2 rules each): whichever
    # services an NLB holds, 15 listeners fit in 60 rules, the TCP_UDP ones being the largest.
    services = [{"name": f"d{i}", "service_port": 1000 + i, "listener_port": 1000 + i, "protocol": "TCP_UDP"} for i in range(20)]
    services += [{"name": f"t{i}", "service_port": 2000 + i, "listener_port": 2000 + i} for i in range(10)]
    data = multi(services, load_balancers=[{"name": "internal", "clients": [{"cidr": "10.20.0.0/16"}, {"cidr": "10.30.0.0/16"}]}])
    assert problems(data) == [f"load_balancers[0].clients: 100 {QUOTA}, or set load_balancers[0].max_listeners: 15 (the most listeners whose rules fit in one group)"]
    data["load_balancers"][0]["max_listeners"] = 15
    assert problems(data) == []
    # Top-level clients: the path is theirs, the fix still the entry's.
    data = multi(services, load_balancers=[{"name": "internal"}], clients=[{"cidr": "10.20.0.0/16"}, {"cidr": "10.30.0.0/16"}])
    assert problems(data) == [f"clients: 100 {QUOTA}, or set load_balancers[0].max_listeners: 15 (the most listeners whose rules fit in one group)"]


def test_no_max_listeners_is_named_when_none_helps() -> None:
    # One listener alone takes 61 rules (a prefix list of 61 entries): fewer listeners cannot fit.
    data = multi([{"name": "redis", "service_port": 6379, "listener_port": 6379}], load_balancers=[{"name": "internal"}])
    data["clients"] = [{"prefix_list": "pl-0123456789abcdef0", "max_entries": 61}]
    assert problems(data) == [f"clients: 61 {QUOTA}"]


def test_at_most_fifty_nlbs_per_region() -> None:
    # ELB quota "Network Load Balancers per Region" (Quotas for your Network Load Balancers).
    services = [{"name": f"s{i}", "service_port": 1000 + i, "listener_port": 1000 + i} for i in range(51)]
    data = multi(services, load_balancers=[{"name": "a", "max_listeners": 1}])
    assert problems(data) == ["load_balancers: the services need 51 NLBs; allowed: at most 50 per region (ELB quota 'Network Load Balancers per Region'), unless the quota was raised: raise max_listeners or split the config"]
    data["services"].pop()
    assert problems(data) == []


def _public_subnets(value):
    data = multi()
    if value is None:
        del data["load_balancers"][1]["subnet_ids"]
    else:
        data["load_balancers"][1]["subnet_ids"] = value
    return data


# An internet-facing NLB in the private subnets of network.subnet_ids is one nobody can reach
# (CreateLoadBalancer Scheme; SetSubnets: "The IDs of the public subnets").
BAD_SUBNETS = [
    ("internet-facing-without-subnets", _public_subnets(None), [
        "load_balancers[1].subnet_ids: is required for scheme internet-facing: the entry would otherwise sit in network.subnet_ids, the private subnets, where nobody on the internet reaches it; allowed: the IDs of public subnets (a route to an internet gateway), one per Availability Zone",
    ]),
    ("internet-facing-in-private-subnets", _public_subnets(["subnet-0ccccccccccccccc3", "subnet-0bbbbbbbbbbbbbbb2"]), [
        "load_balancers[1].subnet_ids[1]: subnet-0bbbbbbbbbbbbbbb2 is one of network.subnet_ids, the private subnets; allowed: public subnets (a route to an internet gateway) for scheme internet-facing",
    ]),
    ("duplicate", _public_subnets(["subnet-0ccccccccccccccc3", "subnet-0ccccccccccccccc3"]), [
        "load_balancers[1].subnet_ids[1]: subnet subnet-0ccccccccccccccc3 is already listed at load_balancers[1].subnet_ids[0]",
    ]),
    ("empty", _public_subnets([]), ["load_balancers[1].subnet_ids: is empty; allowed: at least one item"]),
    ("malformed", _public_subnets(["subnet-public"]), [
        "load_balancers[1].subnet_ids[0]: 'subnet-public' is not valid; allowed: 'subnet-' and 8 or 17 hexadecimal digits (0-9, a-f), as EC2 issues them",
    ]),
]


@pytest.mark.parametrize(("data", "expected"), [case[1:] for case in BAD_SUBNETS], ids=[case[0] for case in BAD_SUBNETS])
def test_an_internet_facing_entry_names_public_subnets_of_its_own(data: dict, expected: list[str]) -> None:
    assert problems(data) == expected


def test_entry_subnets_both_ways_and_the_single_load_balancer_keeps_network_subnets() -> None:
    assert problems(multi()) == []
    # An internal entry may name its own subnets too, and then it may take network.subnet_ids' own.
    data = multi()
    data["load_balancers"][0]["subnet_ids"] = ["subnet-0aaaaaaaaaaaaaaa1"]
    assert problems(data) == []
    units = {u.shard: u.config.network.subnet_ids for u in parse_config(data).units()}
    assert units == {"internal": ["subnet-0aaaaaaaaaaaaaaa1"], "internal-2": ["subnet-0aaaaaaaaaaaaaaa1"], "public": PUBLIC_SUBNETS}
    # The adopted NLB keeps the subnets the `load_balancer:` config deployed it in, network.subnet_ids included.
    adopted = multi()
    adopted["load_balancers"][1].update(adopt=True, subnet_ids=["subnet-0aaaaaaaaaaaaaaa1"])
    assert problems(adopted) == []
    # With `load_balancer:`, network.subnet_ids are the one NLB's subnets whatever its scheme (public
    # ones for internet-facing): there is no other NLB for them to be private for.
    single = base_dict()
    single["load_balancer"] = {"scheme": "internet-facing"}
    assert problems(single) == []


def test_an_entrys_subnets_count_for_its_lcu_reservation() -> None:
    # The reservation is spread over the NLB's zones, one per subnet: the entry's own here.
    data = multi()
    data["load_balancers"][1]["subnet_ids"] = ["subnet-0ccccccccccccccc3"]
    data["load_balancers"][1]["minimum_capacity_units"] = 50000
    assert problems(data) == ["load_balancers[1].minimum_capacity_units: 50000 is 50000 LCUs per zone over 1 subnets; allowed: 2750-45000 per zone, 2750-45000 for 1 subnets"]
    data["load_balancers"][1]["subnet_ids"] = PUBLIC_SUBNETS  # 25000 per zone
    assert problems(data) == []


def test_a_bad_entry_does_not_hide_the_problems_of_others() -> None:
    data = multi()
    data["load_balancers"][1]["scheme"] = "public"
    data["services"][0]["listener_port"] = 0
    found = problems(data)
    assert any(p.startswith("load_balancers[1].scheme: 'public'") for p in found)
    assert any(p.startswith("services[0].listener_port: 0") for p in found)


# --- synth, manifests, cost, graph -----------------------------------------------------------------
def _resources(template: dict, kind: str) -> list[str]:
    return sorted(k for k, r in template["Resources"].items() if r["Type"] == kind)


def test_one_template_per_nlb_each_with_its_own_listeners(multi_templates) -> None:
    assert list(multi_templates) == ["shared-nlb-test-internal", "shared-nlb-test-internal-2", "shared-nlb-test-public"]
    listeners = {name: _resources(t, "AWS::ElasticLoadBalancingV2::Listener") for name, t in multi_templates.items()}
    assert listeners == {
        "shared-nlb-test-internal": ["KafkaListener", "RedisListener"],
        "shared-nlb-test-internal-2": ["NatsListener"],
        "shared-nlb-test-public": ["WebListener"],
    }
    schemes = {name: t["Resources"]["LoadBalancer"]["Properties"]["Scheme"] for name, t in multi_templates.items()}
    assert schemes == {"shared-nlb-test-internal": "internal", "shared-nlb-test-internal-2": "internal", "shared-nlb-test-public": "internet-facing"}
    names = {t["Resources"]["LoadBalancer"]["Properties"]["Name"] for t in multi_templates.values()}
    assert names == {"shared-nlb-test-internal", "shared-nlb-test-internal-2", "shared-nlb-test-public"}
    subnets = {name: t["Resources"]["LoadBalancer"]["Properties"]["Subnets"] for name, t in multi_templates.items()}
    private = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
    assert subnets == {"shared-nlb-test-internal": private, "shared-nlb-test-internal-2": private, "shared-nlb-test-public": PUBLIC_SUBNETS}
    public = multi_templates["shared-nlb-test-public"]["Resources"]
    ingress = [r["Properties"] for r in public.values() if r["Type"] == "AWS::EC2::SecurityGroupIngress"]
    assert [i.get("CidrIp") for i in ingress] == ["203.0.113.0/24"]  # the entry's clients replace the top-level ones


def test_synth_out_writes_one_template_per_stack(tmp_path, multi_templates) -> None:
    out = tmp_path / "out"
    assert main(["synth", str(write(tmp_path, multi())), "--out", str(out), "--first-deploy"]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{name}.template.json" for name in multi_templates)
    assert {n: json.loads((out / f"{n}.template.json").read_text()) for n in multi_templates} == multi_templates


def test_synth_records_the_state_as_cdk_records_its_context(tmp_path, capsys) -> None:
    path = write(tmp_path, multi())
    recorded = states.path_beside(path)
    assert main(["synth", str(path), "--out", str(tmp_path / "out"), "--check", "--first-deploy"]) == 1  # --check writes nothing
    assert not recorded.exists()
    capsys.readouterr()
    assert main(["synth", str(path), "--out", str(tmp_path / "out"), "--first-deploy"]) == 0
    assert f"wrote {recorded}: commit it beside the config" in capsys.readouterr().out
    assert load_config(path).committed_placement == {"redis": "internal", "kafka": "internal", "nats": "internal-2", "web": "public"}
    assert main(["synth", str(path), "--out", str(tmp_path / "out")]) == 0  # from the file now, offline
    assert str(recorded) not in capsys.readouterr().out  # unchanged: not written again


def test_synth_without_a_state_file_reads_the_deployed_stacks_or_stops_in_one_line(tmp_path, capsys, monkeypatch) -> None:
    """A lost state file is never replaced by a placement in config order: without a way to read the
    deployed stacks, synth stops and says how to get the file back."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    path = write(tmp_path, multi())
    capsys.readouterr()
    assert main(["synth", str(path), "--out", str(tmp_path / "out")]) == 1
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"shared-nlb synth: {path}: no state file {states.path_beside(path)} to build the templates from, and the deployed stacks cannot be read (no AWS region")
    assert line.endswith("for a first deploy, with nothing deployed yet, pass --first-deploy")
    assert not (tmp_path / "out").exists() and not states.path_beside(path).exists()


def test_cdk_synth_through_app_py_writes_every_stack_and_the_state(tmp_path, multi_templates) -> None:
    import os
    import subprocess
    import sys

    from tests.factories import ROOT

    path = write(tmp_path, multi())
    env = {**os.environ, "CDK_OUTDIR": str(tmp_path / "cdk.out"), "CDK_CONTEXT_JSON": json.dumps({"config": str(path), "first-deploy": "true"})}
    done = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert f"wrote {states.path_beside(path)}" in done.stderr
    assert {n: json.loads((tmp_path / "cdk.out" / f"{n}.template.json").read_text()) for n in multi_templates} == multi_templates


def _multi_outputs(config) -> dict:
    outputs: dict = {}
    for unit in config.units():
        outputs.update(outputs_for(unit.config))
    return outputs


def test_manifests_read_every_stack_of_a_multi_stack_outputs_file(tmp_path, capsys) -> None:
    config_path = write(tmp_path, multi())
    config = load_config(config_path)
    outputs = write_outputs(tmp_path / "outputs.json", _multi_outputs(config))
    out = tmp_path / "manifests"
    assert main(["manifests", str(config_path), "--outputs", str(outputs), "--out", str(out)]) == 0
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*.yaml"))
    assert files == ["default/kafka.yaml", "default/nats.yaml", "default/redis.yaml", "default/web.yaml", "kustomization.yaml"]
    kustomization = (out / "kustomization.yaml").read_text()
    assert "shared-nlb.io/load-balancer: shared-nlb-test" in kustomization
    assert "stack shared-nlb-test-internal, shared-nlb-test-internal-2, shared-nlb-test-public" in kustomization
    assert "shared-nlb.io/load-balancer: shared-nlb-test-internal-2" in (out / "default" / "nats.yaml").read_text()
    # A stack missing from the file is named, with the others' problems, and nothing is written.
    partial = _multi_outputs(config)
    del partial["shared-nlb-test-internal-2"]
    write_outputs(tmp_path / "outputs.json", partial)
    before = {p: p.read_bytes() for p in out.rglob("*")  if p.is_file()}
    capsys.readouterr()
    assert main(["manifests", str(config_path), "--outputs", str(outputs), "--out", str(out)]) == 1
    assert "has no stack shared-nlb-test-internal-2" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_cost_counts_every_nlb_and_graph_shows_them() -> None:
    from shared_nlb import cost, graph

    config = parse_config(multi())
    assert cost.estimate(config, "us-east-1").nlb_count_after == 3
    text = graph.mermaid(config)
    assert "NLBs shared-nlb-test-internal (internal), shared-nlb-test-internal-2 (internal), shared-nlb-test-public (internet-facing) listeners" in text
    assert 'NatsListener["internal-2: nats 4222/TCP"]' in text


def test_validate_lists_every_nlb(tmp_path, capsys) -> None:
    path = write(tmp_path, multi())
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.strip().endswith(
        "valid: 3 NLB(s): internal: stack shared-nlb-test-internal, 2 service(s); internal-2: stack shared-nlb-test-internal-2, 1 service(s); public: stack shared-nlb-test-public, 1 service(s)"
    )


# --- end to end on the stand-in --------------------------------------------------------------------
@pytest.mark.e2e
def test_sixty_services_over_two_entries_deploy_as_three_nlbs_and_no_service_ever_moves(aws, tmp_path, capsys):
    from shared_nlb import standin
    from tests.test_e2e import _mapped

    services = [{"name": f"svc-{i:02d}", "service_port": 8000 + i, "listener_port": 10000 + i} for i in range(1, 56)]
    services += [{"name": f"pub-{i}", "service_port": 9000 + i, "listener_port": 443 + i, "load_balancer": "public"} for i in range(1, 6)]
    data = base_dict(services)
    data["name"] = "e2e-lbs"
    data["load_balancers"] = [{"name": "internal"}, {"name": "public", "scheme": "internet-facing", "subnet_ids": PUBLIC_SUBNETS, "clients": [{"cidr": "203.0.113.0/24"}]}]
    _, mapping = standin.create_network(aws, parse_config(data))
    data = _mapped(data, mapping)
    path, out = write(tmp_path, data), tmp_path / "outputs.json"

    def deploy(config: dict) -> dict:
        write(tmp_path, config)
        assert main(["deploy", str(path), "--endpoint-url", aws.endpoint_url, "--outputs-file", str(out), "--yes"]) == 0
        return json.loads(out.read_text())

    first = deploy(data)
    stacks = ["shared-nlb-e2e-lbs-internal", "shared-nlb-e2e-lbs-internal-2", "shared-nlb-e2e-lbs-public"]
    assert sorted(first) == stacks
    elbv2 = aws.client("elbv2")
    listeners = {name: len(elbv2.describe_listeners(LoadBalancerArn=first[name]["LoadBalancerArn"])["Listeners"]) for name in stacks}
    assert listeners == {"shared-nlb-e2e-lbs-internal": 50, "shared-nlb-e2e-lbs-internal-2": 5, "shared-nlb-e2e-lbs-public": 5}
    schemes = {elbv2.describe_load_balancers(LoadBalancerArns=[first[n]["LoadBalancerArn"]])["LoadBalancers"][0]["Scheme"] for n in stacks[:2]}
    assert schemes == {"internal"}
    placement = load_config(path).committed_placement
    assert {s for s, nlb in placement.items() if nlb == "internal-2"} == {f"svc-{i}" for i in range(51, 56)}
    printed = capsys.readouterr().out
    assert "commit it beside the config" in printed
    assert "placement: 50 service(s) on NLB internal (stack shared-nlb-e2e-lbs-internal)" in printed
    assert "placement: 5 service(s) on NLB internal-2 (stack shared-nlb-e2e-lbs-internal-2)" in printed

    def where(outputs: dict) -> dict[str, tuple[str, str]]:
        """service output key -> (stack, target group ARN)."""
        return {key: (stack, arn) for stack, values in outputs.items() for key, arn in values.items() if key.endswith("TargetGroupArn")}

    # `aaa` sorts and is listed first; svc-03 leaves. Config order alone would now move svc-51 into
    # the room svc-03 left; the committed placement keeps every service where it is.
    changed = dict(data, services=[{"name": "aaa", "service_port": 7000, "listener_port": 7000}] + [s for s in data["services"] if s["name"] != "svc-03"])
    second = deploy(changed)  # it says where aaa lands, as plan does, before its confirmation
    assert "placement: new service aaa lands on NLB internal (stack shared-nlb-e2e-lbs-internal)" in capsys.readouterr().out
    before, after = where(first), where(second)
    moved = {k for k in before.keys() & after.keys() if before[k] != after[k]}
    assert moved == set()
    assert after["AaaTargetGroupArn"][0] == "shared-nlb-e2e-lbs-internal" and "Svc03TargetGroupArn" not in after
    assert load_config(path).committed_placement == {**{k: v for k, v in placement.items() if k != "svc-03"}, "aaa": "internal"}

    # The state file is lost, and svc-04 leaves: config order alone would now put svc-51 into the
    # room on `internal`. The deployed stacks keep it where its clients know it.
    states.path_beside(path).unlink()
    third = dict(changed, services=[s for s in changed["services"] if s["name"] != "svc-04"])
    write(tmp_path, third)
    assert placing.place([("internal", 50), ("public", 50)], [(s["name"], s.get("load_balancer", "internal")) for s in third["services"]], {})["svc-51"] == "internal"
    capsys.readouterr()
    assert main(["plan", str(path), "--endpoint-url", aws.endpoint_url]) == 0
    printed = capsys.readouterr().out
    assert "placement: service svc-51 is deployed on NLB internal-2, which the state file does not record: it stays there" in printed
    assert "stack shared-nlb-e2e-lbs-internal-2: no changes" in printed and "stack shared-nlb-e2e-lbs-public: no changes" in printed
    after_loss = where(deploy(third))
    assert {k for k in after_loss if after_loss[k] != after[k]} == set() and "Svc04TargetGroupArn" not in after_loss
    assert load_config(path).committed_placement["svc-51"] == "internal-2"


def test_plan_and_deploy_of_seven_new_nlbs_say_the_protection_note_once(aws, tmp_path, capsys):
    """Seven new stacks are each created unprotected and protected right after; the note saying so
    holds for all of them and is said once per run, not once per stack (issue 25: 7 paragraphs)."""
    from shared_nlb import standin
    from shared_nlb.deploy import recover
    from tests.test_e2e import _mapped

    data = base_dict([{"name": f"svc-{i}", "service_port": 8000 + i, "listener_port": 10000 + i} for i in range(1, 8)])
    data["name"] = "seven"
    data["load_balancers"] = [{"name": "internal", "max_listeners": 1}]
    _, mapping = standin.create_network(aws, parse_config(data))
    path = write(tmp_path, _mapped(data, mapping))
    assert main(["plan", str(path), "--endpoint-url", aws.endpoint_url]) == 0
    planned = capsys.readouterr().out
    assert planned.count("(CREATE)") == 7 * 2 and planned.count(recover.PROTECTED_LATER) == 1
    assert main(["deploy", str(path), "--endpoint-url", aws.endpoint_url, "--outputs-file", str(tmp_path / "outputs.json"), "--yes"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert sum(line.count("created; turning on its load balancer's deletion protection") for line in lines) == 7
    assert sum(line.count(recover.PROTECTED_LATER) for line in lines) == 1
    # per stack: a table of 11 lines, its summary, a placement line, its execution, and three lines
    # for the protection's change set; then the note, the state file and the outputs file
    assert len(lines) <= 7 * (11 + 1 + 1 + 1 + 3) + 3


@pytest.mark.e2e
def test_a_failed_stack_stops_the_deploy_and_leaves_the_later_stacks_untouched(aws, tmp_path, capsys):
    from shared_nlb import standin
    from tests.test_e2e import _mapped

    data = base_dict(
        [
            {"name": "redis", "service_port": 6379, "listener_port": 6379},
            {"name": "kafka", "service_port": 9092, "listener_port": 9092, "load_balancer": "later"},
        ]
    )
    data["name"] = "e2e-lbs-fail"
    data["load_balancers"] = [{"name": "first"}, {"name": "later"}]
    _, mapping = standin.create_network(aws, parse_config(data))
    data = _mapped(data, mapping)
    # A certificate ACM has never issued: the first stack's listener fails (CertificateNotFound).
    data["services"][0].update(protocol="TLS", certificate_arn="arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000")
    out = tmp_path / "outputs.json"
    out.write_text("old\n")
    path = write(tmp_path, data)
    assert main(["deploy", str(path), "--endpoint-url", aws.endpoint_url, "--outputs-file", str(out), "--yes"]) == 1
    captured = capsys.readouterr()
    assert "CertificateNotFound" in captured.err
    assert "not executed (change sets deleted, nothing changed): stack shared-nlb-e2e-lbs-fail-later" in captured.out
    cfn = aws.client("cloudformation")
    assert not [s for s in cfn.list_stacks()["StackSummaries"] if s["StackName"] == "shared-nlb-e2e-lbs-fail-later" and s["StackStatus"] != "DELETE_COMPLETE"]
    assert out.read_text() == "old\n"
    # The placement was recorded before anything ran; the next deploy (fixed) gets both stacks up.
    assert load_config(path).committed_placement == {"redis": "first", "kafka": "later"}
    del data["services"][0]["certificate_arn"]
    data["services"][0]["protocol"] = "TCP"
    write(tmp_path, data)
    assert main(["deploy", str(path), "--endpoint-url", aws.endpoint_url, "--outputs-file", str(out), "--yes"]) == 0
    assert sorted(json.loads(out.read_text())) == ["shared-nlb-e2e-lbs-fail-first", "shared-nlb-e2e-lbs-fail-later"]


def test_dns_privatelink_and_alarms_may_sit_on_an_entry() -> None:
    zone = {"zone_name": "internal.example.com", "zone_id": "Z0123456789ABCDEFGHIJ"}
    data = multi(dns=zone, alarms={"topic_arn": "arn:aws:sns:ap-northeast-2:111111111111:platform-alerts"})
    data["load_balancers"][1]["dns"] = {"zone_name": "example.com", "zone_id": "Z0123456789ABCDEFGHIK"}
    data["load_balancers"][1]["privatelink"] = {"allowed_principals": ["arn:aws:iam::333333333333:root"]}
    units = {u.shard: u.config for u in parse_config(data).units()}
    assert {shard: c.dns.zone_name for shard, c in units.items()} == {"internal": "internal.example.com", "internal-2": "internal.example.com", "public": "example.com"}
    assert [shard for shard, c in units.items() if c.privatelink] == ["public"]
    assert all(c.alarms for c in units.values())
    # An entry's own section is checked and reported at the entry's path.
    data["load_balancers"][1]["privatelink"] = {"allowed_principals": ["*"]}
    found = problems(data)
    assert len(found) == 1 and found[0].startswith("load_balancers[1].privatelink.allowed_principals")


@pytest.fixture(scope="session")
def reach_templates() -> dict[str, dict]:
    from shared_nlb.synth import template_texts

    zone = {"zone_name": "internal.example.com", "zone_id": "Z0123456789ABCDEFGHIJ"}
    data = multi(dns=zone, alarms={"topic_arn": "arn:aws:sns:ap-northeast-2:111111111111:platform-alerts"})
    return {name: json.loads(text) for name, text in template_texts(parse_config(data)).items()}


def test_records_and_alarms_follow_each_service_to_its_nlb(reach_templates) -> None:
    records = {name: _resources(t, "AWS::Route53::RecordSet") for name, t in reach_templates.items()}
    assert records == {
        "shared-nlb-test-internal": ["KafkaDnsRecord", "RedisDnsRecord"],
        "shared-nlb-test-internal-2": ["NatsDnsRecord"],
        "shared-nlb-test-public": ["WebDnsRecord"],
    }
    nats = reach_templates["shared-nlb-test-internal-2"]["Resources"]["NatsDnsRecord"]["Properties"]
    assert nats["Name"] == "nats.internal.example.com." and nats["AliasTarget"]["DNSName"]["Fn::Join"][1][1]["Fn::GetAtt"] == ["LoadBalancer", "DNSName"]
    alarms = {name: _resources(t, "AWS::CloudWatch::Alarm") for name, t in reach_templates.items()}
    assert alarms["shared-nlb-test-internal-2"] == ["NatsNoHealthyTargetsAlarm"]
    alarm = reach_templates["shared-nlb-test-internal-2"]["Resources"]["NatsNoHealthyTargetsAlarm"]["Properties"]
    assert alarm["AlarmName"] == "shared-nlb-test-internal-2-nats-no-healthy-targets"


def test_clusters_get_one_tree_each_with_the_bindings_of_every_nlb(tmp_path) -> None:
    import yaml

    from shared_nlb.manifests import render_tree_from_outputs

    role = "arn:aws:iam::222222222222:role/aws-load-balancer-controller"
    config = parse_config(multi(clusters=[{"name": "blue"}, {"name": "green", "controller_role_arn": role}]))
    files = render_tree_from_outputs(config, _multi_outputs(config))
    assert sorted(files) == [f"{c}/{f}" for c in ("blue", "green") for f in ("default/kafka.yaml", "default/nats.yaml", "default/redis.yaml", "default/web.yaml", "kustomization.yaml")]
    specs = {path: yaml.safe_load(text.split("\n", 1)[1])["spec"] for path, text in files.items() if not path.endswith("kustomization.yaml")}
    assert all(s["multiClusterTargetGroup"] is True for s in specs.values())
    assert {p for p, s in specs.items() if "iamRoleArnToAssume" in s} == {p for p in specs if p.startswith("green/")}
    # Each NLB's stack made its own role for green, with the external ID of its own stack.
    assert specs["green/default/nats.yaml"]["assumeRoleExternalId"] == "shared-nlb:test-internal-2:green"
    assert specs["green/default/web.yaml"]["assumeRoleExternalId"] == "shared-nlb:test-public:green"
    assert all(f"shared-nlb.io/load-balancer: shared-nlb-test" in files[f"{c}/kustomization.yaml"] for c in ("blue", "green"))


def test_a_stack_that_gives_up_a_dns_record_is_executed_before_the_others() -> None:
    from shared_nlb.changeset import Change, Plan
    from shared_nlb.deploy.execute import execution_order

    record = "AWS::Route53::RecordSet"
    first = Plan("a", "id-a", "UPDATE", (Change("Add", "WebDnsRecord", record), Change("Add", "WebListener", "AWS::ElasticLoadBalancingV2::Listener")))
    second = Plan("b", "id-b", "UPDATE", (Change("Modify", "RedisListener", "AWS::ElasticLoadBalancingV2::Listener"),))
    third = Plan("c", "id-c", "UPDATE", (Change("Remove", "WebDnsRecord", record),))
    assert [p.stack_name for p in execution_order([first, second, third])] == ["c", "a", "b"]
    assert [p.stack_name for p in execution_order([first, second])] == ["a", "b"]  # otherwise the config's order


# --- moving a deployed `load_balancer:` config to `load_balancers:` ----------------------------------
def adopting(data: dict) -> dict:
    """`data` (a `load_balancer:` config) rewritten with `load_balancers`: its NLB adopted by the
    entry `internal`, and a new entry `public` holding a new service."""
    out = json.loads(json.dumps(data))
    settings = out.pop("load_balancer", {})
    name = settings.pop("name", None)
    out["load_balancers"] = [
        {"name": "internal", "adopt": True, **settings, **({"load_balancer_name": name} if name else {})},
        {"name": "public", "scheme": "internet-facing", "subnet_ids": PUBLIC_SUBNETS, "clients": [{"cidr": "203.0.113.0/24"}]},
    ]
    out["services"].append({"name": "web", "service_port": 443, "listener_port": 443, "load_balancer": "public"})
    return out


def test_the_adopted_nlb_keeps_the_names_of_the_load_balancer_config() -> None:
    config = parse_config(adopting(base_dict()))
    assert [(u.shard, u.stack_name, u.config.load_balancer_name, u.config.name) for u in config.units()] == [
        ("internal", "shared-nlb-test", "shared-nlb-test", "test"),
        ("public", "shared-nlb-test-public", "shared-nlb-test-public", "test-public"),
    ]
    assert config.tree_owner == "shared-nlb-test" == parse_config(base_dict()).tree_owner
    named = base_dict()
    named["load_balancer"] = {"name": "edge-nlb"}
    named["stack"] = {"name": "edge"}
    units = parse_config(adopting(named)).units()
    assert [(u.stack_name, u.config.load_balancer_name) for u in units] == [("edge", "edge-nlb"), ("edge-public", "shared-nlb-test-public")]


def test_adopt_rules() -> None:
    data = adopting(base_dict())
    data["load_balancers"][1]["adopt"] = True
    data["load_balancers"][1]["load_balancer_name"] = "x"
    assert problems(data) == ["load_balancers[1].adopt: only one entry may adopt the NLB of the load_balancer: config; load_balancers[0] does already"]
    data["load_balancers"][1]["adopt"] = False
    assert problems(data) == ["load_balancers[1].load_balancer_name: is only for the adopted NLB (adopt: true); the other NLB names derive from the config's and the entry's names"]
    data["load_balancers"][0]["load_balancer_name"] = "internal-x"
    del data["load_balancers"][1]["load_balancer_name"]
    assert problems(data) == ["load_balancers[0].load_balancer_name: gives the NLB name 'internal-x'; AWS does not allow names starting with 'internal-'"]


def test_the_adopted_nlbs_template_is_the_load_balancer_configs_byte_for_byte(example_config, example_template_text) -> None:
    from shared_nlb.synth import template_texts
    from tests.factories import example_dict

    templates = template_texts(parse_config(adopting(example_dict())))
    assert list(templates) == ["shared-nlb-core", "shared-nlb-core-public"]
    assert templates["shared-nlb-core"] == example_template_text


@pytest.mark.e2e
def test_a_deployed_load_balancer_config_moves_to_load_balancers_without_a_change(aws, tmp_path, capsys):
    from shared_nlb import standin
    from tests.factories import example_dict
    from tests.test_e2e import _mapped

    data = example_dict()
    data["name"] = "e2e-adopt"
    _, mapping = standin.create_network(aws, parse_config(adopting(data)))  # the public entry's subnets too
    data = _mapped(data, mapping)
    path, out = write(tmp_path, data), tmp_path / "outputs.json"
    deploy = ["deploy", str(path), "--endpoint-url", aws.endpoint_url, "--outputs-file", str(out), "--yes"]
    assert main(deploy) == 0
    before = json.loads(out.read_text())
    write(tmp_path, _mapped(adopting(data), mapping))
    capsys.readouterr()
    assert main(deploy) == 0
    assert "stack shared-nlb-e2e-adopt: no changes" in capsys.readouterr().out
    after = json.loads(out.read_text())
    assert after["shared-nlb-e2e-adopt"] == before["shared-nlb-e2e-adopt"] and "WebTargetGroupArn" in after["shared-nlb-e2e-adopt-public"]


@pytest.mark.e2e
def test_standin_maps_the_entries_clients_and_zones_and_keeps_the_placement(aws, tmp_path) -> None:
    import yaml

    from shared_nlb import standin

    data = multi(dns={"zone_name": "internal.example.com", "zone_id": "Z0123456789ABCDEFGHIJ"})
    data["name"] = "sb-lbs"
    data["load_balancers"][1]["clients"] = [{"security_group": "sg-0ec5000000000002b"}]
    data["load_balancers"][1]["dns"] = {"zone_name": "public.example.com", "zone_id": "Z0123456789ABCDEFGHIK"}
    path = write(tmp_path, data)
    states.path_beside(path).write_text(states.text(State().with_placement({"redis": "internal", "kafka": "internal-2"})))
    config = load_config(path)
    mapped, mapping = standin.create_network(aws, config)
    assert {"sg-0ec5000000000002b", "Z0123456789ABCDEFGHIJ", "Z0123456789ABCDEFGHIK"} <= set(mapping)
    text = standin.mapped_config_text(path.read_text(), mapping, mapped)
    written = yaml.safe_load(text)
    assert written["load_balancers"][1]["clients"] == [{"security_group": mapping["sg-0ec5000000000002b"]}]
    assert written["load_balancers"][1]["dns"]["zone_id"] == mapping["Z0123456789ABCDEFGHIK"]
    assert written["load_balancers"][1]["subnet_ids"] == [mapping[s] for s in PUBLIC_SUBNETS]
    assert mapped.placement == config.placement
