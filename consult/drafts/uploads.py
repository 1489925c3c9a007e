"""What an uploaded attachment really is, judged by its bytes rather than its name."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from consult.errors import ValidationError
from consult.i18n import N_

# extension -> content type; the bytes must match the extension.
ALLOWED = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}


def sniff(data: bytes) -> str | None:
    """The extension matching the content, or None when it is none of the allowed types."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            return None
    return None


def safe_filename(name: str) -> str:
    """Keep Chinese and ordinary characters; drop paths, control characters and quotes."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r'[\x00-\x1f\x7f"<>:|?*;]', "", name).strip(" .")
    return name[:150] or "attachment"


@dataclass(frozen=True)
class Upload:
    """A file as a form delivered it, read up to one byte past the limit (so too large is seen)."""

    filename: str
    data: bytes
    max_bytes: int

    def checked(self) -> tuple[str, str]:
        return check_upload(self.filename, self.data, self.max_bytes)


def check_upload(filename: str, data: bytes, max_bytes: int) -> tuple[str, str]:
    """(safe name, content type) of an acceptable upload, or a ValidationError saying why not."""
    if not data:
        raise ValidationError({"file": N_("Choose a file to upload.")})
    if len(data) > max_bytes:
        raise ValidationError({"file": N_("The file is larger than %(mb)s MB.")}, mb=max_bytes // (1024 * 1024))
    name = safe_filename(filename)
    detected = sniff(data)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if detected is None or ALLOWED.get(extension) != ALLOWED[detected]:
        raise ValidationError({"file": N_("Only PDF, Word (doc, docx), PNG and JPEG files are accepted.")})
    return name, ALLOWED[detected]
