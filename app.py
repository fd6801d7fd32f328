"""The clinic FAQ bot as a web service: ``create_app()`` builds it; nothing happens at import time.

Run it with ``flask --app app run`` for development or ``gunicorn 'app:create_app()'`` in production.
"""

from __future__ import annotations

import logging
import sys

from flask import Flask

from config import Config


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: configuration, then the engine (once per process), then the routes."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(Config)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    _log_to_stderr(app)

    from web import api, cli, console, engine, errors, jsonfast, limits, pages, questionlog, security, staff

    jsonfast.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    engine.init_app(app)
    questionlog.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(console.bp)
    limits.init_app(app)
    return app


def _log_to_stderr(app: Flask) -> None:
    """One log stream on stderr, which gunicorn, systemd and PaaS hosts collect like stdout, and
    which keeps a command's own output clean: ``$(flask --app app staff-password)`` is the hash."""
    if not logging.getLogger().handlers:
        logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
