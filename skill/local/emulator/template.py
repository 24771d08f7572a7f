"""The function as ``template.yaml`` declares it: handler, code, runtime, limits, environment.

Only what running one function locally needs is read. Intrinsic functions in
the Environment (``!Ref SkillId``, ``!Sub``, ``!GetAtt``) are resolved from the
parameters given on the command line, their defaults, and the pseudo
parameters, the way ``sam local`` does; a value that cannot be resolved is left
out with a warning instead of being guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

FUNCTION_TYPES = {"AWS::Serverless::Function", "AWS::Lambda::Function"}
TABLE_TYPES = {"AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable"}
DEFAULT_TIMEOUT = 3  # seconds: Lambda's defaults when the template says nothing
DEFAULT_MEMORY = 128  # MB
ACCOUNT_ID = "123456789012"


class TemplateError(ValueError):
    """The template does not describe a function this emulator can run."""


class Unresolvable(ValueError):
    """An intrinsic function whose value is not known locally."""


class _CfnLoader(yaml.SafeLoader):
    """YAML loader that reads CloudFormation's short tags (!Ref, !Sub, ...) as their long forms."""


def _tag_constructor(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> dict:
    name = "Ref" if tag_suffix == "Ref" else f"Fn::{tag_suffix}"
    value: object
    if isinstance(node, yaml.ScalarNode):
        scalar = loader.construct_scalar(node)
        value = scalar.split(".", 1) if tag_suffix == "GetAtt" else scalar
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    else:
        raise yaml.constructor.ConstructorError(None, None, f"unexpected node for !{tag_suffix}", node.start_mark)
    return {name: value}


_CfnLoader.add_multi_constructor("!", _tag_constructor)


def load_template(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        # _CfnLoader is a SafeLoader (bandit B506)
        template = yaml.load(handle, Loader=_CfnLoader)  # nosec B506
    if not isinstance(template, dict) or not isinstance(template.get("Resources"), dict):
        raise TemplateError(f"{path}: no Resources")
    return template


@dataclass
class Resolver:
    """Resolves intrinsic functions against parameters, pseudo parameters and resource names."""

    template: dict
    parameters: dict[str, str] = field(default_factory=dict)
    region: str = "us-east-1"
    stack_name: str = "local"

    def parameter(self, name: str) -> str:
        pseudo = {"AWS::Region": self.region, "AWS::AccountId": ACCOUNT_ID, "AWS::StackName": self.stack_name,
                  "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return str(self.parameters[name])
        declared = (self.template.get("Parameters") or {}).get(name)
        if declared is not None:
            if "Default" in declared:
                return str(declared["Default"])
            raise Unresolvable(f"parameter {name} has no value (give it with --parameter {name}=...)")
        resource = (self.template.get("Resources") or {}).get(name)
        if resource is not None:
            return self.physical_name(name)
        raise Unresolvable(f"unknown reference {name}")

    def physical_name(self, logical_id: str) -> str:
        """A resource's name: its declared name (TableName, FunctionName) or, like sam local, its logical id."""
        properties = self.template["Resources"][logical_id].get("Properties") or {}
        for key in ("TableName", "FunctionName", "Name"):
            if key in properties:
                return self.resolve(properties[key])
        return logical_id

    def attribute(self, logical_id: str, attribute: str) -> str:
        resource = (self.template.get("Resources") or {}).get(logical_id)
        if resource is None:
            raise Unresolvable(f"unknown resource {logical_id}")
        name = self.physical_name(logical_id)
        if attribute == "Arn" and resource.get("Type") in TABLE_TYPES:
            return f"arn:aws:dynamodb:{self.region}:{ACCOUNT_ID}:table/{name}"
        if attribute == "Arn" and resource.get("Type") in FUNCTION_TYPES:
            return f"arn:aws:lambda:{self.region}:{ACCOUNT_ID}:function:{name}"
        raise Unresolvable(f"{logical_id}.{attribute} is not known locally")

    def substitute(self, text: str, variables: dict) -> str:
        def one(match: re.Match) -> str:
            name = match.group(1)
            if name in variables:
                return self.resolve(variables[name])
            if "." in name and not name.startswith("AWS::"):
                return self.attribute(*name.split(".", 1))
            return self.parameter(name)

        return re.sub(r"\$\{([^}!][^}]*)\}", one, text)

    def resolve(self, value: object) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (str, int, float)):
            return str(value)
        if isinstance(value, dict) and len(value) == 1:
            (name, argument), = value.items()
            if name == "Ref":
                return self.parameter(argument)
            if name == "Fn::Sub":
                text, variables = (argument, {}) if isinstance(argument, str) else (argument[0], argument[1])
                return self.substitute(text, variables)
            if name == "Fn::GetAtt":
                return self.attribute(*argument)
            if name == "Fn::Join":
                separator, parts = argument
                return separator.join(self.resolve(part) for part in parts)
        raise Unresolvable(f"cannot resolve {value!r} locally")


@dataclass
class FunctionSpec:
    """One Lambda function, with everything resolved that the emulator needs to run it."""

    logical_id: str
    handler: str
    code_dir: Path
    runtime: str
    timeout: float
    memory_mb: int
    environment: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    aliases: tuple[str, ...] = ()  # AutoPublishAlias: invoking FunctionName:<alias> runs the same code
    log_format: str = "Text"  # LoggingConfig.LogFormat: JSON makes the runtime write each log line as JSON
    log_level: str | None = None  # LoggingConfig.ApplicationLogLevel (JSON format only)

    @property
    def log_group(self) -> str:
        return f"/aws/lambda/{self.logical_id}"


def _merged(globals_function: dict, properties: dict, key: str, default=None):
    return properties.get(key, globals_function.get(key, default))


def read_functions(template_path: Path, parameters: dict[str, str] | None = None,
                   region: str = "us-east-1") -> dict[str, FunctionSpec]:
    """Every function in the template, by logical id."""
    template = load_template(template_path)
    resolver = Resolver(template, dict(parameters or {}), region)
    unknown = set(parameters or {}) - set(template.get("Parameters") or {})
    globals_function = (template.get("Globals") or {}).get("Function") or {}
    functions = {}
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") not in FUNCTION_TYPES:
            continue
        properties = resource.get("Properties") or {}
        warnings = [f"--parameter {name} is not a parameter of the template" for name in sorted(unknown)]
        handler = _merged(globals_function, properties, "Handler")
        runtime = _merged(globals_function, properties, "Runtime")
        code_uri = properties.get("CodeUri", globals_function.get("CodeUri"))
        if "Code" in properties:  # AWS::Lambda::Function with inline or S3 code
            raise TemplateError(f"{logical_id}: only local CodeUri folders can be emulated")
        if not handler or not runtime or not isinstance(code_uri, str):
            raise TemplateError(f"{logical_id}: needs Handler, Runtime and a local CodeUri")
        logging_config = _merged(globals_function, properties, "LoggingConfig", {}) or {}
        environment = {}
        variables = dict((globals_function.get("Environment") or {}).get("Variables") or {})
        variables.update((properties.get("Environment") or {}).get("Variables") or {})
        for name, value in variables.items():
            try:
                environment[name] = resolver.resolve(value)
            except Unresolvable as exc:
                warnings.append(f"{name} is left unset: {exc}")
        functions[logical_id] = FunctionSpec(
            logical_id=logical_id,
            handler=str(handler),
            code_dir=(template_path.parent / code_uri).resolve(),
            runtime=str(runtime),
            timeout=float(resolver.resolve(_merged(globals_function, properties, "Timeout", DEFAULT_TIMEOUT))),
            memory_mb=int(resolver.resolve(_merged(globals_function, properties, "MemorySize", DEFAULT_MEMORY))),
            environment=environment,
            warnings=warnings,
            aliases=(resolver.resolve(properties["AutoPublishAlias"]),) if "AutoPublishAlias" in properties else (),
            log_format=resolver.resolve(logging_config.get("LogFormat", "Text")),
            log_level=resolver.resolve(logging_config["ApplicationLogLevel"])
            if "ApplicationLogLevel" in logging_config else None,
        )
    if not functions:
        raise TemplateError(f"{template_path}: no AWS::Serverless::Function")
    return functions


def read_tables(template_path: Path, parameters: dict[str, str] | None = None,
                region: str = "us-east-1") -> list[dict]:
    """The DynamoDB tables the template declares, as ``create_table`` arguments (plus TTL, if any)."""
    template = load_template(template_path)
    resolver = Resolver(template, dict(parameters or {}), region)
    tables = []
    for logical_id, resource in template["Resources"].items():
        kind = resource.get("Type")
        properties = resource.get("Properties") or {}
        if kind == "AWS::Serverless::SimpleTable":
            key = properties.get("PrimaryKey") or {"Name": "id", "Type": "String"}
            key_type = {"String": "S", "Number": "N", "Binary": "B"}[key.get("Type", "String")]
            tables.append({"TableName": resolver.physical_name(logical_id),
                           "KeySchema": [{"AttributeName": key["Name"], "KeyType": "HASH"}],
                           "AttributeDefinitions": [{"AttributeName": key["Name"], "AttributeType": key_type}],
                           "BillingMode": "PAY_PER_REQUEST"})
        elif kind == "AWS::DynamoDB::Table":
            table = {"TableName": resolver.physical_name(logical_id),
                     "KeySchema": properties["KeySchema"],
                     "AttributeDefinitions": properties["AttributeDefinitions"],
                     "BillingMode": resolver.resolve(properties.get("BillingMode", "PAY_PER_REQUEST"))}
            if table["BillingMode"] == "PROVISIONED":
                table["ProvisionedThroughput"] = {
                    key: int(resolver.resolve(value))
                    for key, value in (properties.get("ProvisionedThroughput") or {}).items()}
            for index_kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
                if properties.get(index_kind):
                    table[index_kind] = properties[index_kind]
            ttl = properties.get("TimeToLiveSpecification")
            if ttl:
                table["TimeToLiveSpecification"] = {"AttributeName": ttl["AttributeName"],
                                                    "Enabled": resolver.resolve(ttl.get("Enabled", True)) == "true"}
            tables.append(table)
    return tables


def read_secrets(template_path: Path, parameters: dict[str, str] | None = None,
                 region: str = "us-east-1") -> list[str]:
    """The names of the Secrets Manager secrets the template generates (``GenerateSecretString``), as ``!Ref``
    resolves them here (their logical ids, like sam local, unless they declare a Name)."""
    template = load_template(template_path)
    resolver = Resolver(template, dict(parameters or {}), region)
    return [resolver.physical_name(logical_id) for logical_id, resource in template["Resources"].items()
            if resource.get("Type") == "AWS::SecretsManager::Secret"
            and "GenerateSecretString" in (resource.get("Properties") or {})]
