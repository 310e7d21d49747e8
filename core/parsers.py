"""The API's JSON parser: bounded in size and depth, and refusing NUL characters, each with a 400."""

import json

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MSG_TOO_LARGE = "The request body is larger than {limit} bytes."
MSG_TOO_DEEP = "The JSON body is nested more than {depth} levels deep."
MSG_NOT_JSON = "The request body is not valid JSON."
MSG_NUL = "The JSON body contains a NUL character (\\u0000), which cannot be stored."


def _check(data, max_depth: int) -> None:
    """Walk the parsed body without recursion; refuse it past ``max_depth`` levels or with a NUL character."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise ParseError(MSG_NUL)
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > max_depth:
            raise ParseError(MSG_TOO_DEEP.format(depth=max_depth))
        if isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    raise ParseError(MSG_NUL)
                stack.append((item, depth + 1))
        else:
            stack.extend((item, depth + 1) for item in value)


class BoundedJSONParser(JSONParser):
    """JSON, at most ``API_JSON_MAX_BYTES`` bytes and ``API_JSON_MAX_DEPTH`` levels deep, without NUL characters."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_JSON_MAX_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise ParseError(MSG_TOO_LARGE.format(limit=limit))
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError(MSG_TOO_DEEP.format(depth=settings.API_JSON_MAX_DEPTH)) from None
        except ValueError:
            raise ParseError(MSG_NOT_JSON) from None
        _check(data, settings.API_JSON_MAX_DEPTH)
        return data


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")
