"""Talk to phones and USB modems over AT: engine, events, SMS PDU codec, simulated phone.

This package knows AT and nothing else (no storage, no terminal UI); it can be
used on its own.
"""
