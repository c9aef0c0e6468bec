"""Widgets only show and ask: no serial, no peewee, no modem (an import-linter contract)."""
