"""Structured logging: one JSON object per line by default, readable key=value on a console.

The gateway's own events (structlog) and the lines of stdlib loggers such as uvicorn's go
through the same processors and renderer, so a JSON log holds nothing but JSON lines.
"""

from __future__ import annotations

import logging
import sys

import structlog

logger: structlog.stdlib.BoundLogger = structlog.get_logger("oneplan")
SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


def configure(level: str = "INFO", fmt: str = "json") -> None:
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if fmt == "json" else structlog.dev.ConsoleRenderer()
    )
    shared: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=False,
    )
    _route_server_loggers(level, structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info, renderer]))


class _ServerHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Marks the handler this module installed, so configuring again replaces it."""


def _route_server_loggers(level: str, formatter: logging.Formatter) -> None:
    handler = _ServerHandler(sys.stderr)
    handler.setFormatter(formatter)
    for name in SERVER_LOGGERS:
        stdlib = logging.getLogger(name)
        for old in [h for h in stdlib.handlers if isinstance(h, _ServerHandler)]:
            stdlib.removeHandler(old)
        if name == "uvicorn":
            stdlib.addHandler(handler)
            stdlib.setLevel(level)
        stdlib.propagate = name != "uvicorn"
