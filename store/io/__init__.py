"""Customer books in and out: CSV, XLSX and vCard import, exports, and backups.

`store.io.importer.import_file` is the one entry point for importing; the
modules below it are pure steps (read, map columns, plan) plus one writer.
"""
