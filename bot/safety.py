"""Recognising emergencies before anything else happens.

Emergencies come first because a visitor describing crushing chest pain must be told to call 911,
whatever else the message asks. The red flags are regular expressions in ``emergency.yml``; what
only asks about a risk ("what are the warning signs of a stroke?") is left out before they are tried.
"""

from __future__ import annotations

from .knowledge import RedFlags, Rule
from .text import flatten


def emergency(message: str, flags: RedFlags) -> Rule | None:
    """The first red-flag rule the message matches (crisis rules are listed before medical ones),
    leaving out what only asks about a risk ("can needling cause a stroke?")."""
    text = flags.without_risk_questions(flatten(message))
    return next((rule for rule in flags.rules if rule.matches(text)), None)


