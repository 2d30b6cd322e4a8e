"""REST API v1 endpoints, one module per section: thin views over the apps' services.

`api.urls` imports each section module; shared pieces live in `base`.
"""
