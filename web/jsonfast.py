"""Flask's JSON through orjson: the chat's replies are encoded on every request, and orjson does it
several times faster than the standard library. What orjson refuses (integers beyond 64 bits) falls
back to the standard library, so valid JSON is never turned away."""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask import Flask
from flask.json.provider import JSONProvider


class OrjsonProvider(JSONProvider):
    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return self._bytes(obj).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return orjson.loads(s)
        except orjson.JSONDecodeError:
            return json.loads(s)  # raises ValueError when it really is not JSON

    def response(self, *args: Any, **kwargs: Any):
        obj = self._prepare_response_obj(args, kwargs)
        return self._app.response_class(self._bytes(obj) + b"\n", mimetype="application/json")

    @staticmethod
    def _bytes(obj: Any) -> bytes:
        try:
            return orjson.dumps(obj)
        except TypeError:
            return json.dumps(obj).encode()


def init_app(app: Flask) -> None:
    app.json = OrjsonProvider(app)
