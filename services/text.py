"""What a text may hold, said once for every way in (forms, commands,
links) and every way out (PDF and Word documents, email headers).

Nobody types a control character: they arrive pasted from elsewhere or
forged, and PostgreSQL refuses a NUL, Word documents (XML) refuse most of
the rest, and a line break in an email header is refused by the mail
library. So no field takes them; a multi-line text keeps its tabs and line
breaks, a one-line field (a name, an email address, a title) takes no break
of any kind. Text stored before this rule is cleaned on its way out."""
import re

# What XML 1.0, and so a Word document, cannot hold at all: C0 controls but
# tab and line breaks, lone surrogates, and the two non-characters U+FFFE/U+FFFF.
NOT_XML = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
# Control characters a multi-line text keeps.
TEXT_LAYOUT = "\t\n\r"
LINE_BREAKS = "\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029"

_NOT_XML = re.compile(f"[{NOT_XML}]")
_NOT_IN_TEXT = re.compile(f"[{NOT_XML}\x7f-\x9f]")
_NOT_IN_ONE_LINE = re.compile(f"[{NOT_XML}\x7f-\x9f{TEXT_LAYOUT}{LINE_BREAKS}]")
# A run of what a one-line field may not hold, to be made one space.
_BREAKS_AND_CONTROLS = re.compile(f"{_NOT_IN_ONE_LINE.pattern}+")

ONE_LINE_MESSAGE = "Keep this to one line, without tabs, line breaks or control characters."
TEXT_MESSAGE = "Remove the control characters (pasted from elsewhere, they cannot be stored or printed)."


def text_problem(value, one_line):
    """Why `value` cannot be stored in a field (one line or many), or None."""
    if not isinstance(value, str):
        return None
    if one_line:
        return ONE_LINE_MESSAGE if _NOT_IN_ONE_LINE.search(value) else None
    return TEXT_MESSAGE if _NOT_IN_TEXT.search(value) else None


def printable(value):
    """`value` without what a document cannot hold (kept from before the rule)."""
    return _NOT_XML.sub("", value) if value else value


def one_line(value):
    """`value` as one line, for an email header: each run of line breaks and
    control characters (stored before the rule) becomes a space."""
    return _BREAKS_AND_CONTROLS.sub(" ", value).strip() if value else value
