"""deploy/plan failures without a stand-in: one line, exit 1, nothing written. (Success paths: test_e2e.py.)"""

from __future__ import annotations

import socket

import pytest

from shared_nlb.changeset import outputs_file_text
from shared_nlb.cli import main
from tests.factories import EXAMPLE


def _closed_port() -> int:
    with socket.socket() as sock:  # bound then closed: nothing listens there
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def no_aws_env(monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def test_outputs_file_has_the_cdk_shape():
    assert outputs_file_text("s", {"b": "2", "a": "1"}) == '{\n  "s": {\n    "a": "1",\n    "b": "2"\n  }\n}\n'


def test_no_credentials_is_one_line(no_aws_env, tmp_path, capsys):
    out = tmp_path / "outputs.json"
    assert main(["deploy", str(EXAMPLE), "--region", "us-east-1", "--outputs-file", str(out), "--yes"]) == 1
    err = capsys.readouterr().err
    assert err == "shared-nlb deploy: no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n"
    assert not out.exists()


@pytest.mark.parametrize("command", ["deploy", "plan"])
def test_unreachable_endpoint_is_one_line_and_keeps_the_old_outputs(no_aws_env, monkeypatch, tmp_path, capsys, command):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    out = tmp_path / "outputs.json"
    out.write_text("old\n")
    url = f"http://127.0.0.1:{_closed_port()}"
    extra = ["--outputs-file", str(out), "--yes"] if command == "deploy" else []
    assert main([command, str(EXAMPLE), "--endpoint-url", url, *extra]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"shared-nlb {command}: cannot reach {url} to describe the stack: is the endpoint up?")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert out.read_text() == "old\n"
