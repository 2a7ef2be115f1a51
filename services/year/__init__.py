"""The appraisal year: each officer's cycle and timetable, the dashboard's
overview, objectives in context and the Leader's report to Council."""
