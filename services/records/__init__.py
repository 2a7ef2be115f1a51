"""Keeping records as the law expects: attachments and their storage, the audit
trail, retention, subject access and backups."""
