"""Email: the outbox every message is written to, the sender that delivers it,
reminders and calendar invitations."""
