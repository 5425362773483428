"""Logging for operators: one JSON object per line, the request id on every line of a request.

Lines carry what happened (method, path, status, duration), never what founders answered.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

# The id of the request being handled in this thread (gthread) or task, "-" outside one.
request_id: ContextVar[str] = ContextVar("request_id", default="-")

_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request"}


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, so the plain format can show it too."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class OneLineWarning(logging.Filter):
    """For expected refusals such as a bad Host header: a WARNING line, not an ERROR traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", "pid", "request_id", ...extra}` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        line.update(_extras(record))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def _extras(record: logging.LogRecord) -> dict[str, object]:
    """Fields passed with `extra=` (Django's `request` object is left out)."""
    return {k: v for k, v in record.__dict__.items() if k not in _STANDARD}
