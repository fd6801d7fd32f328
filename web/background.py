"""CPU-heavy work (building an engine, checking or comparing a version) away from the worker's
event loop: under gevent every greenlet shares one thread, so a second of building would stop
every visitor's reply on that worker for that second. On gevent's pool of real threads the build
takes turns with the loop like any thread; without gevent, plain threads do the same."""

from __future__ import annotations

import sys


def _gevent_hub():
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None and monkey.is_module_patched("threading"):
        from gevent import get_hub
        return get_hub()
    return None


def run(function, *args):
    """``function(*args)``, waited for, off the event loop when there is one."""
    hub = _gevent_hub()
    return hub.threadpool.apply(function, args) if hub is not None else function(*args)
