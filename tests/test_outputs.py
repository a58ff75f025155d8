"""shared_nlb.outputs: the `cdk deploy --outputs-file` reader, with the exact message of each bad file."""

from __future__ import annotations

import pytest

from shared_nlb import naming
from shared_nlb.config import parse_config
from shared_nlb.errors import UserError
from shared_nlb.outputs import parse_outputs, read_outputs
from tests.factories import base_dict, example_dict
from tests.fake_outputs import SECURITY_GROUP, outputs_for, target_group_arn, write_outputs

CONFIG = parse_config(example_dict())
STACK = "shared-nlb-core"
FIX = "deploy the stack again or check the stack name"


def without(*keys: str) -> dict:
    data = outputs_for(CONFIG)
    for key in keys:
        del data[STACK][key]
    return data


def with_value(key: str, value: object) -> dict:
    data = outputs_for(CONFIG)
    data[STACK][key] = value
    return data


def error_of(data: object) -> str:
    with pytest.raises(UserError) as caught:
        parse_outputs(CONFIG, data, source="outputs.json")
    return str(caught.value)


def test_good_outputs_give_every_value_the_bindings_need():
    outputs = parse_outputs(CONFIG, outputs_for(CONFIG))
    assert outputs.stack_name == STACK
    assert outputs.vpc_id == "vpc-0a1b2c3d4e5f60718"
    assert outputs.security_group_id == SECURITY_GROUP
    assert list(outputs.target_group_arns) == ["kafka", "openobserve", "redis"]
    assert outputs.arn_of("redis") == target_group_arn("redis")


def test_other_stacks_and_extra_outputs_are_ignored():
    data = outputs_for(CONFIG)
    data["another-stack"] = {"Foo": "bar"}
    data[STACK]["SomethingNew"] = "x"
    assert parse_outputs(CONFIG, data).arn_of("kafka") == target_group_arn("kafka")


def test_missing_target_group_output_names_the_service_and_the_key():
    assert error_of(without("RedisTargetGroupArn")) == (
        f"outputs.json: stack {STACK} has no output RedisTargetGroupArn (target group of service 'redis'); {FIX}"
    )


def test_every_missing_output_is_reported_at_once():
    assert error_of(without("KafkaTargetGroupArn", naming.VPC_ID_OUTPUT)).splitlines() == [
        f"outputs.json: stack {STACK} has no output KafkaTargetGroupArn (target group of service 'kafka'); {FIX}",
        f"outputs.json: stack {STACK} has no output VpcId (the VPC of every binding); {FIX}",
    ]


def test_missing_security_group_output():
    assert error_of(without(naming.SECURITY_GROUP_OUTPUT)) == (
        f"outputs.json: stack {STACK} has no output LoadBalancerSecurityGroupId (the NLB security group, source of every binding's ingress rule); {FIX}"
    )


def test_missing_stack_lists_the_stacks_present():
    assert error_of({"shared-nlb-edge": {}, "other": {}}) == f"outputs.json: has no stack {STACK} (stacks in the file: other, shared-nlb-edge); {FIX}"
    assert error_of({}) == f"outputs.json: has no stack {STACK} (stacks in the file: none); {FIX}"


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        (
            "RedisTargetGroupArn",
            "arn:aws:elasticloadbalancing:ap-northeast-2:111111111111:loadbalancer/net/x/0123456789abcdef",
            "output RedisTargetGroupArn (target group of service 'redis') is 'arn:aws:elasticloadbalancing:ap-northeast-2:111111111111:loadbalancer/net/x/0123456789abcdef', "
            "not a target group ARN (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>)",
        ),
        ("KafkaTargetGroupArn", 42, "output KafkaTargetGroupArn (target group of service 'kafka') is 42, not a string"),
        (naming.SECURITY_GROUP_OUTPUT, "sg-XYZ", "output LoadBalancerSecurityGroupId is 'sg-XYZ', not a security group ID (sg-...)"),
        (naming.VPC_ID_OUTPUT, "vpc-12", "output VpcId is 'vpc-12', not a VPC ID (vpc-...)"),
        (
            naming.VPC_ID_OUTPUT,
            "vpc-0fffffffffffffff0",
            "output VpcId is vpc-0fffffffffffffff0, but the config's network.vpc_id is vpc-0a1b2c3d4e5f60718; these outputs come from another deployment",
        ),
    ],
)
def test_bad_values(key, value, expected):
    assert error_of(with_value(key, value)) == f"outputs.json: stack {STACK} {expected}"


def test_gov_and_china_partitions_are_target_group_arns():
    for partition in ("aws-us-gov", "aws-cn"):
        arn = target_group_arn("redis").replace("arn:aws:", f"arn:{partition}:")
        assert parse_outputs(CONFIG, with_value("RedisTargetGroupArn", arn)).arn_of("redis") == arn


def test_two_services_with_one_target_group():
    data = with_value("KafkaTargetGroupArn", target_group_arn("redis"))
    assert error_of(data) == (
        f"outputs.json: stack {STACK} gives services 'redis' and 'kafka' the same target group {target_group_arn('redis')}; one target group takes one binding"
    )


def test_not_the_outputs_shape():
    assert error_of(["x"]) == "outputs.json: is a list, not a JSON object; expected the `cdk deploy --outputs-file` shape {stackName: {OutputKey: value}}"
    assert error_of({STACK: "x"}) == f"outputs.json: stack {STACK} is a str, not an object of outputs"


def test_stack_name_follows_the_config():
    config = parse_config({**base_dict(), "stack": {"name": "my-nlb"}})
    assert parse_outputs(config, outputs_for(config)).stack_name == "my-nlb"


def test_read_missing_file(tmp_path):
    path = tmp_path / "outputs.json"
    with pytest.raises(UserError) as caught:
        read_outputs(CONFIG, path)
    assert str(caught.value) == f"{path}: no such file; write it with `cdk deploy --outputs-file {path}` or `shared-nlb deploy --outputs-file {path}`"


def test_read_bad_json(tmp_path):
    path = tmp_path / "outputs.json"
    path.write_text('{"shared-nlb-core": {\n  "VpcId": "vpc-0a1b2c3d4e5f60718",\n}\n')
    with pytest.raises(UserError) as caught:
        read_outputs(CONFIG, path)
    assert str(caught.value) == f"{path}:3: not valid JSON: Expecting property name enclosed in double quotes (column 1)"


def test_read_directory(tmp_path):
    with pytest.raises(UserError) as caught:
        read_outputs(CONFIG, tmp_path)
    assert str(caught.value) == f"{tmp_path}: is a directory; expected the JSON file of `cdk deploy --outputs-file`"


def test_read_good_file(tmp_path):
    path = write_outputs(tmp_path / "outputs.json", outputs_for(CONFIG))
    assert read_outputs(CONFIG, path) == parse_outputs(CONFIG, outputs_for(CONFIG))


def test_outputs_check_ids_with_the_config_rule():
    """One rule for IDs (config.aws_id_pattern): what the config refuses, the outputs reader refuses too."""
    assert "sg-0123456789abcdef0" == SECURITY_GROUP and parse_outputs(CONFIG, outputs_for(CONFIG)).security_group_id == SECURITY_GROUP
    message = error_of(with_value(naming.SECURITY_GROUP_OUTPUT, "sg-0ecs0000000000001"))
    assert message == "outputs.json: stack shared-nlb-core output LoadBalancerSecurityGroupId is 'sg-0ecs0000000000001', not a security group ID (sg-...)"


STAGED_ARN = target_group_arn("redis-next")


def staged(**values: object) -> dict:
    data = outputs_for(CONFIG)
    data[STACK] |= values
    return data


def test_a_staged_replacement_gives_the_new_group_and_the_live_groups_rules():
    outputs = parse_outputs(CONFIG, staged(RedisStagedTargetGroupArn=STAGED_ARN, RedisTargetRules="tcp/6380"))
    assert outputs.arn_of("redis") == target_group_arn("redis")
    assert outputs.staged_arns == {"redis": STAGED_ARN} and outputs.live_rules == {"redis": (("tcp", 6380),)}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"RedisStagedTargetGroupArn": STAGED_ARN}, "has RedisStagedTargetGroupArn but no RedisTargetRules (staged replacement of service 'redis'); " + FIX),
        ({"RedisTargetRules": "tcp/6380"}, "has RedisTargetRules but no RedisStagedTargetGroupArn (staged replacement of service 'redis'); " + FIX),
        ({"RedisStagedTargetGroupArn": "tg-1", "RedisTargetRules": "tcp/6380"}, "output RedisStagedTargetGroupArn (staged target group of service 'redis') is 'tg-1', not a target group ARN"),
        ({"RedisStagedTargetGroupArn": STAGED_ARN, "RedisTargetRules": "6380"}, "output RedisTargetRules is '6380', not target rules such as tcp/6379,tcp/8080"),
    ],
)
def test_half_a_staged_replacement_is_refused(values, message):
    assert message in error_of(staged(**values))
