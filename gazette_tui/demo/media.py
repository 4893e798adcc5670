"""The demo paper's attachments: a podcast episode (an MP3 of silence, valid frames) and a PDF (one page),
made here byte for byte the same on every run, and which articles carry them. The site serves them under
``/medias/`` with byte ranges (``handler.py``), so a download can be cut and resumed against it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

_FRAME_HEADER = bytes((0xFF, 0xFB, 0x10, 0xC4))
"""MPEG-1 Layer III, no CRC, 32 kbit/s, 44.1 kHz, mono: 104-byte frames of 1,152 samples."""
_FRAME_BYTES = 104
_SAMPLES_PER_FRAME, _SAMPLE_RATE = 1152, 44_100


@dataclass(frozen=True, slots=True)
class DemoMedia:
    name: str
    """Its file name under ``/medias/``."""
    content_type: str
    duration: int = 0
    """Seconds (for the feeds' ``itunes:duration``); 0 for a document."""


EPISODE = DemoMedia("podcast-loi-de-finances-2027.mp3", "audio/mpeg", duration=12 * 60 + 30)
DOTATIONS_PDF = DemoMedia("tableau-des-dotations-2027.pdf", "application/pdf")
MEDIA = {media.name: media for media in (EPISODE, DOTATIONS_PDF)}

ATTACHMENTS: dict[str, tuple[DemoMedia, ...]] = {"plf-vote": (EPISODE, DOTATIONS_PDF)}
"""Article key (``articles_a.py``) → its attachments, in the order the feeds list them."""


def silent_mp3(seconds: int) -> bytes:
    """``seconds`` of silence as MPEG audio frames (all-zero side information decodes to silence)."""
    frames = -(-seconds * _SAMPLE_RATE // _SAMPLES_PER_FRAME)
    return (_FRAME_HEADER + bytes(_FRAME_BYTES - len(_FRAME_HEADER))) * frames


def one_page_pdf(title: str, lines: list[str]) -> bytes:
    """A PDF 1.4 of one A4 page of text in Helvetica (ASCII only, as its standard encoding needs)."""

    def escaped(text: str) -> str:
        return re.sub(r"([\\()])", r"\\\1", text.encode("ascii", "replace").decode())

    text = [f"BT /F1 18 Tf 56 780 Td ({escaped(title)}) Tj ET"]
    text += [f"BT /F1 11 Tf 56 {748 - 18 * n} Td ({escaped(line)}) Tj ET" for n, line in enumerate(lines)]
    stream = "\n".join(text).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    document = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(document))
        document += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(document)
    document += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    document += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    document += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    return bytes(document)


@cache
def media_bytes(name: str) -> bytes | None:
    """The bytes of ``/medias/NAME``, made once; None for a name the site does not have."""
    if name == EPISODE.name:
        return silent_mp3(EPISODE.duration)
    if name == DOTATIONS_PDF.name:
        return one_page_pdf(
            "Tableau des dotations 2027 (demonstration)",
            [
                "Dotation globale de fonctionnement : 27,4 Md EUR (0 %)",
                "Dotation de solidarite rurale : 2,34 Md EUR (+ 6,8 %)",
                "Dotation de solidarite urbaine : 2,97 Md EUR (+ 3,5 %)",
                "Fonds vert : 0,85 Md EUR (- 26 %)",
                "Chiffres fictifs du site de demonstration de gazette-tui.",
            ],
        )
    return None


def media_size(media: DemoMedia) -> int:
    found = media_bytes(media.name)
    return len(found) if found is not None else 0


def clock(seconds: int) -> str:
    """``itunes:duration`` as podcasts write it: "12:30", "1:02:03"."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
