"""Press cases: what the case list, pages and API share."""
