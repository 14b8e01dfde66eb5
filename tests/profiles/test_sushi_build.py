"""The committed `profiles/fsh-generated` is what SUSHI builds from `profiles/input/fsh` today.

SUSHI runs on a copy of the FSH sources in a temporary folder, never over the committed output.
It needs the npm-installed SUSHI and the FHIR packages in the package cache; without SUSHI the
test fails and says how to install it. Only a machine with no FHIR packages at all (none beside
the repository, none in the cache) skips it, saying so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.profiles.artefacts import (
    GENERATED,
    INSTALL_HINT,
    SHARED_PACKAGES,
    SUSHI,
    generated_paths,
    read,
    require_core_package,
)
from vocabulary.data import PROFILES

SOURCES = ("sushi-config.yaml", "input")
SUSHI_TIMEOUT = 300.0
GENERATED_NAMES = [p.name for p in generated_paths()]


def sushi_build(folder: Path) -> subprocess.CompletedProcess[str]:
    # offline: SUSHI's "is there a newer SUSHI?" check asks npm, which then answers from its cache.
    env = {**os.environ, "npm_config_offline": "true"}
    return subprocess.run([str(SUSHI), "build", str(folder)], capture_output=True, text=True,
                          env=env, timeout=SUSHI_TIMEOUT, check=False)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_core_package()
    if not SUSHI.exists():
        pytest.fail(f"SUSHI is not installed at {SUSHI}. {INSTALL_HINT}", pytrace=False)
    folder = tmp_path_factory.mktemp("profiles")
    shutil.copy2(PROFILES / SOURCES[0], folder)
    shutil.copytree(PROFILES / SOURCES[1], folder / SOURCES[1])
    result = sushi_build(folder)
    if result.returncode != 0:
        pytest.fail(f"SUSHI failed ({result.returncode}). {INSTALL_HINT}\n"
                    f"{result.stdout[-4000:]}\n{result.stderr[-2000:]}", pytrace=False)
    return folder / "fsh-generated" / "resources"


def fresh_document(fresh: Path, name: str) -> dict[str, Any]:
    path = fresh / name
    assert path.exists(), f"a fresh SUSHI build no longer makes {name}; run `make profiles`"
    return read(path)


def test_fresh_build_makes_exactly_the_committed_files(fresh: Path) -> None:
    assert sorted(p.name for p in fresh.glob("*.json")) == GENERATED_NAMES, (
        "profiles/fsh-generated is stale: run `make profiles` and commit the result")


@pytest.mark.parametrize("name", GENERATED_NAMES)
def test_committed_resource_equals_fresh_build(fresh: Path, name: str) -> None:
    assert read(GENERATED / name) == fresh_document(fresh, name), (
        f"profiles/fsh-generated/resources/{name} is stale: run `make profiles` and commit it")


def test_setup_packages_links_the_fhir_packages_idempotently(tmp_path: Path) -> None:
    if not SHARED_PACKAGES.is_dir():
        pytest.skip(f"no FHIR packages at {SHARED_PACKAGES} to link")
    script, cache = PROFILES / "setup-packages.sh", tmp_path / "packages"
    env = {**os.environ, "FHIR_PACKAGE_CACHE": str(cache)}
    for _ in range(2):
        subprocess.run([str(script)], env=env, check=True, capture_output=True, timeout=60)
    core = cache / "hl7.fhir.r4.core#4.0.1" / "package" / "CodeSystem-task-status.json"
    assert read(core)["url"] == "http://hl7.org/fhir/task-status"
