"""The topology picture: every listener and Service named, deterministic, valid SVG, the command's output."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from shared_nlb import graph
from shared_nlb.cli import main
from shared_nlb.config import load_config, parse_config
from tests import factories

SVG_NS = "{http://www.w3.org/2000/svg}"


def _example():
    return load_config(factories.EXAMPLE)


def test_mermaid_names_every_listener_target_group_and_service():
    text = graph.mermaid(_example())
    assert text.startswith("flowchart LR\n")
    for line in (
        'RedisListener["redis 6379/TCP"]',
        'KafkaListener["kafka 31021/TCP"]',
        'OpenobserveListener["openobserve 5080/TCP"]',
        'RedisTargetGroup["redis target group: ip -> 6380/TCP"]',
        'k8s__data__redis__6380["data/redis:6380"]',
        'k8s__kafka__kafka_bootstrap__9092["kafka/kafka-bootstrap:9092"]',
        'k8s__observability__openobserve__5080["observability/openobserve:5080"]',
        'clientSg0ec5000000000001a["security group sg-0ec5000000000001a (ECS Fargate clients)"]',
        "clientCidr10x20x0x0x16 --> RedisListener",
        "RedisListener --> RedisTargetGroup",
        "RedisTargetGroup --> k8s__data__redis__6380",
    ):
        assert f"    {line}\n" in text or f"  {line}\n" in text, line


def test_mermaid_ignores_list_order():
    data = factories.example_dict()
    reordered = factories.with_changes(data, services=list(reversed(data["services"])), clients=list(reversed(data["clients"])))
    assert graph.mermaid(parse_config(reordered)) == graph.mermaid(parse_config(data))


def test_service_clients_override_and_shared_k8s_service():
    data = factories.base_dict(
        [
            {"name": "dns-tcp", "namespace": "kube-system", "service": "dns", "service_port": 53, "listener_port": 53},
            {"name": "dns-udp", "namespace": "kube-system", "service": "dns", "service_port": 53, "listener_port": 1053, "protocol": "UDP", "clients": [{"cidr": "10.9.0.0/16"}]},
        ]
    )
    topo = graph.topology(parse_config(data))
    assert set(topo.edges) >= {("clientSg0ec5000000000001a", "DnsTcpListener"), ("clientCidr10x9x0x0x16", "DnsUdpListener")}
    assert ("clientSg0ec5000000000001a", "DnsUdpListener") not in topo.edges  # the service's own list replaces the top-level one
    services = dict(topo.columns)["Kubernetes Services"]
    assert [n.label for n in services] == ["kube-system/dns:53"]  # one Service, two listeners


def test_mermaid_escapes_quote_like_characters():
    data = factories.base_dict()
    data["clients"] = [{"security_group": "sg-0ec5000000000001a", "description": "team #1; ops"}]
    assert 'clientSg0ec5000000000001a["security group sg-0ec5000000000001a (team #35;1; ops)"]' in graph.mermaid(parse_config(data))


def test_svg_is_wellformed_and_has_a_box_per_node():
    text = graph.svg(_example())
    root = ET.fromstring(text)
    assert root.tag == f"{SVG_NS}svg"
    groups = {g.get("id"): g.find(f"{SVG_NS}text").text for g in root.iter(f"{SVG_NS}g")}
    assert groups["RedisListener"] == "redis 6379/TCP"
    assert groups["k8s__kafka__kafka_bootstrap__9092"] == "kafka/kafka-bootstrap:9092"
    assert len(groups) == 2 + 3 + 3 + 3
    assert len(list(root.iter(f"{SVG_NS}line"))) == 2 * 3 + 3 + 3
    assert graph.svg(_example()) == text


def test_cli_stdout_and_out_file(tmp_path, capsys):
    assert main(["graph", str(factories.EXAMPLE)]) == 0
    assert capsys.readouterr().out == graph.mermaid(_example())
    out = tmp_path / "pic" / "topology.svg"
    assert main(["graph", str(factories.EXAMPLE), "--format", "svg", "--out", str(out)]) == 0
    assert out.read_text() == graph.svg(_example())
    assert capsys.readouterr().out == ""


def test_cli_bad_format_and_missing_config(tmp_path, capsys):
    assert _exit_code(["graph", str(factories.EXAMPLE), "--format", "png"]) == 2
    assert main(["graph", str(tmp_path / "nope.yaml")]) == 2
    assert "nope.yaml: no such file" in capsys.readouterr().err


def _exit_code(argv):
    try:
        return main(argv)
    except SystemExit as stop:  # argparse rejects bad choices by exiting
        return stop.code


@pytest.mark.parametrize("doc", ["docs/adoption.md", "README.md"])
def test_docs_picture_is_current(doc):
    # The README and docs/adoption.md show the example's picture; it must change when the renderer does.
    text = (factories.ROOT / doc).read_text()
    assert f"```mermaid\n{graph.mermaid(_example())}```\n" in text
