"""import-services: realistic Service lists in, a config the model accepts out, nothing dropped silently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from shared_nlb.cli import main
from shared_nlb.config import MAX_LISTENERS_PER_NLB, ConfigError, parse_config
from shared_nlb.errors import UserError
from shared_nlb.importer import CONTROLLER_HEALTH_CHECK, PATCH_NOTE, import_services, read_services

DATA = Path(__file__).parent / "data"
LIST = DATA / "services-list.yaml"
STREAM = DATA / "services-stream.yaml"
NETWORK = {"vpc_id": "vpc-0a1b2c3d4e5f60718", "vpc_cidr": "10.0.0.0/16", "subnet_ids": ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"], "client_sgs": ["sg-0ec5000000000001a"]}
FLAGS = ["--vpc-id", "vpc-0a1b2c3d4e5f60718", "--vpc-cidr", "10.0.0.0/16", "--subnet-id", "subnet-0aaaaaaaaaaaaaaa1", "--subnet-id", "subnet-0bbbbbbbbbbbbbbb2", "--client-sg", "sg-0ec5000000000001a"]


@pytest.fixture(scope="module")
def listed():
    return import_services(LIST.read_text(), **NETWORK)


@pytest.fixture(scope="module")
def streamed():
    return import_services(STREAM.read_text())


def _by_name(result):
    return {s["name"]: s for s in result.data["services"]}


def test_one_entry_per_port_sorted_with_unique_names(listed):
    rows = [(s["name"], s["namespace"], s["service"], s["service_port"], s["listener_port"], s["protocol"], s["target_port"]) for s in listed.data["services"]]
    assert rows == [
        ("cache-redis", "cache", "redis", 6379, 6379, "TCP", 6379),
        ("data-redis", "data", "redis", 6379, 6380, "TCP", 6379),  # clash: the next free port
        ("kafka-bootstrap-tcp-clients", "kafka", "kafka-bootstrap", 9092, 9092, "TCP", 9092),
        ("kafka-bootstrap-tcp-tls", "kafka", "kafka-bootstrap", 9093, 9093, "TCP", 9093),
        ("coredns-external", "kube-system", "coredns-external", 53, 53, "TCP_UDP", 53),  # 53/TCP and 53/UDP: one TCP_UDP listener
        ("billing", "legacy", "billing", 8080, 8080, "TCP", 8080),
        ("ledger", "legacy", "ledger", 443, 443, "TCP", 8443),
        ("openobserve-http", "observability", "openobserve", 5080, 5080, "TCP", 5080),
        ("openobserve-syslog", "observability", "openobserve", 5514, 5514, "UDP", 5514),
        ("sip", "voip", "sip", 5060, 5060, "TCP_UDP", 5060),
    ]


def test_tcp_and_udp_on_one_port_are_merged_and_reported(listed):
    # AWS keys NLB listeners by port alone: two listeners on 53 would fail with DuplicateListener.
    assert "kube-system/coredns-external ports 53/TCP and 53/UDP: merged into one TCP_UDP listener" in listed.notes
    assert "  # ports 53/TCP and 53/UDP merged into one TCP_UDP listener (AWS keys NLB listeners by port)\n" in listed.text


def test_clash_is_reported(listed):
    assert "data/redis port 6379/TCP: listener port 6379 is already used by 'cache-redis'; given 6380: its clients must connect to 6380" in listed.notes
    assert "  # listener_port moved from 6379 (used by 'cache-redis'): clients must use 6380\n  - name: data-redis\n" in listed.text


def test_patch_note_is_wrapped_at_100_characters_whole_words(listed):
    lines = listed.text.rstrip("\n").split("\n")
    note = lines[next(i for i, line in enumerate(lines) if line.startswith("# Run these only once")):]
    assert all(line.startswith("# ") and len(line) <= 102 for line in note)
    assert note[0] == "# Run these only once clients use the shared NLB's DNS name: the controller deletes the old load"
    assert " ".join(line[2:] for line in note) == PATCH_NOTE


def test_non_load_balancer_services_are_ignored(listed):
    services = {(s["namespace"], s["service"]) for s in listed.data["services"]}
    assert ("default", "kubernetes") not in services and ("observability", "metrics") not in services
    assert not any(n.startswith(("default/kubernetes", "observability/metrics")) for n in listed.notes)


def test_sctp_is_reported_not_dropped(listed):
    note = "voip/sip port 5060/SCTP: not carried over: an NLB listener takes TCP, UDP, TCP_UDP or TLS, not SCTP"
    assert note in listed.notes
    assert f"#   - {note}\n" in listed.text
    assert "kubectl patch svc sip -n voip -p '{\"spec\":{\"type\":\"ClusterIP\"}}'  # also ends the load balancer of 5060/SCTP, not carried over" in listed.patch_commands


def test_instance_targets_need_vpc_routable_pod_ips(listed):
    instance = sorted(n.split(":")[0] for n in listed.notes if "pods need VPC-routable IPs" in n)
    # loadBalancerClass without nlb-target-type defaults to instance; the in-tree controller always is
    assert instance == ["kafka/kafka-bootstrap", "legacy/billing", "legacy/ledger"]


def test_health_checks_carry_over(listed):
    services = _by_name(listed)
    # what the annotations leave unset takes the controller's defaults (timeout 10 here)
    assert services["data-redis"]["health_check"] == {"protocol": "TCP", "interval_seconds": 10, "timeout_seconds": 10, "healthy_threshold": 3, "unhealthy_threshold": 3}
    expected = {"protocol": "HTTP", "path": "/healthz", "port": 5080, "timeout_seconds": 5, "success_codes": "200-399", "interval_seconds": 10, "healthy_threshold": 3, "unhealthy_threshold": 3}
    assert services["openobserve-http"]["health_check"] == expected
    assert services["openobserve-syslog"]["health_check"] == expected  # the annotations apply to every port, as in the controller
    assert services["billing"]["health_check"] == {"interval_seconds": 20}  # in-tree: its own defaults, not the controller's


def test_controller_defaults_fill_a_service_without_health_annotations(listed):
    # The AWS Load Balancer Controller's NLB defaults (pkg/service/model_builder.go), not AWS's 30 s / 5 / 2.
    assert CONTROLLER_HEALTH_CHECK == {"protocol": "TCP", "interval_seconds": 10, "timeout_seconds": 10, "healthy_threshold": 3, "unhealthy_threshold": 3}
    services = _by_name(listed)
    for name in ("cache-redis", "kafka-bootstrap-tcp-clients", "coredns-external", "sip"):
        assert services[name]["health_check"] == CONTROLLER_HEALTH_CHECK, name
    assert "  # health_check: the AWS Load Balancer Controller's defaults, which the old NLB ran with (not AWS's)\n  - name: cache-redis\n" in listed.text
    assert "  # health_check timeout_seconds: the AWS Load Balancer Controller's defaults" in listed.text  # data/redis set the rest
    assert "health_check" not in services["ledger"]  # the in-tree controller's Services are left to the model's defaults


def test_instance_targets_keep_client_ip(listed, streamed):
    # AWS: preserve_client_ip.enabled is on for instance targets, off for IP targets with TCP/TLS.
    services = _by_name(listed)
    for name in ("kafka-bootstrap-tcp-clients", "kafka-bootstrap-tcp-tls", "billing", "ledger"):
        assert services[name]["preserve_client_ip"] is True, name
    for name in ("cache-redis", "data-redis", "openobserve-http", "coredns-external"):
        assert "preserve_client_ip" not in services[name], name  # IP targets before and after: nothing changes
    assert "kafka/kafka-bootstrap: preserve_client_ip: true carried over from instance targets (AWS's default for IP targets with TCP/TLS is off); set it to false if the pods should see the NLB's addresses" in listed.notes
    assert "  # preserve_client_ip: true as with instance targets (AWS turns it off for IP targets with TCP/TLS); pods keep seeing client addresses\n  - name: billing\n" in listed.text


def test_instance_targets_with_the_attribute_set_keep_it_and_udp_needs_none():
    service = {
        "kind": "Service",
        "metadata": {"name": "game", "namespace": "x", "annotations": {
            "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
            "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes": "preserve_client_ip.enabled=false",
        }},
        "spec": {"type": "LoadBalancer", "ports": [{"name": "tcp", "port": 7000}]},
    }
    result = import_services(yaml.safe_dump(service), **NETWORK)
    assert result.data["services"][0]["preserve_client_ip"] is False
    assert not any("preserve_client_ip: true carried over" in n for n in result.notes)
    del service["metadata"]["annotations"]["service.beta.kubernetes.io/aws-load-balancer-target-group-attributes"]
    service["spec"]["ports"] = [{"name": "udp", "port": 7001, "protocol": "UDP"}]
    result = import_services(yaml.safe_dump(service), **NETWORK)
    assert "preserve_client_ip" not in result.data["services"][0]  # AWS always keeps client IPs for UDP


def test_internet_facing_mixed_with_internal_is_left_out_and_reported(listed):
    assert listed.data["load_balancer"] == {"scheme": "internal"}
    assert all(s["namespace"] != "ingress-nginx" for s in listed.data["services"])
    scheme_notes = [n for n in listed.notes if "internet-facing" in n and "scheme" in n]
    assert scheme_notes == [
        "scheme: the Services disagree (8 internal, 1 internet-facing), and one NLB has one scheme: load_balancer.scheme is internal "
        "and ingress-nginx/ingress-nginx-controller not carried over; import them into a second config with load_balancer.scheme: internet-facing"
    ]
    assert any("aws-load-balancer-eip-allocations not carried over: an internal shared NLB has no Elastic IPs" in n for n in listed.notes)
    assert not any(n.startswith("ingress-nginx/ingress-nginx-controller port") for n in listed.notes)  # no advice about a port left out


def test_unknown_annotations_and_source_ranges(listed):
    assert any(n.startswith("legacy/billing: annotation service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags not carried over") for n in listed.notes)
    assert _by_name(listed)["ledger"]["clients"] == [{"cidr": "10.30.0.0/16"}, {"cidr": "10.31.0.0/16"}]


def test_round_trip_validates_with_flags(listed):
    config = parse_config(yaml.safe_load(listed.text))
    assert len(config.services) == 10
    assert config.network.subnet_ids == NETWORK["subnet_ids"]
    assert yaml.safe_load(listed.text) == listed.data


def test_round_trip_synthesizes(listed):
    # The one test that starts jsii: the imported config builds a stack with a listener per entry.
    from shared_nlb.synth import template_text

    template = json.loads(template_text(parse_config(listed.data)))
    listeners = [r for r in template["Resources"].values() if r["Type"] == "AWS::ElasticLoadBalancingV2::Listener"]
    assert sorted((r["Properties"]["Port"], r["Properties"]["Protocol"]) for r in listeners) == sorted(
        (s["listener_port"], s["protocol"]) for s in listed.data["services"]
    )


def test_placeholders_name_the_fields_to_fill(streamed):
    assert streamed.placeholders == ("network.vpc_id", "network.vpc_cidr", "network.subnet_ids", "clients")
    assert "  vpc_id: vpc-REPLACE-ME  # REPLACE: the VPC's ID (--vpc-id)\n" in streamed.text
    with pytest.raises(ConfigError) as error:
        parse_config(yaml.safe_load(streamed.text), file="imported.yaml")
    assert sorted(p.path for p in error.value.problems) == [
        "clients[0].security_group",
        "network.subnet_ids[0]",
        "network.vpc_cidr",
        "network.vpc_id",
        "services[2].target_port",
    ]
    target = next(p for p in error.value.problems if p.path == "services[2].target_port")
    assert target.message == "\"REPLACE-ME pod port number of 'http'\" is not an integer; allowed: 1-65535"


def test_stream_tls_attributes_and_refused_values(streamed):
    services = _by_name(streamed)
    assert services["web-https"]["protocol"] == "TLS"
    assert services["web-https"]["certificate_arn"].startswith("arn:aws:acm:us-east-1:111111111111:certificate/")
    assert services["web-http"]["protocol"] == "TCP"  # ssl-ports names 443 only
    assert (services["web-http"]["deregistration_delay_seconds"], services["web-http"]["preserve_client_ip"]) == (30, True)
    assert services["mqtt"]["proxy_protocol_v2"] is True
    # interval 3 and the TCP check's path are refused; the rest is the controller's defaults
    assert services["mqtt"]["health_check"] == CONTROLLER_HEALTH_CHECK
    assert set(streamed.notes) >= {
        "edge/gateway: not imported: loadBalancerClass 'io.cilium/bgp-control-plane' is neither the AWS Load Balancer Controller's (service.k8s.aws/nlb) nor EKS Auto Mode's (eks.amazonaws.com/nlb)",
        "iot/mqtt: health check interval_seconds 3 not carried over: 3 is out of range; allowed: 5-300 seconds",
        "shop/web port 443/TCP: targetPort is the name 'http': fill in target_port with the pod's port number",
        "shop/web: target group attribute 'stickiness.enabled=true' not carried over: shared-nlb has no setting for it",
    }
    assert all(s["namespace"] != "shop" or s["service"] != "cart" for s in streamed.data["services"])
    # the TLS listener came from the TCP port 443, so the patch takes nothing else away
    assert "kubectl patch svc web -n shop -p '{\"spec\":{\"type\":\"ClusterIP\"}}'" in streamed.patch_commands


def test_list_and_stream_read_alike():
    items = yaml.safe_load(LIST.read_text())["items"]
    stream = "\n---\n".join(yaml.safe_dump(item) for item in reversed(items))
    assert read_services(stream) == list(reversed(items))
    # input order does not matter: the output is sorted
    assert import_services(stream, **NETWORK).text == import_services(LIST.read_text(), **NETWORK).text


@pytest.mark.parametrize("value", ["false", "False", "0"])
def test_internal_false_is_internet_facing_under_the_controller(value):
    # pkg/service/model_build_load_balancer.go: aws-load-balancer-internal is parsed as a Go bool; false means internet-facing.
    annotations = {"service.beta.kubernetes.io/aws-load-balancer-type": "external", "service.beta.kubernetes.io/aws-load-balancer-internal": value}
    service = {"kind": "Service", "metadata": {"name": "web", "namespace": "a", "annotations": annotations}, "spec": {"type": "LoadBalancer", "ports": [{"port": 80}]}}
    result = import_services(yaml.safe_dump(service), **NETWORK)
    assert result.data["load_balancer"] == {"scheme": "internet-facing"}
    assert "  # from Service a/web (aws-load-balancer-controller, internet-facing, instance targets)\n" in result.text


def test_all_internet_facing_keeps_that_scheme():
    service = {"kind": "Service", "metadata": {"name": "web", "namespace": "a"}, "spec": {"type": "LoadBalancer", "ports": [{"port": 80, "targetPort": 8080}]}}
    result = import_services(yaml.safe_dump(service), **NETWORK)
    assert result.data["load_balancer"] == {"scheme": "internet-facing"}
    assert "every imported Service was internet-facing, so load_balancer.scheme is internet-facing: check the clients" in result.notes


def test_long_or_clashing_names_get_a_digest():
    long = "a" * 60
    services = [
        {"kind": "Service", "metadata": {"name": long, "namespace": "x"}, "spec": {"type": "LoadBalancer", "ports": [{"name": "tcp-first", "port": 1000}, {"name": "tcp-second", "port": 1001}]}, "annotations": {}},
        {"kind": "Service", "metadata": {"name": "b-1", "namespace": "x", "annotations": {"service.beta.kubernetes.io/aws-load-balancer-internal": "true"}}, "spec": {"type": "LoadBalancer", "ports": [{"port": 2000}]}},
        {"kind": "Service", "metadata": {"name": "b1", "namespace": "x", "annotations": {"service.beta.kubernetes.io/aws-load-balancer-internal": "true"}}, "spec": {"type": "LoadBalancer", "ports": [{"port": 2001}]}},
    ]
    for service in services[:1]:
        service["metadata"]["annotations"] = {"service.beta.kubernetes.io/aws-load-balancer-internal": "true"}
    result = import_services(yaml.safe_dump_all(services), **NETWORK)
    names = [s["name"] for s in result.data["services"]]
    assert all(len(n) <= 63 for n in names) and len(set(names)) == 4
    assert names[2:] == ["b-1", names[3]] and names[3].startswith("b1-")  # b-1 and b1 share the ID B1
    parse_config(result.data)


def test_listeners_beyond_the_nlb_quota_are_reported_not_dropped():
    ports = [{"port": 1000 + i} for i in range(MAX_LISTENERS_PER_NLB + 1)]
    service = {"kind": "Service", "metadata": {"name": "wide", "namespace": "x", "annotations": {"service.beta.kubernetes.io/aws-load-balancer-internal": "true"}}, "spec": {"type": "LoadBalancer", "ports": ports}}
    result = import_services(yaml.safe_dump(service), **NETWORK)
    assert [s["service_port"] for s in result.data["services"]] == [1000 + i for i in range(MAX_LISTENERS_PER_NLB)]
    last = 1000 + MAX_LISTENERS_PER_NLB
    assert f"x/wide port {last}/TCP: not carried over: an NLB has at most 50 listeners; put it in a second config" in result.notes
    parse_config(result.data)


def test_nothing_to_import_and_bad_yaml():
    with pytest.raises(UserError, match="no LoadBalancer Service port that an AWS controller serves was found"):
        import_services("kind: Service\nmetadata: {name: a}\nspec: {type: ClusterIP, ports: [{port: 80}]}\n")
    with pytest.raises(UserError, match="not YAML"):
        import_services("a: [b\n")


def test_cli_writes_file_and_reports_on_stderr(tmp_path, capsys):
    out = tmp_path / "shared-nlb.yaml"
    assert main(["import-services", str(LIST), *FLAGS, "--name", "core", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "import-services: 10 service(s) written to" in captured.err and "; valid" in captured.err
    assert "  kubectl patch svc redis -n data -p '{\"spec\":{\"type\":\"ClusterIP\"}}'\n" in captured.err
    assert "voip/sip port 5060/SCTP: not carried over" in captured.err
    assert main(["validate", str(out)]) == 0
    assert yaml.safe_load(out.read_text())["name"] == "core"


def test_cli_without_flags_says_what_to_fill(tmp_path, capsys):
    assert main(["import-services", str(STREAM)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("# shared-nlb config imported by")
    assert "fill in before use:" in captured.err
    assert "<stdout>:12: network.vpc_id: 'vpc-REPLACE-ME' is not valid" in captured.err


def test_cli_missing_input_exits_1(tmp_path, capsys):
    assert main(["import-services", str(tmp_path / "none.yaml")]) == 1
    assert "none.yaml: cannot be read" in capsys.readouterr().err


def test_cli_never_replaces_a_file_unasked(tmp_path, capsys):
    """A config written by hand is not overwritten by an import: --force says to."""
    out = tmp_path / "shared-nlb.yaml"
    out.write_text("# mine\n")
    assert main(["import-services", str(LIST), *FLAGS, "--out", str(out)]) == 2
    assert capsys.readouterr().err == f"shared-nlb import-services: --out {out} exists; give --force to replace it, or name another file\n"
    assert out.read_text() == "# mine\n"
    assert main(["import-services", str(LIST), *FLAGS, "--out", str(out), "--force"]) == 0
    assert out.read_text().startswith("# shared-nlb config imported by")


def test_cli_output_is_never_its_input(tmp_path, capsys):
    services = tmp_path / "services.yaml"
    services.write_text(LIST.read_text())
    assert main(["import-services", str(services), *FLAGS, "--out", str(services), "--force"]) == 2
    assert "is the Services file" in capsys.readouterr().err
    assert services.read_text() == LIST.read_text()


def _quic_service(ports: list[dict], quic: str) -> str:
    annotations = {
        "service.beta.kubernetes.io/aws-load-balancer-type": "external",
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
        "service.beta.kubernetes.io/aws-load-balancer-quic-enabled-ports": quic,
    }
    return yaml.safe_dump({"kind": "Service", "metadata": {"name": "h3", "namespace": "web", "annotations": annotations}, "spec": {"type": "LoadBalancer", "ports": ports}})


def test_quic_enabled_ports_upgrade_udp_and_tcp_udp_as_the_controller_does():
    """UDP to QUIC, a TCP+UDP pair to TCP_QUIC, by number or by name; the NLB without a security group,
    as AWS requires for QUIC; the annotation is no longer reported as having no equivalent."""
    udp = import_services(_quic_service([{"name": "h3", "port": 443, "protocol": "UDP"}], "h3"), **NETWORK)
    assert [s["protocol"] for s in udp.data["services"]] == ["QUIC"]
    assert udp.data["load_balancer"] == {"scheme": "internal", "security_group": False}
    assert not any("quic-enabled-ports not carried over" in n for n in udp.notes)
    parse_config(udp.data)  # a valid config as written
    both = import_services(_quic_service([{"name": "tcp", "port": 443, "protocol": "TCP"}, {"name": "udp", "port": 443, "protocol": "UDP"}], "443"), **NETWORK)
    assert [s["protocol"] for s in both.data["services"]] == ["TCP_QUIC"]
    parse_config(both.data)


def test_quic_enabled_ports_leave_a_tcp_port_and_unlisted_ports_as_they_are():
    """The controller refuses to upgrade a TCP port (it fails the Service): carried over as TCP, said;
    a UDP port not listed stays UDP, and the NLB keeps its security group."""
    tcp = import_services(_quic_service([{"name": "web", "port": 8443, "protocol": "TCP"}], "8443"), **NETWORK)
    assert [s["protocol"] for s in tcp.data["services"]] == ["TCP"] and "security_group" not in tcp.data["load_balancer"]
    assert "web/h3 port 8443/TCP: QUIC not carried over: the controller upgrades only UDP and TCP_UDP ports to QUIC (it refused this Service)" in tcp.notes
    unlisted = import_services(_quic_service([{"name": "dns", "port": 53, "protocol": "UDP"}], "443"), **NETWORK)
    assert [s["protocol"] for s in unlisted.data["services"]] == ["UDP"] and "security_group" not in unlisted.data["load_balancer"]
