"""The local HAPI manager: build only when needed, and a failed start shows HAPI's log."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gateway.devtools.hapi import LocalHapi
from vocabulary.errors import LocalHapiError


def launcher(tmp_path: Path) -> LocalHapi:
    source = tmp_path / "hapi"
    (source / "src" / "main").mkdir(parents=True)
    (source / "pom.xml").write_text("<project/>")
    (source / "src" / "main" / "Launcher.java").write_text("class Launcher {}")
    return LocalHapi(port=1, data_dir=tmp_path / "data", source=source)


def touch(path: Path, mtime: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    os.utime(path, (mtime, mtime))


def test_a_missing_jar_needs_a_build(tmp_path: Path) -> None:
    assert launcher(tmp_path).needs_build()


def test_a_jar_newer_than_its_sources_is_reused(tmp_path: Path) -> None:
    hapi = launcher(tmp_path)
    touch(hapi.jar, 4_000_000_000)
    assert not hapi.needs_build()


def test_a_changed_source_triggers_a_rebuild(tmp_path: Path) -> None:
    hapi = launcher(tmp_path)
    touch(hapi.jar, 1_000_000_000)
    touch(hapi.source / "src" / "main" / "Launcher.java", 2_000_000_000)
    assert hapi.needs_build()


def test_a_server_that_dies_at_start_reports_its_log(tmp_path: Path) -> None:
    hapi = launcher(tmp_path)
    touch(hapi.jar, 4_000_000_000)  # an empty file: java refuses it at once
    hapi.start()
    with pytest.raises(LocalHapiError) as caught:
        hapi.wait_ready(timeout=60)
    assert "exited during start-up" in caught.value.message
    assert "jar" in caught.value.message.lower()
    hapi.stop()
    assert hapi.pid() is None


def test_stopping_when_nothing_runs_says_so(tmp_path: Path) -> None:
    assert launcher(tmp_path).stop() is False
