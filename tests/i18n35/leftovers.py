"""What a reader sees of a page (text and the attributes a screen reader or a tooltip shows), and the words
that give away a string left in the other language."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Attributes a user reads or hears: tooltips, screen-reader names, placeholders, button labels.
_SPOKEN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "aria-description")
_SILENT_TAGS = {"script", "style", "template", "svg"}
_POLISH_LETTERS = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")
# Polish function words that appear in any Polish sentence but never in an English one.
_POLISH_WORDS = re.compile(
    r"\b(?:się|nie|jest|oraz|lub|dla|przez|wszystkie|brak|wniosek|zapisz|dzień)\b", re.I
)
# English function words no Polish sentence has (" i " and " a " are Polish conjunctions, so not these).
_ENGLISH_WORDS = re.compile(
    r"\b(?:the|and|your|you|please|this|with|from|there|has been|will be|cannot|not found|no longer)\b", re.I
)


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._silent = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SILENT_TAGS:
            self._silent += 1
            return
        for name, value in attrs:
            if value and (name in _SPOKEN_ATTRIBUTES or (name == "value" and _is_button(tag, attrs))):
                self.pieces.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SILENT_TAGS and self._silent:
            self._silent -= 1

    def handle_data(self, data: str) -> None:
        if not self._silent and data.strip():
            self.pieces.append(data)


def _is_button(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    return tag == "input" and dict(attrs).get("type") in {"submit", "button", "reset"}


def visible_lines(html: str) -> list[str]:
    """The page's readable strings, whitespace collapsed, one per text node or spoken attribute."""
    parser = _VisibleText()
    parser.feed(html)
    return [" ".join(piece.split()) for piece in parser.pieces if piece.strip()]


def polish_on_an_english_page(lines: list[str], data: list[str]) -> list[str]:
    """Lines of an English page that read as Polish once the user data in them is taken out."""
    return [
        line
        for line in lines
        if _POLISH_LETTERS.search(rest := without_data(line, data)) or _POLISH_WORDS.search(rest)
    ]


def english_on_a_polish_page(lines: list[str], data: list[str]) -> list[str]:
    """Lines of a Polish page that read as English once the user data in them is taken out."""
    return [line for line in lines if _ENGLISH_WORDS.search(without_data(line, data))]


def without_data(line: str, data: list[str]) -> str:
    """The line with every data string (longest first, see `data_strings`) blanked out."""
    for value in data:
        if value in line:
            line = line.replace(value, " ")
    return line
