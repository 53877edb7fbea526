"""Text that is safe to show: no terminal escapes, no forged lines, no live Markdown.

Model answers and event reports are untrusted. On a terminal an ANSI escape can
erase the lines above it (the mandatory notifications) and a newline can forge a
``[rules] COMPLIANT`` line; in a Markdown export raw HTML, images and links can
beacon out or run script. These helpers neutralise that where text enters
(the LLM seam, the event intake) and where it is rendered (CLI, exports).
"""

from __future__ import annotations

import re

_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erase line/screen
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: titles, hyperlinks
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*[0-~]?"  # any other escape: reset, charsets, keypad (and a lone ESC)
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 (bar tab/newline/CR) and C1 controls
    "\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"  # bidi, zero-width
)
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_SCHEME = re.compile(r"\b([A-Za-z][A-Za-z0-9+.-]{1,20}):(?=//|[A-Za-z0-9%])")
_WWW = re.compile(r"\bwww\.", re.IGNORECASE)
_BLOCK_START = re.compile(r"^(\d+)([.)])")
_LINE_START = re.compile(r"^([-=])")


def strip_controls(text: str) -> str:
    """``text`` without escape sequences and control characters; newlines and tabs kept."""
    text = _NEWLINES.sub("\n", text)
    text = _ANSI.sub("", text)
    return _INVISIBLE.sub("", text)


def clean_line(text: str) -> str:
    """One line: controls stripped, every run of whitespace (newlines too) one space."""
    return " ".join(strip_controls(text).split())


def clean_block(text: str) -> str:
    """Several lines: controls stripped, tabs to spaces, line ends normalised."""
    lines = strip_controls(text).replace("\t", " ").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def labelled(label: str, text: str, indent: int | None = None) -> str:
    """``label text``, every further line indented under the text.

    So no line of an untrusted text can pose as a line of its own (a ``[rules]``
    verdict, a notification).
    """
    pad = " " * (len(label) + 1 if indent is None else indent)
    first, *rest = clean_block(text).split("\n") or [""]
    return "\n".join([f"{label} {first}", *(f"{pad}{line}" for line in rest)])


def markdown_inline(text: str) -> str:
    """Text as inert Markdown on one line: HTML, emphasis, images, links and URLs defused.

    Every Markdown punctuation is backslash-escaped, ``<``, ``>`` and ``&`` become
    entities (no raw HTML, no ``<autolink>``), and URL schemes and ``www.`` are
    defanged (``https[:]//``, ``www[.]``) so no renderer turns them into links.
    """
    text = clean_line(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _SCHEME.sub(r"\1\\[:\\]", text)
    text = _WWW.sub(r"www\\[.\\]", text)
    text = _LINE_START.sub(r"\\\1", text)
    return _BLOCK_START.sub(r"\1\\\2", text)


def markdown_block(text: str) -> str:
    """A paragraph of untrusted text as inert Markdown: each line escaped, breaks kept.

    Lines become one paragraph joined by hard breaks, so a line cannot start a
    heading, a list, a quote or a table of its own.
    """
    lines = [markdown_inline(line) for line in clean_block(text).split("\n")]
    return "  \n".join(line for line in lines if line)
