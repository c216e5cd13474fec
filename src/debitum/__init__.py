"""Debitum: credit management for the Netherlands and Belgium."""

__version__ = "0.1.0"
