"""What a file is, decided by its content and never by its name: only the
kinds of document an appraisal needs are recognised, so anything else (a
program, a script, a macro-enabled workbook, an installer) is refused."""
import zipfile
from typing import NamedTuple


class FileType(NamedTuple):
    content_type: str
    label: str
    extensions: tuple


PDF = FileType("application/pdf", "PDF", (".pdf",))
PNG = FileType("image/png", "PNG image", (".png",))
JPEG = FileType("image/jpeg", "JPEG image", (".jpg", ".jpeg"))
TEXT = FileType("text/plain", "plain text", (".txt", ".text", ".csv", ".md"))
WORD = FileType("application/msword", "Word document (97–2003)", (".doc",))
EXCEL = FileType("application/vnd.ms-excel", "Excel workbook (97–2003)", (".xls",))
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "Word document", (".docx",))
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "Excel workbook", (".xlsx",))
ODT = FileType("application/vnd.oasis.opendocument.text", "OpenDocument text", (".odt",))
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet",
               (".ods",))

ALLOWED = (PDF, WORD, EXCEL, DOCX, XLSX, ODT, ODS, PNG, JPEG, TEXT)
ALLOWED_DESCRIPTION = "PDF, Word, Excel, OpenDocument text or spreadsheet, PNG, JPEG or plain text"

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
# The main part an Office Open XML package declares, for the kinds allowed
# (the macro-enabled kinds declare other types, and are not recognised).
OOXML_MAIN_PARTS = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
ODF_MIMETYPES = {ODT.content_type.encode(): ODT, ODS.content_type.encode(): ODS}
# The streams that make an OLE2 compound file a Word or an Excel file, as
# their names are written in its directory (UTF-16).
OLE2_STREAMS = (("WordDocument".encode("utf-16-le"), WORD),
                ("Workbook".encode("utf-16-le"), EXCEL),
                ("Book".encode("utf-16-le"), EXCEL))
# Parts of a package read to decide its type: small in any real document.
MAX_PART_SIZE = 1024 * 1024
# Text may hold tabs, line ends and form feeds, but no other control characters.
TEXT_CONTROL_CHARACTERS = set(range(0, 32)) - {9, 10, 12, 13}


def detect_type(file):
    """The FileType of a seekable binary file, or None when it is not one
    of the kinds allowed. Leaves the file at its start."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(ZIP_SIGNATURE):
            return _package_type(file)
        if head.startswith(OLE2_SIGNATURE):
            return _ole2_type(file.read())
        return TEXT if _is_plain_text(file.read()) else None
    finally:
        file.seek(0)


def _package_type(file):
    """An OpenDocument file names its type in `mimetype`; an Office Open
    XML one in `[Content_Types].xml`."""
    try:
        with zipfile.ZipFile(file) as package:
            names = set(package.namelist())
            if "mimetype" in names:
                return ODF_MIMETYPES.get(_read_part(package, "mimetype").strip())
            if "[Content_Types].xml" in names:
                declared = _read_part(package, "[Content_Types].xml")
                return next((kind for part, kind in OOXML_MAIN_PARTS.items() if part in declared), None)
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, RuntimeError):
        return None
    return None


def _read_part(package, name):
    if package.getinfo(name).file_size > MAX_PART_SIZE:
        raise ValueError(f"{name} is too large to be genuine")
    return package.read(name)


def _ole2_type(data):
    return next((kind for stream, kind in OLE2_STREAMS if stream in data), None)


def _is_plain_text(data):
    if not data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not any(ord(character) in TEXT_CONTROL_CHARACTERS for character in text)
