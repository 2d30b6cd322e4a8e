"""Outbound statements: what the statement list, pages and API share."""
