"""`ago`: how long a request has waited, in words; never "0 minut temu"."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone, translation

from portal_ui.templatetags.portal_format import ago


def test_a_moment_ago_reads_just_now_and_longer_waits_in_words():
    now = timezone.now()
    with translation.override("pl"):
        assert ago(now - timedelta(seconds=20)) == "przed chwilą"
        assert ago(now - timedelta(days=3, minutes=1)) == "3\xa0dni temu"
    with translation.override("en"):
        assert ago(now) == "just now"
        assert ago(now - timedelta(hours=2, seconds=5)) == "2\xa0hours ago"
    assert ago(None) == ""
