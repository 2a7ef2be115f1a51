"""Who may see and do what: the one place that decides it."""
