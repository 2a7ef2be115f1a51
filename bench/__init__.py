"""`make bench`: how fast Appraise's pages are against the floor (one
hand-written query and a minimal table) and against stock Flask-Admin, at
realistic and at ten times realistic data sizes. See bench/run.py."""
