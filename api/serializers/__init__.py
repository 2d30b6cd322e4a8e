"""Shapes of the API's requests and answers, one module per section (as api.views).

Rules stay in the services the views call; shared fields live in `base`.
"""
