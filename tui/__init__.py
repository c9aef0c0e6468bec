"""The counter desk (Textual), the line worker and the command line."""
