"""The annual cycle: Council meeting dates (step 4 is due at the first one
after the objectives are agreed), the Council reports generated, the day a
step was last in its owner's digest, meetings' start times and the calendar
invitations sent for them, and an outbox email's .ics. Step 4's stand-in
rule becomes the framework's own, where HR has not changed it."""
import peewee as pw
from peewee_migrate import Migrator

STAND_IN_RULE = "'6 weeks after step 3'"
COUNCIL_RULE = "'first Council meeting after step 3'"


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class CouncilMeeting(pw.Model):
        id = pw.AutoField()
        council = pw.ForeignKeyField(column_name="council_id", field="id", model=migrator.orm["council"],
                                     on_delete="CASCADE")
        meets_on = pw.DateField(index=True)

        class Meta:
            table_name = "council_meeting"
            indexes = [(("council", "meets_on"), True)]

    @migrator.create_model
    class CouncilReport(pw.Model):
        id = pw.AutoField()
        council = pw.ForeignKeyField(column_name="council_id", field="id", model=migrator.orm["council"],
                                     on_delete="RESTRICT")
        year = pw.IntegerField(index=True)
        generated_at = pw.DateTimeField()
        generated_by = pw.ForeignKeyField(column_name="generated_by_id", field="id",
                                          model=migrator.orm["user"], null=True, on_delete="RESTRICT")

        class Meta:
            table_name = "council_report"
            indexes = [(("council", "year"), True)]

    @migrator.create_model
    class CalendarInvitation(pw.Model):
        id = pw.AutoField()
        meeting = pw.ForeignKeyField(column_name="meeting_id", field="id", model=migrator.orm["meeting"],
                                     on_delete="CASCADE")
        user = pw.ForeignKeyField(column_name="user_id", field="id", model=migrator.orm["user"],
                                  on_delete="CASCADE")
        sequence = pw.IntegerField(default=0)
        starts_at = pw.DateTimeField()
        ends_at = pw.DateTimeField()
        location = pw.CharField(default="", max_length=160)
        cancelled = pw.BooleanField(default=False)

        class Meta:
            table_name = "calendar_invitation"
            indexes = [(("meeting", "user"), True)]

    migrator.add_fields("step", reminded_on=pw.DateField(null=True))
    migrator.add_fields("meeting", start_time=pw.TimeField(null=True),
                        duration_minutes=pw.IntegerField(default=60))
    migrator.add_fields("outbox_email", calendar=pw.TextField(default=""))
    migrator.sql("UPDATE timetable_step SET due_rule = %s WHERE number = 4 AND due_rule = %s"
                 % (COUNCIL_RULE, STAND_IN_RULE))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.sql("UPDATE timetable_step SET due_rule = %s WHERE number = 4 AND due_rule = %s"
                 % (STAND_IN_RULE, COUNCIL_RULE))
    migrator.remove_fields("outbox_email", "calendar")
    migrator.remove_fields("meeting", "start_time", "duration_minutes")
    migrator.remove_fields("step", "reminded_on")
    migrator.remove_model("calendar_invitation")
    migrator.remove_model("council_report")
    migrator.remove_model("council_meeting")
