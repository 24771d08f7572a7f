"""``--dynamodb moto``: a real local DynamoDB endpoint (moto's server) for the emulated function.

moto's ``ThreadedMotoServer`` serves DynamoDB over HTTP on 127.0.0.1; the
function finds it through ``AWS_ENDPOINT_URL_DYNAMODB`` (boto3 honours it), with
dummy credentials and a region. The tables template.yaml declares are created
in it first, from their definitions, so the function starts as on a fresh stack;
so are the secrets it generates (the key salt), each with a random value, found
through ``AWS_ENDPOINT_URL_SECRETS_MANAGER``.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from typing import Any


@dataclass
class LocalDynamoDb:
    region: str = "us-east-1"
    tables: list[dict] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)  # names of secrets to generate, as the stack would
    server: Any = None  # moto's ThreadedMotoServer, once started
    url: str = ""

    def start(self) -> "LocalDynamoDb":
        import boto3
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access-log line per DynamoDB call
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.url = f"http://{host}:{port}"
        client = boto3.client("dynamodb", endpoint_url=self.url, region_name=self.region,
                              # moto on loopback (bandit B106)
                              aws_access_key_id="emulator", aws_secret_access_key="emulator")  # nosec B106
        for definition in self.tables:
            table = dict(definition)
            ttl = table.pop("TimeToLiveSpecification", None)
            try:
                client.create_table(**table)
            except client.exceptions.ResourceInUseException:
                # moto keeps its state per Python process: another local server made it. Start empty, like a new stack.
                client.delete_table(TableName=table["TableName"])
                client.create_table(**table)
            if ttl:
                client.update_time_to_live(TableName=table["TableName"], TimeToLiveSpecification=ttl)
        if self.secrets:
            manager = boto3.client("secretsmanager", endpoint_url=self.url, region_name=self.region,
                                   # moto on loopback (bandit B106)
                                   aws_access_key_id="emulator", aws_secret_access_key="emulator")  # nosec B106
            for name in self.secrets:
                value = secrets.token_urlsafe(48)
                try:
                    manager.create_secret(Name=name, SecretString=value)
                except manager.exceptions.ResourceExistsException:  # moto's state outlives one server
                    manager.put_secret_value(SecretId=name, SecretString=value)
        return self

    def environment(self) -> dict[str, str]:
        """What the function needs to talk to this endpoint instead of AWS."""
        return {"AWS_ENDPOINT_URL_DYNAMODB": self.url, "AWS_ENDPOINT_URL_SECRETS_MANAGER": self.url,
                "AWS_REGION": self.region, "AWS_DEFAULT_REGION": self.region}

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
