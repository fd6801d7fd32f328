"""Flask's JSON through orjson: the chat's replies are encoded on every request, and orjson does it
several times faster than the standard library, with the same output for the types we send."""

from __future__ import annotations

from typing import Any

import orjson
from flask import Flask
from flask.json.provider import JSONProvider


class OrjsonProvider(JSONProvider):
    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return orjson.dumps(obj).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)

    def response(self, *args: Any, **kwargs: Any):
        obj = self._prepare_response_obj(args, kwargs)
        return self._app.response_class(orjson.dumps(obj) + b"\n", mimetype="application/json")


def init_app(app: Flask) -> None:
    app.json = OrjsonProvider(app)
