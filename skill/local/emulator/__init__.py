"""``python -m skill emulate``: the Lambda function from template.yaml, run locally without Docker.

``Emulator`` ties the parts together: ``template`` reads the function,
``sandbox`` runs it under AWS's runtime interface client against our Runtime
API, ``invoke_api`` serves Lambda's Invoke API on 127.0.0.1 for boto3 and the
AWS CLI, ``dynamodb`` optionally starts moto's DynamoDB server for it.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Callable

from .dynamodb import LocalDynamoDb
from .invoke_api import InvokeApi
from .sandbox import Result, Sandbox
from .template import FunctionSpec, TemplateError, read_functions, read_secrets, read_tables

__all__ = ["Emulator", "FunctionSpec", "Result", "TemplateError"]


class Emulator:
    """Every function of a template behind one local Invoke API. Use as a context manager."""

    def __init__(self, template: Path, port: int = 9001, parameters: dict[str, str] | None = None,
                 code: Path | None = None, dynamodb: str | None = None, region: str = "us-east-1",
                 python: str = sys.executable, log: Callable[[str], None] | None = None,
                 environment: dict[str, str] | None = None):
        self.template, self.port, self.region, self.python = Path(template), port, region, python
        self.parameters = dict(parameters or {})
        self.environment = dict(environment or {})  # given to every function after the template's (local tools)
        self.code, self.dynamodb_mode = code, dynamodb
        self.log = log or (lambda line: print(line, flush=True))
        self.functions = read_functions(self.template, self.parameters, region)
        self.sandboxes: dict[str, Sandbox] = {}
        self.dynamodb: LocalDynamoDb | None = None
        self.api: InvokeApi | None = None
        self._unpacked: Path | None = None
        self._thread: threading.Thread | None = None

    def _code_dir(self, spec: FunctionSpec) -> Path:
        """The template's CodeUri, or the code given with --code: a folder or a deployment zip."""
        if self.code is None:
            return spec.code_dir
        code = Path(self.code).resolve()
        if code.is_dir():
            return code
        if zipfile.is_zipfile(code):
            if self._unpacked is None:  # like Lambda, unpack the zip into the task root once
                self._unpacked = Path(tempfile.mkdtemp(prefix="emulator-task-"))
                with zipfile.ZipFile(code) as archive:
                    archive.extractall(self._unpacked)
            return self._unpacked
        raise TemplateError(f"--code {code}: not a folder or a zip")

    def start(self) -> "Emulator":
        extra_env = dict(self.environment)
        if self.dynamodb_mode == "moto":
            self.dynamodb = LocalDynamoDb(self.region, read_tables(self.template, self.parameters, self.region),
                                          read_secrets(self.template, self.parameters, self.region)).start()
            extra_env.update(self.dynamodb.environment())
        elif self.dynamodb_mode is not None:
            raise ValueError(f"unknown --dynamodb {self.dynamodb_mode}")
        elif read_tables(self.template, self.parameters, self.region):
            self.log("WARNING the template declares DynamoDB tables: without --dynamodb moto the function "
                     "calls AWS's endpoint with dummy credentials, and its store will be down")
        for name, spec in self.functions.items():
            spec.code_dir = self._code_dir(spec)
            if not (spec.code_dir / (spec.handler.rsplit(".", 1)[0].replace(".", "/") + ".py")).exists():
                self.log(f"WARNING {name}: no {spec.handler.rsplit('.', 1)[0]}.py in {spec.code_dir}")
            for warning in spec.warnings:
                self.log(f"WARNING {name}: {warning}")
            if not spec.runtime.startswith("python"):
                raise TemplateError(f"{name}: Runtime {spec.runtime}: only Python runtimes are emulated")
            self.sandboxes[name] = Sandbox(spec, extra_env, self.region, self.python, self.log)
        self.api = InvokeApi(self.sandboxes, self.port, self.region)
        self._thread = threading.Thread(target=self.api.serve_forever, args=(0.05,), name="invoke-api", daemon=True)
        self._thread.start()
        return self

    @property
    def url(self) -> str:
        if self.api is None:
            raise RuntimeError("the emulator is not started")
        return self.api.url

    def describe(self) -> list[str]:
        lines = [f"Lambda Invoke API listening on {self.url} (POST /2015-03-31/functions/<name>/invocations)"]
        running = f"{sys.version_info.major}.{sys.version_info.minor}"
        for name, spec in self.functions.items():
            lines.append(f"  {name}: {spec.handler} in {spec.code_dir}, {spec.runtime}, "
                         f"Timeout {spec.timeout:g} s, MemorySize {spec.memory_mb} MB")
            if self.python == sys.executable and spec.runtime != f"python{running}":
                lines.append(f"  note: {spec.runtime} is emulated with this Python ({running}); "
                             f"use --python to pick another interpreter that has awslambdaric")
        if self.dynamodb is not None:
            tables = ", ".join(t["TableName"] for t in self.dynamodb.tables) or "no tables in the template"
            lines.append(f"  DynamoDB: moto at {self.dynamodb.url} ({tables})")
        return lines

    def close(self) -> None:
        if self.api is not None:
            self.api.shutdown()
            self.api.server_close()
            self.api = None
        for sandbox in self.sandboxes.values():
            sandbox.close()
        self.sandboxes.clear()
        if self.dynamodb is not None:
            self.dynamodb.stop()
            self.dynamodb = None
        if self._unpacked is not None:
            shutil.rmtree(self._unpacked, ignore_errors=True)
            self._unpacked = None

    def __enter__(self) -> "Emulator":
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc) -> None:
        self.close()
