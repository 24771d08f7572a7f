"""``python -m skill build``: the Lambda deployment zip, built without Docker; ``sam build`` ships the same files.

The runtime's own dependencies are installed for Lambda's platform and Python
with pip from ``lambda/requirements.lock`` with ``--require-hashes`` (every
package pinned and hashed; the lock is ``pip-compile --generate-hashes`` of
``lambda/requirements.txt``, its header says how, and
tests/test_lambda_lock.py checks it is current), next to ``lambda_function.py`` and the
``skill`` package without its laptop tools, model generator and web server
(``skill/local``, ``skill/model``, ``skill/web``); boto3 is left out because the Lambda runtime provides
it. The protocol is proved and compiled into ``skill/triage/compiled/`` (``skill.triage.compiled``): the
function loads it already proved, one locale at a time, and refuses it if it is stale or altered.

Everything is compiled to bytecode by the Python of the template's runtime
(``python3.12`` on PATH, ``$LAMBDA_PYTHON``, or pyenv's), as unchecked-hash
``.pyc`` files with Lambda's paths (``/var/task``) in them: Lambda's code
directory is read-only, so without bytecode every cold start compiles every
module it imports, and a zip keeps timestamps to 2 seconds only, so
timestamp-checked ``.pyc`` files would be judged stale and compiled anyway.

The zip is reproducible: sorted entries and fixed timestamps. ``--artifacts-dir``
also unpacks it there: that is how ``sam build`` gets exactly this artifact
(``BuildMethod: makefile`` in template.yaml, the Makefile's ``build-SkillFunction``).
"""

from __future__ import annotations

import os
import shutil

# runs pip, pyenv and the runtime's Python: fixed commands (bandit B404)
import subprocess  # nosec B404
import sys
import zipfile
from pathlib import Path

from skill.triage.compiled import compile_protocol

ROOT = Path(__file__).resolve().parents[2]
LAMBDA_DIR = ROOT / "lambda"
LOCK = LAMBDA_DIR / "requirements.lock"  # pinned and hashed, from lambda/requirements.txt
TEMPLATE = ROOT / "template.yaml"
FUNCTION = "SkillFunction"
TASK_ROOT = "/var/task"  # where Lambda unpacks the code: the paths compiled into the bytecode
FIXED_TIME = (2026, 1, 1, 0, 0, 0)
SKIP_PARTS = {"__pycache__", "local", "model", "web"}  # laptop tools, the model generator, the web server: not in it


class BuildError(RuntimeError):
    """The artifact cannot be built here; the message says what is missing."""


def runtime_version(template: Path = TEMPLATE) -> str:
    """The Python version of the function's Runtime in the template ("3.12" for python3.12)."""
    from skill.local.emulator.template import load_template

    loaded = load_template(template)
    globals_function = (loaded.get("Globals") or {}).get("Function") or {}
    runtime = loaded["Resources"][FUNCTION]["Properties"].get("Runtime", globals_function.get("Runtime"))
    if not isinstance(runtime, str) or not runtime.startswith("python"):
        raise BuildError(f"{FUNCTION}'s Runtime is {runtime!r}, not a Python runtime")
    return runtime.removeprefix("python")


def _reports(command: list[str], version: str, env: dict | None = None) -> bool:
    try:
        # a fixed probe of an interpreter (bandit B603)
        result = subprocess.run([*command, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],  # nosec B603
                                capture_output=True, text=True, timeout=60, env=env)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0 and result.stdout.strip() == version


def runtime_python(version: str) -> list[str]:
    """A command that runs Python ``version``: ``$LAMBDA_PYTHON``, ``python<version>`` on PATH, or pyenv's."""
    if os.environ.get("LAMBDA_PYTHON"):
        command = [os.environ["LAMBDA_PYTHON"]]
        if not _reports(command, version):
            raise BuildError(f"LAMBDA_PYTHON={command[0]} is not Python {version}")
        return command
    if _reports([f"python{version}"], version):
        return [f"python{version}"]
    pyenv = shutil.which("pyenv")
    if pyenv:
        # pyenv's own commands (bandit B603)
        latest = subprocess.run([pyenv, "latest", version], capture_output=True, text=True)  # nosec B603
        root = subprocess.run([pyenv, "root"], capture_output=True, text=True)  # nosec B603
        candidate = Path(root.stdout.strip()) / "versions" / latest.stdout.strip() / "bin" / f"python{version}"
        if latest.returncode == 0 and root.returncode == 0 and _reports([str(candidate)], version):
            return [str(candidate)]
    raise BuildError(f"Python {version} (the template's runtime) is needed to compile the bytecode: put "
                     f"python{version} on PATH, set LAMBDA_PYTHON, or install it with pyenv")


def install_requirements(target: Path, version: str, include_boto3: bool = False) -> None:
    platform = ["--platform", "manylinux2014_x86_64", "--implementation", "cp", "--python-version", version,
                "--only-binary=:all:"]
    # sys.executable -m pip with fixed arguments and our own paths (bandit B603)
    subprocess.run(  # nosec B603
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile",
         "--require-hashes", "--target", str(target), "--requirement", str(LOCK), *platform],
        check=True,
    )
    if include_boto3:  # only to measure the artifact's size with it: the runtime has its own boto3
        subprocess.run(  # nosec B603
            [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile",
             "--target", str(target), "boto3==1.44.8", *platform],
            check=True,
        )


def copy_sources(target: Path) -> None:
    shutil.copy2(LAMBDA_DIR / "lambda_function.py", target / "lambda_function.py")
    source = ROOT / "skill"
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_dir() or SKIP_PARTS & set(relative.parts) or path.suffix == ".pyc":
            continue
        destination = target / "skill" / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)


def compile_bytecode(target: Path, python: list[str]) -> None:
    """Every module compiled by the runtime's Python, hash-checked only by the source's hash (never by time)."""
    # the runtime's Python with fixed arguments and our own paths (bandit B603)
    subprocess.run(  # nosec B603
        [*python, "-W", "ignore::SyntaxWarning", "-m", "compileall", "-q", "-j", "0",
         "--invalidation-mode", "unchecked-hash", "-s", str(target), "-p", TASK_ROOT, str(target)],
        check=True,
    )


def write_zip(folder: Path, zip_path: Path) -> None:
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(str(path.relative_to(folder)), date_time=FIXED_TIME)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())


def build(out: Path, include_boto3: bool = False, python: list[str] | None = None) -> Path:
    version = runtime_version()
    python = python or runtime_python(version)
    staging = out / "lambda"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    install_requirements(staging, version, include_boto3)
    copy_sources(staging)
    triage = staging / "skill" / "triage"
    compile_protocol(triage)  # proved here, once: the function loads it already proved
    # what the function never reads leaves with the proof: the protocol's sources and eight locales' training data
    shutil.rmtree(triage / "data")
    compile_bytecode(staging, python)
    zip_path = out / "lambda.zip"
    write_zip(staging, zip_path)
    return zip_path


def unpack(zip_path: Path, artifacts_dir: Path) -> None:
    """The zip's files in ``artifacts_dir`` (emptied first), as ``sam build`` expects its build folder."""
    if artifacts_dir.exists():
        shutil.rmtree(artifacts_dir)
    artifacts_dir.mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(artifacts_dir)


def main(out: str = "dist", artifacts_dir: str | None = None) -> int:
    try:
        zip_path = build(Path(out).resolve())
    except BuildError as exc:
        print(f"build: {exc}", file=sys.stderr)
        return 1
    print(f"built {zip_path} ({zip_path.stat().st_size / 1e6:.2f} MB)")
    if artifacts_dir:
        unpack(zip_path, Path(artifacts_dir))
        print(f"unpacked into {artifacts_dir}")
    return 0
