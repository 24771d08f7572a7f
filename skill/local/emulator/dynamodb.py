"""``--dynamodb moto``: a real local DynamoDB endpoint (moto's server) for the emulated function.

moto's ``ThreadedMotoServer`` serves DynamoDB over HTTP on 127.0.0.1; the
function finds it through ``AWS_ENDPOINT_URL_DYNAMODB`` (boto3 honours it), with
dummy credentials and a region. The tables template.yaml declares are created
in it first, from their definitions, so the function starts as on a fresh stack.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field


@dataclass
class LocalDynamoDb:
    region: str = "us-east-1"
    tables: list[dict] = field(default_factory=list)
    server: object = None
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
        return self

    def environment(self) -> dict[str, str]:
        """What the function needs to talk to this endpoint instead of AWS."""
        return {"AWS_ENDPOINT_URL_DYNAMODB": self.url, "AWS_REGION": self.region, "AWS_DEFAULT_REGION": self.region}

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
