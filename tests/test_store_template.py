"""The memory table in template.yaml: it matches the adapter, protects what it holds, lets it expire,
and the function may do exactly the item actions the adapter uses, on that table only."""

from __future__ import annotations

from conftest import ROOT

from skill.local.emulator.template import load_template
from skill.store.dynamodb import ACTIONS, PARTITION_KEY, SORT_KEY, TABLE_ENV
from skill.store.port import EXPIRES_AT

TEMPLATE = load_template(ROOT / "template.yaml")  # short tags in their long forms: {"Ref": ...}, {"Fn::GetAtt": [...]}
FUNCTION = TEMPLATE["Resources"]["SkillFunction"]["Properties"]
TABLE_ID = FUNCTION["Environment"]["Variables"][TABLE_ENV]["Ref"]
TABLE = TEMPLATE["Resources"][TABLE_ID]


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


def test_the_function_may_use_only_the_adapters_item_actions_and_only_on_the_table():
    statements = [s for policy in FUNCTION["Policies"] for s in policy["Statement"]]
    assert statements == [{"Sid": "MemoryTableItems", "Effect": "Allow", "Action": list(ACTIONS),
                           "Resource": {"Fn::GetAtt": [TABLE_ID, "Arn"]}}]
    assert not any("*" in action for action in ACTIONS)
