"""Gateway settings, read once from `ONEPLAN_*` environment variables by the app factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import AnyHttpUrl, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ONEPLAN_", extra="forbid", frozen=True)

    hapi_url: AnyHttpUrl | None = Field(None, description="default: the local HAPI's URL")
    hapi_timeout: float = Field(10.0, gt=0, description="seconds per HAPI request")
    hapi_retries: int = Field(3, ge=0, le=10)
    hapi_port: int = Field(8090, ge=1, le=65535, description="port of the local HAPI")
    hapi_data_dir: Path = Path(".data/hapi")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL of the gateway's database; default: SQLite in .data/")
    sync_wait_ms: int = Field(2000, ge=0, le=60_000,
                              description="how long a write waits for HAPI before 202")
    worker: bool = Field(True, description="run the sync worker inside `oneplan serve`")
    worker_concurrency: int = Field(4, ge=1, le=64, description="children synced in parallel")
    outbox_lease: float = Field(60.0, gt=0, description="seconds a worker holds a claimed entry")
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    max_body_bytes: int = Field(1_000_000, gt=0)
    body_timeout: float = Field(30.0, gt=0, description="seconds to receive a request body")
    header_timeout: float = Field(10.0, gt=0, description="seconds to receive a request head")
    keep_alive_timeout: int = Field(5, gt=0, description="seconds an idle connection is kept")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "console"] = "json"

    @model_validator(mode="after")
    def _no_unknown_variables(self) -> Settings:
        """A misspelt ONEPLAN_ variable would otherwise be ignored silently."""
        known = {f"ONEPLAN_{name.upper()}" for name in type(self).model_fields}
        unknown = sorted(k for k in os.environ if k.startswith("ONEPLAN_") and k not in known)
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(unknown)}")
        return self

    @property
    def database(self) -> str:
        return self.database_url or "sqlite:///.data/oneplan.db"

    @property
    def hapi_base(self) -> str:
        if self.hapi_url is None:
            return f"http://127.0.0.1:{self.hapi_port}/fhir"
        return str(self.hapi_url).rstrip("/")
