"""The desk's screens, each one key away."""
