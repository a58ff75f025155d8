"""What an installed shared-nlb needs: moto only for `demo` and `standin` (the extra `standin`), the example as package data."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

import pytest

from shared_nlb import standin
from shared_nlb.commands import demo
from tests.factories import EXAMPLE, ROOT

SUBPROCESS_ENV = {"CDK_VALIDATION": "false"}


def python(code: str, tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env={**os.environ, **SUBPROCESS_ENV, "PYTHONPATH": str(ROOT)}, timeout=120)


def test_the_product_never_imports_moto_or_the_stand_in(tmp_path) -> None:
    """Every module of the product (each command's module but `demo`'s; `demo` and `standin` import the
    stand-in only when they run) loads without moto: a fresh interpreter imports them all and finds
    neither moto nor the stand-in."""
    code = (
        "import importlib, pkgutil, sys, shared_nlb, shared_nlb.commands\n"
        "names = [m.name for p in (shared_nlb, shared_nlb.commands) for m in pkgutil.iter_modules(p.__path__, p.__name__ + '.')]\n"
        "names = [n for n in names if n not in ('shared_nlb.standin', 'shared_nlb.commands.demo')]\n"
        "assert 'shared_nlb.commands.synth' in names and 'shared_nlb.changeset' in names, names\n"
        "for n in names: importlib.import_module(n)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'moto' or m.startswith('shared_nlb.standin')))\n"
    )
    result = python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


@pytest.mark.parametrize("argv", [["demo", "--out", "out"], ["standin", "--port", "0", "--config", str(EXAMPLE), "--write-config", "out"]])
def test_the_stand_in_commands_without_moto_name_the_extra_in_one_line(tmp_path, argv) -> None:
    code = (
        "import sys\n"
        "sys.modules['moto'] = None  # as if the extra `standin` were not installed\n"
        "from shared_nlb.cli import main\n"
        f"sys.exit(main({argv!r}))\n"
    )
    result = python(code, tmp_path)
    assert (result.returncode, result.stderr, result.stdout) == (1, f"shared-nlb {argv[0]}: {standin.MISSING_EXTRA}\n", "")
    assert standin.MISSING_EXTRA == "the AWS stand-in needs the optional extra: pip install 'shared-nlb[standin]'"
    assert not (tmp_path / "out").exists()


def test_moto_is_the_extra_standin_and_not_a_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not [d for d in project["dependencies"] if d.startswith("moto")]
    assert project["optional-dependencies"]["standin"] == ["moto[server]>=5.2,<5.3"]


def test_the_example_is_package_data_and_examples_links_to_it() -> None:
    """The demo reads the example from the package (it works from a wheel); examples/shared-nlb.yaml,
    which users and the docs name, is a relative link to that one file, so the two cannot differ."""
    packaged = ROOT / "shared_nlb" / "examples" / "shared-nlb.yaml"
    assert EXAMPLE.is_symlink() and not EXAMPLE.readlink().is_absolute()
    assert EXAMPLE.resolve() == packaged.resolve()
    assert demo.example().read_bytes() == packaged.read_bytes()
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["shared_nlb"]
    assert any(packaged.relative_to(ROOT / "shared_nlb").match(p) for p in patterns), patterns
