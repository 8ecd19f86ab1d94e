"""Client walk 31b: a message's attachment link ("📎 scan.pdf") held a space between its paper clip and the
file name, which the link's underline drew as an underlined blank before the name. The gap is the icon's
margin now (portal.css); the link's text is the file name alone."""

from __future__ import annotations

import re
from types import SimpleNamespace

from django.template.loader import render_to_string


def test_the_attachment_links_text_is_the_file_name_without_a_leading_blank():
    attachment = SimpleNamespace(pk=7, original_name="scan.pdf", size=45)
    message = SimpleNamespace(
        body="Plik w załączniku.", attachments=SimpleNamespace(all=lambda: [attachment])
    )

    html = render_to_string(
        "portal_ui/_message_body.html", {"message": message, "attachment_url": "message-attachment"}
    )

    link = re.search(r"<a [^>]*>(.*?)</a>", html, re.S).group(1)
    assert re.sub(r"<svg.*?</svg>", "", link, flags=re.S) == "scan.pdf"
