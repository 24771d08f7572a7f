"""The memory table in template.yaml: it matches the adapter, protects what it holds, lets it expire,
and the function may do exactly the item actions the adapter uses, on that table only; the salt of its
keys is a secret the stack generates, which the function may read and nothing more."""

from __future__ import annotations

from conftest import ROOT

from skill.local.emulator.template import load_template
from skill.store.dynamodb import ACTIONS, PARTITION_KEY, SORT_KEY, TABLE_ENV
from skill.store.port import EXPIRES_AT
from skill.store.salt import SECRET_ENV

TEMPLATE = load_template(ROOT / "template.yaml")  # short tags in their long forms: {"Ref": ...}, {"Fn::GetAtt": [...]}
FUNCTION = TEMPLATE["Resources"]["SkillFunction"]["Properties"]
TABLE_ID = FUNCTION["Environment"]["Variables"][TABLE_ENV]["Ref"]
TABLE = TEMPLATE["Resources"][TABLE_ID]
SALT_ID = FUNCTION["Environment"]["Variables"][SECRET_ENV]["Ref"]


def test_the_function_gets_the_table_name_from_the_one_table_in_the_template():
    tables = [name for name, r in TEMPLATE["Resources"].items() if r["Type"] == "AWS::DynamoDB::Table"]
    assert tables == [TABLE_ID]


def test_the_table_keys_and_ttl_attribute_are_the_ones_the_adapter_writes():
    properties = TABLE["Properties"]
    assert properties["KeySchema"] == [{"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
                                       {"AttributeName": SORT_KEY, "KeyType": "RANGE"}]
    assert {a["AttributeName"]: a["AttributeType"] for a in properties["AttributeDefinitions"]} == {
        PARTITION_KEY: "S", SORT_KEY: "S"}
    assert properties["TimeToLiveSpecification"] == {"AttributeName": EXPIRES_AT, "Enabled": True}


def test_the_table_is_on_demand_encrypted_recoverable_and_survives_a_stack_deletion():
    properties = TABLE["Properties"]
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["SSESpecification"]["SSEEnabled"] is True
    recovery = properties["PointInTimeRecoverySpecification"]
    assert recovery["PointInTimeRecoveryEnabled"] is True and recovery["RecoveryPeriodInDays"] <= 7
    assert TABLE["DeletionPolicy"] == "Retain" and TABLE["UpdateReplacePolicy"] == "Retain"
    assert properties["DeletionProtectionEnabled"] is True


def test_the_function_may_use_only_the_adapters_item_actions_on_the_table_and_read_only_its_salt():
    statements = [s for policy in FUNCTION["Policies"] for s in policy["Statement"]]
    assert statements == [{"Sid": "MemoryTableItems", "Effect": "Allow", "Action": list(ACTIONS),
                           "Resource": {"Fn::GetAtt": [TABLE_ID, "Arn"]}},
                          {"Sid": "UserKeySaltRead", "Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"],
                           "Resource": {"Ref": SALT_ID}}]
    assert not any("*" in action for action in ACTIONS)


def test_the_salt_is_a_long_random_secret_the_stack_generates_and_keeps_with_the_table():
    secret = TEMPLATE["Resources"][SALT_ID]
    assert secret["Type"] == "AWS::SecretsManager::Secret"
    generated = secret["Properties"]["GenerateSecretString"]
    assert generated["PasswordLength"] >= 32 and "SecretString" not in secret["Properties"]
    assert secret["DeletionPolicy"] == "Retain" and secret["UpdateReplacePolicy"] == "Retain"
    assert "USER_KEY_SALT" not in FUNCTION["Environment"]["Variables"]  # never the salt itself in the template
