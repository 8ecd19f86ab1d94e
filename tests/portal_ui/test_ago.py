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


def test_one_minute_or_hour_ago_reads_in_the_accusative_in_polish():
    # "1 minuta temu" is wrong Polish: after "temu" a feminine unit takes the accusative ("minutę").
    now = timezone.now()
    with translation.override("pl"):
        assert ago(now - timedelta(minutes=1, seconds=10)) == "1\xa0minutę temu"
        assert ago(now - timedelta(hours=1, seconds=10)) == "1\xa0godzinę temu"
        assert ago(now - timedelta(minutes=2, seconds=10)) == "2\xa0minuty temu"
        assert ago(now - timedelta(minutes=5, seconds=10)) == "5\xa0minut temu"
        assert ago(now - timedelta(days=1, hours=1, seconds=10)) == "1\xa0dzień, 1\xa0godzinę temu"
    with translation.override("en"):
        assert ago(now - timedelta(minutes=1, seconds=10)) == "1\xa0minute ago"
