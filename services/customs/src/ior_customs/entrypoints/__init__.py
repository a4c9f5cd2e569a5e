"""Lambda entry points of the customs service."""
