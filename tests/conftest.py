"""Session-scoped fixtures: jsii starts once per test session and each template is synthesized once."""

from __future__ import annotations

import json
import os

import pytest

from shared_nlb.node import use_project_node

use_project_node()  # jsii starts in this process and in the commands the tests run
os.environ.setdefault("CDK_VALIDATION", "false")
from shared_nlb.config import Config, load_config, parse_config  # noqa: E402
from shared_nlb.config import state as states  # noqa: E402
from shared_nlb.config.state import State  # noqa: E402
from tests.factories import EXAMPLE, multi  # noqa: E402


def synth_text(config: Config) -> str:
    from shared_nlb.synth import template_text

    return template_text(config)


@pytest.fixture(scope="session")
def example_config() -> Config:
    return load_config(EXAMPLE)


@pytest.fixture(scope="session")
def example_template_text(example_config: Config) -> str:
    return synth_text(example_config)


@pytest.fixture(scope="session")
def example_template(example_template_text: str) -> dict:
    return json.loads(example_template_text)


@pytest.fixture(scope="session")
def synth():
    """Synthesize a raw config dict (memoized for the session): `synth(data) -> template text`."""
    cache: dict[str, str] = {}

    def run(data: dict, state: State | None = None) -> str:
        """`state`: the state file's, as `shared_nlb.config.state.State` (default: none, nothing deployed)."""
        key = json.dumps(data, sort_keys=True) + (states.text(state) if state is not None else "")
        if key not in cache:
            cache[key] = synth_text(parse_config(data, state=state))
        return cache[key]

    return run


@pytest.fixture(scope="session")
def multi_templates() -> dict[str, dict]:
    """stack name -> template of `tests.factories.multi()`: three NLBs of two entries."""
    from shared_nlb.synth import template_texts

    return {name: json.loads(text) for name, text in template_texts(parse_config(multi())).items()}


@pytest.fixture(scope="session")
def cli_standin(tmp_path_factory):
    """`shared-nlb standin --config`, one for the session's tests that run the real cdk CLI
    (test_cdk_cli.py, test_every_path.py): (the running stand-in, its folder with the user's own
    `shared-nlb.yaml`, `name: cli`, whose IDs the stand-in maps). Each test deploys stacks of its own
    there, from its own file. Stopped at the end as SIGTERM stops it, which must be clean."""
    from tests.test_cdk_cli import CONFIG, serving

    yield from serving(tmp_path_factory, "cdk-cli", CONFIG)


# The session's stand-in, while it runs (`aws`), for `reseeds_the_session_standin`.
_SESSION_STANDIN = pytest.StashKey[object]()


@pytest.fixture(scope="session")
def aws(request):
    """One embedded AWS stand-in for the session's end-to-end tests (moto's state is per process, so
    there is one); each test uses stacks of its own."""
    from shared_nlb import standin

    with pytest.MonkeyPatch.context() as env, standin.running() as running:
        # deploy and plan use the normal credential chain; the stand-in takes any key
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        request.config.stash[_SESSION_STANDIN] = running
        try:
            yield running
        finally:
            del request.config.stash[_SESSION_STANDIN]


@pytest.fixture
def reseeds_the_session_standin(request):
    """For a test under `moto.mock_aws`, which resets moto's state on exit: that state is one per
    process, so the session stand-in of this worker loses its bootstrap (the SSM parameter of the
    CDK's BootstrapVersion, the asset bucket) too, and a later deploy on it fails. Seeded again."""
    yield
    running = request.config.stash.get(_SESSION_STANDIN, None)
    if running is not None:
        from shared_nlb import standin

        if standin.BOOTSTRAP_PARAMETER not in {p["Name"] for p in running.client("ssm").describe_parameters()["Parameters"]}:
            standin.seed_bootstrap(running)


# The modules whose tests run the real cdk CLI or deploy many stacks, longest first: collected ahead
# of the rest, so that under xdist they start first and the short tests fill in around them (a long
# test taken up last leaves the other worker idle until it ends).
_LONG_FIRST = ("test_every_path.py", "test_cdk_cli.py", "test_load_balancers.py", "test_ci_example.py", "test_e2e.py", "test_recovery.py")


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        name = item.path.name
        return _LONG_FIRST.index(name) if name in _LONG_FIRST else len(_LONG_FIRST)

    items.sort(key=rank)  # stable: the order within a module is kept
