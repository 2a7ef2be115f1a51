"""The agreement of records by all parties: submitting a version, the parties'
links and decisions, the emails they get, and the formal record filed when
all agree."""
