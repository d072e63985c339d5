"""Newswire: a terminal news reader that shows clean articles."""

__version__ = "0.1.0"
APP_NAME = "newswire"
USER_AGENT = f"Newswire/{__version__} (+https://github.com/newswire/newswire; terminal feed reader)"
