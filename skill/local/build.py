"""``python -m skill build``: the Lambda deployment zip, built without Docker.

The runtime's own dependencies (``lambda/requirements.txt``) are installed for
Lambda's platform and Python with pip, next to ``lambda_function.py`` and the
``skill`` package; boto3 is left out because the Lambda runtime provides it.
The zip is reproducible: sorted entries and fixed timestamps.
"""

from __future__ import annotations

import shutil

# runs pip, a fixed command (bandit B404)
import subprocess  # nosec B404
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAMBDA_DIR = ROOT / "lambda"
LAMBDA_PYTHON = "3.12"
FIXED_TIME = (2026, 1, 1, 0, 0, 0)
SKIP_PARTS = {"__pycache__", "local", "web"}  # laptop tools and the web server are not part of the function


def install_requirements(target: Path, include_boto3: bool = False) -> None:
    extra = ["boto3==1.44.8"] if include_boto3 else []  # only to measure: the runtime has its own boto3
    # sys.executable -m pip with fixed arguments and our own paths (bandit B603)
    subprocess.run(  # nosec B603
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--no-compile", "--target", str(target), "--requirement", str(LAMBDA_DIR / "requirements.txt"), *extra,
         "--platform", "manylinux2014_x86_64", "--implementation", "cp",
         "--python-version", LAMBDA_PYTHON, "--only-binary=:all:"],
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


def write_zip(folder: Path, zip_path: Path) -> None:
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                info = zipfile.ZipInfo(str(path.relative_to(folder)), date_time=FIXED_TIME)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())


def build(out: Path, include_boto3: bool = False) -> Path:
    staging = out / "lambda"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    install_requirements(staging, include_boto3)
    copy_sources(staging)
    zip_path = out / "lambda.zip"
    write_zip(staging, zip_path)
    return zip_path


def main(out: str = "dist") -> int:
    zip_path = build(Path(out).resolve())
    print(f"built {zip_path} ({zip_path.stat().st_size / 1e6:.2f} MB)")
    return 0
