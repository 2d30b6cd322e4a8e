"""Outbound statements: what the agency says on its own initiative."""
