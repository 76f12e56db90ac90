"""VoisinBot: a Telegram bot that turns a neighbourhood group chat into a working commons."""

__version__ = "0.1.0"
