"""The stand-in's ID map (`shared_nlb.standin.id_map`) and the product's side of it
(`shared_nlb.mapped_ids`): applied when, and only when, a command talks to that stand-in; real AWS,
an endpoint elsewhere and another server on this machine leave the config as it is."""

from __future__ import annotations

import http.server
import json
import socket
import threading
import urllib.request

import pytest

from shared_nlb import mapped_ids
from shared_nlb.cli import main
from shared_nlb.config import parse_config
from shared_nlb.config.ids import named_ids, with_ids
from shared_nlb.errors import InvalidInput
from tests.factories import base_dict, write

# IDs no other test names: the session's stand-in, and its map, are shared by every test of a worker.
VPC, SUBNETS, GROUP = "vpc-0feedfacefeedface", ["subnet-0feedfacefeed0001", "subnet-0feedfacefeed0002"], "sg-0feedfacefeed0003"


def users_config(**network):
    data = base_dict()
    data["name"] = "ids"
    data["network"].update({"vpc_id": VPC, "subnet_ids": SUBNETS, **network})
    data["clients"] = [{"security_group": GROUP}]
    return data


@pytest.fixture
def no_request(monkeypatch):
    """Any connection this process opens fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a connection was opened: {args}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)


def test_real_aws_is_untouched(monkeypatch, tmp_path, no_request):
    """No endpoint (real AWS), or one that is not on this machine's loopback: nothing is asked, the
    config is the very object loaded, and synth writes the user's own IDs."""
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    config = parse_config(users_config())
    assert mapped_ids.for_endpoint(config) is config
    for elsewhere in ("https://cloudformation.eu-west-1.amazonaws.com", "http://10.1.2.3:4566", "http://stand-in.example:4590", "https://127.0.0.1:4590"):
        assert mapped_ids.standin_endpoint(elsewhere) is None
        assert mapped_ids.for_endpoint(config, endpoint_url=elsewhere) is config
    path = write(tmp_path, users_config())
    assert main(["validate", str(path)]) == 0
    assert main(["synth", str(path), "--first-deploy", "--out", str(tmp_path / "out")]) == 0
    template = (tmp_path / "out" / "shared-nlb-ids.template.json").read_text()
    assert VPC in template and all(subnet in template for subnet in SUBNETS) and GROUP in template


def test_loopback_endpoints_are_the_ones_asked():
    for url in ("http://127.0.0.1:4590", "http://localhost:4590/", "http://[::1]:4590", "http://127.1.2.3:80"):
        assert mapped_ids.standin_endpoint(url) == url.rstrip("/")


class _Answer(http.server.BaseHTTPRequestHandler):
    """A server on this machine that is not the stand-in: 404 on the map's path, or a JSON answer
    without the stand-in's mark."""

    def do_POST(self):
        if self.server.found:  # type: ignore[attr-defined]
            body = json.dumps({"ids": {VPC: "vpc-0123"}, "created": []}).encode()
            self.send_response(200)
        else:
            body = b'{"__type": "UnknownOperationException"}'
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("found", [False, True], ids=["404", "200 without the mark"])
def test_another_server_on_this_machine_leaves_the_config_as_it_is(found):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Answer)
    server.found = found  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        config = parse_config(users_config())
        assert mapped_ids.for_endpoint(config, endpoint_url=f"http://127.0.0.1:{server.server_port}") is config
    finally:
        server.shutdown()
        server.server_close()


def test_nothing_listening_leaves_the_config_as_it_is():
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = parse_config(users_config())
    assert mapped_ids.for_endpoint(config, endpoint_url=f"http://127.0.0.1:{port}") is config


ZONE = "Z0FEEDFACEFEED0000001"


def with_zone(data):
    data["dns"] = {"zone_name": "ids.example.com", "zone_id": ZONE}
    return data


def test_the_stand_in_maps_a_config_keeps_the_map_and_adds_new_ids_without_a_restart(aws, capsys):
    first = mapped_ids.for_endpoint(parse_config(with_zone(users_config())), endpoint_url=aws.endpoint_url)
    made = capsys.readouterr().err.splitlines()
    assert [line.split(": ", 1)[1].split(" -> ")[0] for line in made] == [VPC, *SUBNETS, GROUP, ZONE]
    zone = aws.client("route53").get_hosted_zone(Id=first.dns.zone_id)
    assert (zone["HostedZone"]["Name"], zone["VPCs"]) == ("ids.example.com.", [{"VPCRegion": aws.region, "VPCId": first.network.vpc_id}])
    ec2 = aws.client("ec2")
    assert first.network.vpc_id != VPC and ec2.describe_vpcs(VpcIds=[first.network.vpc_id])["Vpcs"][0]["CidrBlock"] == "10.0.0.0/16"
    assert {s["VpcId"] for s in ec2.describe_subnets(SubnetIds=first.network.subnet_ids)["Subnets"]} == {first.network.vpc_id}

    again = mapped_ids.for_endpoint(parse_config(with_zone(users_config())), endpoint_url=aws.endpoint_url)
    assert again == first and capsys.readouterr().err == ""  # the map kept: nothing made twice

    third = "subnet-0feedfacefeed0004"
    grown = mapped_ids.for_endpoint(parse_config(with_zone(users_config(subnet_ids=[*SUBNETS, third]))), endpoint_url=aws.endpoint_url)
    (line,) = capsys.readouterr().err.splitlines()
    assert line == f"stand-in {aws.endpoint_url}: {third} -> {grown.network.subnet_ids[2]} (new)"
    assert grown.network.subnet_ids[:2] == first.network.subnet_ids and grown.network.vpc_id == first.network.vpc_id
    subnets = ec2.describe_subnets(SubnetIds=grown.network.subnet_ids)["Subnets"]
    assert len({s["AvailabilityZone"] for s in subnets}) == 3 and len({s["CidrBlock"] for s in subnets}) == 3

    with urllib.request.urlopen(aws.endpoint_url + mapped_ids.PATH) as response:
        served = json.loads(response.read())
    assert served["stand-in"] == mapped_ids.MARK
    assert {VPC: first.network.vpc_id, third: grown.network.subnet_ids[2]}.items() <= served["regions"][aws.region].items()


def test_a_config_of_the_stand_ins_own_ids_is_its_own(aws, capsys):
    """A --write-config copy, or a config the demo mapped: its IDs are the stand-in's, kept as they are."""
    data = users_config()
    data["network"]["vpc_id"], data["network"]["subnet_ids"], data["clients"] = "vpc-0feedfacefeed0020", ["subnet-0feedfacefeed0021"], [{"security_group": "sg-0feedfacefeed0022"}]
    mapped = mapped_ids.for_endpoint(parse_config(data), endpoint_url=aws.endpoint_url)
    capsys.readouterr()
    assert mapped_ids.for_endpoint(mapped, endpoint_url=aws.endpoint_url) == mapped
    assert capsys.readouterr().err == ""


def test_a_config_the_stand_in_cannot_map_is_one_line_per_problem_and_makes_nothing(aws):
    data = users_config(vpc_id="vpc-0feedfacefeed0030", vpc_cidr="10.9.0.0/28", subnet_ids=["subnet-0feedfacefeed0031", "subnet-0feedfacefeed0032"])
    vpcs = len(aws.client("ec2").describe_vpcs()["Vpcs"])
    with pytest.raises(InvalidInput) as error:
        mapped_ids.for_endpoint(parse_config(data), endpoint_url=aws.endpoint_url)
    assert str(error.value) == (
        f"network.vpc_cidr: 10.9.0.0/28 has room for 1 subnet(s) of /28, the smallest AWS allows, not the 2 of network.subnet_ids (the stand-in at {aws.endpoint_url} cannot map the config)"
    )
    assert len(aws.client("ec2").describe_vpcs()["Vpcs"]) == vpcs
    with pytest.raises(InvalidInput, match=r"^region 'xx-nowhere-1' is not an AWS region the stand-in serves \(the stand-in at .* cannot map the config\)$"):
        mapped_ids.for_endpoint(parse_config(users_config()), endpoint_url=aws.endpoint_url, region="xx-nowhere-1")


def test_named_ids_and_with_ids_cover_every_id_a_config_names():
    data = users_config()
    data["stack"] = {"account": "111111111111", "region": "ap-northeast-2"}
    data["services"][0]["clients"] = [{"prefix_list": "pl-0feedfacefeed0005", "max_entries": 4}]
    data["dns"] = {"zone_name": "internal.example.com", "zone_id": "Z0123456789ABCDEFGHIJ"}
    data["clusters"] = [{"name": "blue"}, {"name": "auto", "controller": "eks-auto-mode", "node_security_group": "sg-0feedfacefeed0006"}]
    config = parse_config(data)
    named = named_ids(config)
    assert named == {
        "account": "111111111111",
        "vpc": {"id": VPC, "cidr": "10.0.0.0/16"},
        "subnets": [SUBNETS],
        "security_groups": [GROUP, "sg-0feedfacefeed0006"],
        "prefix_lists": {"pl-0feedfacefeed0005": 4},
        "certificates": {},
        "hosted_zones": {"Z0123456789ABCDEFGHIJ": "internal.example.com"},
    }
    ids = {VPC: "vpc-1", SUBNETS[0]: "subnet-1", SUBNETS[1]: "subnet-2", GROUP: "sg-1", "sg-0feedfacefeed0006": "sg-2", "pl-0feedfacefeed0005": "pl-1", "Z0123456789ABCDEFGHIJ": "Z1", "111111111111": "123456789012"}
    other = with_ids(config, ids)
    assert named_ids(other) == {
        "account": "123456789012",
        "vpc": {"id": "vpc-1", "cidr": "10.0.0.0/16"},
        "subnets": [["subnet-1", "subnet-2"]],
        "security_groups": ["sg-1", "sg-2"],
        "prefix_lists": {"pl-1": 4},
        "certificates": {},
        "hosted_zones": {"Z1": "internal.example.com"},
    }
    assert with_ids(config, {}) is config


def test_new_subnets_take_the_free_blocks_beside_the_mapped_ones_or_are_refused(aws):
    """A VPC mapped before keeps its subnets: new ones take free blocks of its CIDR, and when there
    are too few, nothing is made and the one line says how many fit."""
    first = [f"subnet-0feedfacefeed00{n}" for n in (41, 42)]
    data = users_config(vpc_id="vpc-0feedfacefeed0040", vpc_cidr="10.8.0.0/24", subnet_ids=first)
    mapped = mapped_ids.for_endpoint(parse_config(data), endpoint_url=aws.endpoint_url)
    third = mapped_ids.for_endpoint(parse_config({**data, "network": {**data["network"], "subnet_ids": [*first, "subnet-0feedfacefeed0043"]}}), endpoint_url=aws.endpoint_url)
    blocks = [s["CidrBlock"] for s in aws.client("ec2").describe_subnets(SubnetIds=third.network.subnet_ids)["Subnets"]]
    assert third.network.subnet_ids[:2] == mapped.network.subnet_ids and sorted(blocks) == ["10.8.0.0/28", "10.8.0.16/28", "10.8.0.32/28"]
    many = [*first, *(f"subnet-0feedfacefeed01{n:02}" for n in range(15))]
    subnets = len(aws.client("ec2").describe_subnets()["Subnets"])
    with pytest.raises(InvalidInput, match=r"^network.vpc_cidr: 10.8.0.0/24 has room for 13 more subnet\(s\) of /28 beside the stand-in's 3, not the 15 new of network.subnet_ids \(the stand-in at .*\)$"):
        mapped_ids.for_endpoint(parse_config({**data, "network": {**data["network"], "subnet_ids": many}}), endpoint_url=aws.endpoint_url)
    assert len(aws.client("ec2").describe_subnets()["Subnets"]) == subnets
