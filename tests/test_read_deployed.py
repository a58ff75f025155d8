"""What the deployed stacks hold wins over the state file (`shared_nlb.deploy.read_deployed`), read
from templates as CloudFormation keeps them: the session's synthesized multi-NLB templates stand for
the deployed stacks, so no stand-in is needed."""

from __future__ import annotations

import pytest

from shared_nlb.config import parse_config
from shared_nlb.config.state import ServiceState, State, TargetGroupState
from shared_nlb.deploy import read_deployed
from shared_nlb.errors import UserError
from tests.factories import multi

# multi() deployed: redis and kafka on `internal` (max_listeners 2), nats on `internal-2`, web on `public`.
DEPLOYED = {"redis": "internal", "kafka": "internal", "nats": "internal-2", "web": "public"}


class Stacks:
    """The two calls `read_deployed` makes of a CloudFormation connection, over fixed templates."""

    def __init__(self, templates: dict[str, dict]) -> None:
        self.templates = templates

    def stack_names(self) -> set[str]:
        return set(self.templates)

    def template(self, stack_name: str) -> dict | None:
        return self.templates.get(stack_name)


class Lines:
    """A console that keeps what is printed."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def print(self, text: str, **_: object) -> None:
        self.lines.append(text)


def test_every_nlb_of_an_entry_is_read_the_first_included(multi_templates) -> None:
    found = read_deployed.read(Stacks(multi_templates), parse_config(multi()))
    assert {name: service.nlb for name, service in found.services.items()} == DEPLOYED
    assert found.nlbs == ("internal", "internal-2", "public")
    assert found.of("kafka").live == TargetGroupState("KafkaTargetGroup", 9092, "TCP")


def test_a_missing_stack_of_an_entry_does_not_hide_the_later_ones(multi_templates) -> None:
    """The entry's first NLB was retired (`destroy --nlb internal`): its second is still read."""
    left = {name: t for name, t in multi_templates.items() if name != "shared-nlb-test-internal"}
    found = read_deployed.read(Stacks(left), parse_config(multi()))
    assert {name: service.nlb for name, service in found.services.items()} == {"nats": "internal-2", "web": "public"}
    assert found.nlbs == ("internal-2", "public")


def test_a_service_moved_by_hand_to_another_entry_is_not_read_where_it_was(multi_templates) -> None:
    data = multi()
    data["services"][1]["load_balancer"] = "public"  # kafka, deployed on internal
    found = read_deployed.read(Stacks(multi_templates), parse_config(data))
    assert "kafka" not in found.services
    assert {name: service.nlb for name, service in found.services.items()} == {"redis": "internal", "nats": "internal-2", "web": "public"}


def test_a_stale_state_file_never_moves_a_deployed_service(multi_templates) -> None:
    """A file that disagrees with AWS (an old branch's, merged): it swaps kafka and nats, and records
    another live target group for redis. What is deployed wins, and each difference is said."""
    stale = State(
        {
            "redis": ServiceState("internal", TargetGroupState("RedisTargetGroupAbc12345", 6379, "TCP")),
            "kafka": ServiceState("internal-2"),
            "nats": ServiceState("internal"),
            "web": ServiceState("public"),
        },
        nlbs=("internal", "internal-2", "public"),
    )
    console = Lines()
    adopted, _ = read_deployed.reconcile(console, Stacks(multi_templates), parse_config(multi(), state=stale))
    assert adopted.placement == DEPLOYED
    assert adopted.state.of("redis").live == TargetGroupState("RedisTargetGroup", 6379, "TCP")
    assert console.lines == [
        "placement: service kafka is deployed on NLB internal, not on internal-2 as the state file says: it stays there",
        "placement: service nats is deployed on NLB internal-2, not on internal as the state file says: it stays there",
        "state: service redis forwards to RedisTargetGroup, not RedisTargetGroupAbc12345 as the state file says: RedisTargetGroup stays live",
    ]


def test_problems_of_the_deployed_placement_are_said_before_anything_is_planned(multi_templates) -> None:
    """`max_listeners` lowered to 1 with two services deployed on `internal`: placing from an empty file
    passes, the deployed placement does not, and plan and deploy stop at once."""
    data = multi()
    data["load_balancers"][0]["max_listeners"] = 1
    config = parse_config(data, state=State())
    assert config.placement["kafka"] == "internal-2"  # what a lost file would give
    with pytest.raises(UserError) as error:
        read_deployed.reconcile(Lines(), Stacks(multi_templates), config)
    assert str(error.value) == (
        "with the deployed placement: load_balancers[0].max_listeners: 1, but NLB internal already holds 2 services (the state file); "
        "a placed service never moves: raise max_listeners or move services to another entry"
    )
