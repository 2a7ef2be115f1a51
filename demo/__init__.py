"""The demonstration councils, people and records that `make run` seeds."""
