"""Accounts and signing in, by password or through the council's directory."""
