"""Notes: what a valid config does that its reader may not expect, one line each in `validate` and
`plan` (never an error). Each note both ways: the configs that get it, with the exact line, and the
ones that do not."""

from __future__ import annotations

import json
from typing import Any

import pytest

from shared_nlb.cli import main
from shared_nlb.config import load_config_with_notes
from tests.factories import PUBLIC_SUBNETS, base_dict, write

UDP_CHECK = "note: AWS has no UDP health check: the NLB checks 'syslog' over TCP on the target port 514, which must then accept TCP connections too; set services[0].health_check.port to the TCP port the pods answer on"
OUTSIDE = "(network.target_cidrs outside network.vpc_cidr) must be in the NLB's VPC (a secondary CIDR) or a peered VPC in the same region: not behind a Transit Gateway or in another region"


def syslog(**fields: Any) -> dict[str, Any]:
    return {"name": "syslog", "service_port": 514, "listener_port": 514, "protocol": "UDP", **fields}


def with_targets(services: list[dict[str, Any]], target_cidrs: list[str] | None = None) -> dict[str, Any]:
    data = base_dict(services)
    if target_cidrs is not None:
        data["network"]["target_cidrs"] = target_cidrs
    return data


def notes_of(tmp_path, data: dict[str, Any]) -> list[str]:
    _, notes = load_config_with_notes(write(tmp_path, data))
    return [f"{n.path}: {n.message}" for n in notes]


NOTES = [
    # AWS has no UDP health check (CreateTargetGroup HealthCheckProtocol): say how a UDP service is checked.
    ("udp-traffic-port", with_targets([syslog()]), [f"services[0].health_check: {UDP_CHECK}"]),
    ("udp-own-port", with_targets([syslog(health_check={"port": 8080})]), ["services[0].health_check: note: AWS has no UDP health check: the NLB checks 'syslog' over TCP on port 8080 (services[0].health_check.port)"]),
    ("udp-http-port", with_targets([syslog(health_check={"protocol": "HTTP", "port": 9090, "path": "/healthz"})]), ["services[0].health_check: note: AWS has no UDP health check: the NLB checks 'syslog' over HTTP on port 9090 (services[0].health_check.port)"]),
    # Client IP preservation keeps UDP targets in the NLB's VPC or a peered one of its region ("Edit
    # target group attributes for your Network Load Balancer").
    ("udp-outside-vpc", with_targets([syslog(health_check={"port": 8080})], ["10.0.0.0/16", "100.64.0.0/16", "10.9.0.0/16"]), [  # in line order
        f"services[0].protocol: note: UDP keeps the client's IP (AWS cannot turn that off), so targets in 100.64.0.0/16, 10.9.0.0/16 {OUTSIDE}",
        "services[0].health_check: note: AWS has no UDP health check: the NLB checks 'syslog' over TCP on port 8080 (services[0].health_check.port)",
    ]),
    ("tcp-udp-outside-vpc", with_targets([{"name": "dns", "service_port": 53, "listener_port": 53, "protocol": "TCP_UDP"}], ["100.64.0.0/16"]), [
        f"services[0].protocol: note: TCP_UDP keeps the client's IP (AWS cannot turn that off), so targets in 100.64.0.0/16 {OUTSIDE}",
    ]),
    # and none: TCP services, TCP_UDP on its own TCP port, UDP targets inside the VPC's CIDR
    ("tcp-outside-vpc", with_targets([{"name": "redis", "service_port": 6379, "listener_port": 6379}], ["100.64.0.0/16"]), []),
    ("tcp-udp-in-vpc", with_targets([{"name": "dns", "service_port": 53, "listener_port": 53, "protocol": "TCP_UDP"}], ["10.0.0.0/16", "10.0.128.0/17"]), []),
]


@pytest.mark.parametrize(("data", "expected"), [case[1:] for case in NOTES], ids=[case[0] for case in NOTES])
def test_notes_get_exact_lines(tmp_path, data: dict[str, Any], expected: list[str]) -> None:
    assert notes_of(tmp_path, data) == expected


def test_notes_of_several_nlbs_name_the_files_fields(tmp_path) -> None:
    data = base_dict([{"name": "redis", "service_port": 6379, "listener_port": 6379}, syslog(load_balancer="public")])
    data["load_balancers"] = [{"name": "internal"}, {"name": "public", "scheme": "internet-facing", "subnet_ids": PUBLIC_SUBNETS, "clients": [{"cidr": "203.0.113.0/24"}]}]
    assert notes_of(tmp_path, data) == [f"services[1].health_check: {UDP_CHECK.replace('services[0]', 'services[1]')}"]


def test_validate_prints_each_note_after_the_valid_line_and_still_exits_0(tmp_path, capsys) -> None:
    path = write(tmp_path, with_targets([{"name": "redis", "service_port": 6379, "listener_port": 6379}, syslog()]))
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{path}: valid: stack shared-nlb-test, NLB shared-nlb-test, 2 service(s)",
        f"{path}:15: services[1].health_check: {UDP_CHECK.replace('services[0]', 'services[1]')}",
    ]


@pytest.mark.e2e
@pytest.mark.parametrize("command", ["plan", "deploy"])
def test_plan_and_deploy_print_the_notes_before_the_change_set(aws, tmp_path, capsys, command) -> None:
    from shared_nlb import standin
    from shared_nlb.config import parse_config
    from tests.test_e2e import _mapped

    data = with_targets([syslog()])
    data["name"] = f"e2e-notes-{command}"
    data["load_balancer"] = {"deletion_protection": False}
    data["stack"] = {"termination_protection": False}
    _, mapping = standin.create_network(aws, parse_config(data))
    path = write(tmp_path, _mapped(data, mapping))
    capsys.readouterr()
    more = ["--outputs-file", str(tmp_path / "outputs.json"), "--yes"] if command == "deploy" else []
    assert main([command, str(path), "--endpoint-url", aws.endpoint_url, *more]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"{path}:12: services[0].health_check: {UDP_CHECK}", json.dumps(out)
