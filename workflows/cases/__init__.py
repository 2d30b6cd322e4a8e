"""Press cases: what a journalist asks and how the agency answers."""
