"""Team mode: reps share accounts, research and the sent log through a PostgreSQL server."""
