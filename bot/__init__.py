"""Relance: a Discord bot for the organisers of a youth wing."""

__version__ = "0.1.0"
