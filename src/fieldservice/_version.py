"""The one place the version of fieldservice is written."""

__version__ = "0.1.0.dev0"
