"""Static files as `make run` and the image serve them (backend/config/settings.py, backend/core/
static_storage.py): collectstatic with the configured storage, then pages link hashed names that answer
with a year's immutable caching and a gzip (or brotli) copy. The rest of the suite serves plain names
from the app folders (tests/conftest.py), so this module collects once, into a folder of its own."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli
import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings
from whitenoise.compress import Compressor

import backend.config.settings as served

ROOT = Path(__file__).resolve().parents[2]
HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")
STATIC_LINK = re.compile(r'(?:href|src)="(/static/[^"]+)"')
TEMPLATE_STATIC = re.compile(r"\{% static ['\"]([^'\"]+)['\"] %\}")
FOR_EVER = "max-age=315360000, public, immutable"


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic with the served settings; brotli at a low quality, as the test only needs the copy."""
    static_root = tmp_path_factory.mktemp("static")
    with (
        override_settings(
            STORAGES=served.STORAGES,
            WHITENOISE_USE_FINDERS=False,  # what a collected folder gives
            STATIC_ROOT=static_root,
        ),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(
            Compressor, "compress_brotli", staticmethod(lambda data: brotli.compress(data, quality=4))
        )
        call_command("collectstatic", interactive=False, verbosity=0)
        yield static_root


def _file(static_root: Path, url: str) -> bytes:
    return (static_root / url.removeprefix("/static/")).read_bytes()


def test_the_served_settings_hash_names_and_serve_the_collected_folder():
    assert served.STORAGES["staticfiles"]["BACKEND"] == "backend.core.static_storage.PortalStaticFilesStorage"
    # the app folders only for DEBUG (runserver) or where nothing was collected
    collected = (served.STATIC_ROOT / "staticfiles.json").exists()
    assert served.WHITENOISE_USE_FINDERS is (served.DEBUG or not collected)


@pytest.mark.django_db
def test_without_a_collectstatic_pages_keep_plain_names(tmp_path):
    # given: the served storage over an empty folder (a bare serve_web.py, a bench)
    with override_settings(STORAGES=served.STORAGES, STATIC_ROOT=tmp_path):
        # when
        page = Client().get("/login/")

    # then: the page renders, naming plain files (the app folders serve them)
    assert page.status_code == 200
    assert '/static/portal_ui/portal.css"' in page.content.decode()


@pytest.mark.django_db
def test_pages_link_hashed_names_cached_for_ever_and_sent_compressed(collected):
    # given: the login page's stylesheets and scripts
    page = Client().get("/login/")
    links = STATIC_LINK.findall(page.content.decode())
    assert links

    for url in links:
        # then: a hashed name…
        assert HASHED.search(url), url
        # …cached for a year, immutable, in gzip for a browser that takes gzip…
        response = Client().get(url, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, url
        assert response["Cache-Control"] == FOR_EVER, url
        body = b"".join(response.streaming_content)
        if url.endswith((".css", ".js", ".svg")):
            assert response["Content-Encoding"] == "gzip", url
            assert gzip.decompress(body) == _file(collected, url), url
        # …and a browser that also takes brotli gets the smaller of the two copies
        if url.endswith((".css", ".js")):
            best = Client().get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
            sizes = {"br": len(_file(collected, url + ".br")), "gzip": len(_file(collected, url + ".gz"))}
            # (on a tie either copy is the smaller: WhiteNoise keeps its own order then)
            assert sizes[best["Content-Encoding"]] == min(sizes.values()), (url, sizes)
            unpack = brotli.decompress if best["Content-Encoding"] == "br" else gzip.decompress
            assert unpack(b"".join(best.streaming_content)) == _file(collected, url), url


@pytest.mark.django_db
def test_the_large_bundles_travel_compressed(collected):
    for name, at_most in (
        ("portal_ui/editor/vendor/portal-modeler.min.js", 0.3),
        ("portal_ui/vendor/chartjs/chart.umd.min.js", 0.4),
    ):
        url = staticfiles_storage.url(name)
        response = Client().get(url, headers={"Accept-Encoding": "gzip"})
        body = b"".join(response.streaming_content)
        assert response["Content-Encoding"] == "gzip"
        assert response["Cache-Control"] == FOR_EVER
        assert len(body) < at_most * len(_file(collected, url)), name


def test_every_static_file_a_template_names_is_in_the_manifest(collected):
    # A name missing from the manifest would make its pages fail (ValueError) as served, not in tests.
    names = set()
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" not in template.parts:
            names.update(TEMPLATE_STATIC.findall(template.read_text()))
    assert "portal_ui/portal.css" in names
    for name in names:
        assert HASHED.search(staticfiles_storage.stored_name(name)), name


def test_a_vendor_reference_to_a_file_it_does_not_ship_is_left_as_written(collected):
    # bpmn-js's stylesheet names .eot/.svg fallbacks of the font it embeds as data: (no such files)
    css = _file(collected, staticfiles_storage.url("portal_ui/editor/vendor/bpmn-embedded.css")).decode()
    assert "url('../font/bpmn.eot?16406289')" in css


def test_make_run_and_the_image_collect_before_the_server_starts():
    script = (ROOT / "scripts/run-portal.sh").read_text()
    assert script.index("manage.py collectstatic") < script.index("scripts/serve_web.py")
    assert "manage.py collectstatic" in (ROOT / "Dockerfile").read_text()
