"""The DynamoDB store for Lambda, on boto3's low-level client.

One item per (``user_key``, ``kind``), with a top-level ``expires_at`` number
that the table's TTL deletes (the stock ask-sdk DynamoDbAdapter nests
everything under ``attributes`` and so cannot set a TTL; it also builds its
boto3 resource at import). Here the client is built on first use, with short
timeouts and one retry, so that a slow or dead table costs a bounded, small
time (``WORST_CASE_SECONDS``) instead of botocore's defaults (60 s timeouts,
several retries), well inside Alexa's 8 seconds.

A Query answer that DynamoDB could not have given (no ``Items`` list, no matching
``Count``: ``{}`` from a broken proxy, garbage) is a ``StoreError``, never "no
items": otherwise "delete my data" would find nothing to delete and say it was
done.

The item actions used are exactly ``ACTIONS``; template.yaml grants those and
nothing else, on this table only.
"""

from __future__ import annotations

import os
import threading

from . import TABLE_ENV
from .port import EXPIRES_AT, Store, StoreError, error_code

PARTITION_KEY = "user_key"
SORT_KEY = "kind"
ACTIONS = ("dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem")
CONNECT_TIMEOUT = 0.5  # seconds
READ_TIMEOUT = 0.5
MAX_ATTEMPTS = 2  # the first try and one retry
# two attempts, each at most a connect and a read timeout, plus at most 1 s of throttling back-off
WORST_CASE_SECONDS = MAX_ATTEMPTS * (CONNECT_TIMEOUT + READ_TIMEOUT) + 1.0
_KEYS = {"#pk": PARTITION_KEY, "#sk": SORT_KEY}
UNREAL_ANSWER = "UnrealAnswer"  # the error code for a Query answer that cannot be DynamoDB's


def _to_attribute(value) -> dict:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(f"only strings and integers are stored, not {type(value).__name__}")
    return {"S": value} if isinstance(value, str) else {"N": str(value)}


def _from_attribute(attribute: object):
    """A stored attribute as a str or int; anything else (a float, a map, a list) as None."""
    if not isinstance(attribute, dict) or len(attribute) != 1:
        return None
    (type_, value), = attribute.items()
    if type_ == "S" and isinstance(value, str):
        return value
    if type_ == "N" and isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None


class DynamoDbStore(Store):
    name = "dynamodb"

    def __init__(self, table_name: str, endpoint_url: str | None = None, region: str | None = None):
        self.table_name = table_name
        self.endpoint_url = endpoint_url  # None: boto3's own (AWS_ENDPOINT_URL_DYNAMODB, then AWS)
        self.region = region
        self._client = None
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls) -> "DynamoDbStore | None":
        table = os.environ.get(TABLE_ENV)
        return cls(table) if table else None

    @property
    def client(self):
        """boto3's DynamoDB client, created on first use (not at import: no region or network needed before)."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    # botocore's session makes the same client boto3.client() returns, without
                    # importing boto3 (~15 ms of every cold start); it honours AWS_ENDPOINT_URL_DYNAMODB.
                    from botocore.config import Config
                    from botocore.session import get_session

                    config = Config(connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT,
                                    retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS},
                                    tcp_keepalive=True)
                    region = self.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
                    self._client = get_session().create_client("dynamodb", region_name=region or "us-east-1",
                                                               endpoint_url=self.endpoint_url, config=config)
        return self._client

    def prepare(self) -> None:
        self.client  # noqa: B018 (the property builds the client: boto3 import and set-up, no network)

    def _call(self, operation: str, **kwargs) -> dict:
        try:
            return getattr(self.client, operation)(TableName=self.table_name, **kwargs)
        except Exception as exc:  # botocore's errors, timeouts, or a response it could not parse
            raise StoreError(error_code(exc)) from exc

    def _key(self, key: str, kind: str) -> dict:
        return {PARTITION_KEY: {"S": key}, SORT_KEY: {"S": kind}}

    def _query(self, key: str, **options) -> list[dict]:
        """Every item under ``key``, from a Query answer that could be real, else a ``StoreError``.

        A real Query answer always has an ``Items`` list of attribute maps and a ``Count`` equal to its
        length; an answer without them (``{}``, garbage, a proxy's page) is not "no items". A few small
        items never fill a page, so a ``LastEvaluatedKey`` cannot be real here either.
        """
        response = self._call("query", KeyConditionExpression="#pk = :key",
                              ExpressionAttributeValues={":key": {"S": key}}, ConsistentRead=True, **options)
        found = response.get("Items") if isinstance(response, dict) else None
        count = response.get("Count") if isinstance(response, dict) else None
        if (not isinstance(found, list) or type(count) is not int or count != len(found)
                or not all(isinstance(raw, dict) for raw in found) or "LastEvaluatedKey" in response):
            raise StoreError(UNREAL_ANSWER)
        return found

    def items(self, key: str) -> dict[str, dict]:
        found = {}
        for raw in self._query(key, ExpressionAttributeNames={"#pk": PARTITION_KEY}):
            kind = _from_attribute(raw.get(SORT_KEY))
            if isinstance(kind, str):
                found[kind] = {name: _from_attribute(value) for name, value in raw.items()
                               if name not in (PARTITION_KEY, SORT_KEY)}
        return found

    def put(self, key: str, kind: str, item: dict) -> None:
        attributes = {name: _to_attribute(value) for name, value in item.items()}
        if EXPIRES_AT not in attributes:
            raise ValueError("every item needs its expiry")
        self._call("put_item", Item={**self._key(key, kind), **attributes})

    def delete(self, key: str, kind: str) -> None:
        self._call("delete_item", Key=self._key(key, kind))

    def delete_all(self, key: str) -> None:
        for raw in self._query(key, ExpressionAttributeNames=_KEYS, ProjectionExpression="#pk, #sk"):
            kind = _from_attribute(raw.get(SORT_KEY))
            if isinstance(kind, str):
                self.delete(key, kind)
