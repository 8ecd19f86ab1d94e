"""An attachment's link shows a drawn paper clip, not the 📎 character, which a machine without an emoji
font shows as an empty box; the icon is hidden from screen readers (the file name says it all)."""

from __future__ import annotations

from types import SimpleNamespace

from django.template.loader import render_to_string


def test_an_attachment_link_draws_its_icon_and_hides_it_from_screen_readers():
    attachment = SimpleNamespace(pk=7, original_name="polisa.pdf", size=2048)
    message = SimpleNamespace(body="Proszę o kopię.", attachments=SimpleNamespace(all=lambda: [attachment]))

    html = render_to_string(
        "portal_ui/_message_body.html", {"message": message, "attachment_url": "message-attachment"}
    )

    assert "📎" not in html
    link = html.split("<a ", 1)[1].split("</a>", 1)[0]
    assert '<svg class="icon-attachment" aria-hidden="true"' in link
    assert link.endswith("polisa.pdf")
