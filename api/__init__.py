"""REST API v1: a thin JSON layer over the same services and selectors as the web pages."""
