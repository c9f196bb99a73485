"""`make bench`: the dashboard measured against what the database itself needs (bench/run.py)."""
