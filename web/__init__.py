"""The web layer: translates HTTP to calls of the engine in ``bot/`` and back, nothing more."""
