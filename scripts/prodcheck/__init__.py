"""`make prod-check`: the production topology on this machine, run, broken on purpose, checked.

bin/prod-check runs `python -m scripts.prodcheck`; docs/operations.md says what it does.
"""
