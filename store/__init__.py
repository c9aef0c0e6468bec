"""The customer book, every call and every text: peewee on SQLite or PostgreSQL.

This package knows the data and nothing else (no serial port, no terminal UI).
"""
