"""Where OnePlan's package data lives: found through importlib.resources, so a checkout, an
installed wheel and the Docker image read the same files."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def package_dir(package: str) -> Path:
    """The folder of an installed package of OnePlan's (`profiles`, `fixtures`, `mappings`...)."""
    return Path(str(resources.files(package)))


PROFILES = package_dir("profiles")
