"""JSON log lines with UTC timestamps, and a filter that keeps secrets out of them."""

import json
import logging
import re
from datetime import UTC, datetime

_SECRET_PATTERNS = [
    # key=value or "key": "value" pairs whose key names a secret
    re.compile(
        r"(?i)(password|passwd|secret|token|api[_-]?key|authorization|sessionid|csrftoken)"
        r"([\"']?\s*[:=]\s*[\"']?)([^\s\"'&,;]+)"
    ),
    # invitation links carry their token in the path
    re.compile(r"(/invitations?/)([A-Za-z0-9_\-]{16,})"),
]


def redact(text: str) -> str:
    """Return ``text`` with anything that looks like a secret or token replaced by ``[redacted]``."""
    text = _SECRET_PATTERNS[0].sub(lambda m: f"{m.group(1)}{m.group(2)}[redacted]", text)
    return _SECRET_PATTERNS[1].sub(lambda m: f"{m.group(1)}[redacted]", text)


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg = redact(message)
        record.args = None
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object per line, timestamped in UTC."""

    _EXTRA = ("method", "path", "status", "duration_ms", "user_id", "task", "task_id")

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in self._EXTRA:
            if hasattr(record, key):
                payload[key] = getattr(record, key)
        if record.exc_info:
            payload["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(payload, default=str)
