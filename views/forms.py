"""What the site's own forms (not the admin's model forms, which follow
the record rules) share."""
from wtforms.validators import ValidationError

from services.text import text_problem


class StorableText:
    """A field's text holds nothing no field may hold: no control
    characters, and on one line no line breaks."""

    def __init__(self, one_line):
        self.one_line = one_line

    def __call__(self, form, field):
        problem = text_problem(field.data, self.one_line)
        if problem:
            raise ValidationError(problem)
