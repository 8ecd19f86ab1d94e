"""Static files as served: content-hashed names and gzip/brotli copies, written by collectstatic.

Hashed names (portal.3f2a….css) let WhiteNoise send `Cache-Control: max-age=315360000, public, immutable`,
and a deploy changes the name of every file it changed; WhiteNoise serves the .br/.gz copy the browser
accepts. `make run` (scripts/run-portal.sh) and the Docker image run collectstatic before the server
starts: `{% static %}` reads its manifest. The test suite keeps plain names from the finders
(tests/conftest.py); tests/perf19 collects with this storage.

What differs from WhiteNoise's CompressedManifestStaticFilesStorage:
- a vendored stylesheet or script may point at a file its package does not ship (bpmn-js's old .eot/.svg
  font fallbacks, the font itself being embedded as data:; Chart.js's source map): Django refuses the whole
  collectstatic for that; here the reference is left as written (it answered 404 before too), and one
  outside a vendor/ folder is named in collectstatic's output;
- only the hashed names are compressed (pages link nothing else), and a hashed name compressed by an
  earlier run is not compressed again (same name, same bytes): brotli's best quality costs about 3 s per
  MB, so a fresh machine pays it once and a later `make run` only for the files that changed;
- the compressed copy is written under a temporary name and renamed, so a run stopped half-way never
  leaves a truncated .gz/.br that the next run would take as done;
- without a manifest (nothing collected yet) pages keep plain names instead of failing, served from the
  app folders (settings: WHITENOISE_USE_FINDERS), and the process says so once.
"""

from __future__ import annotations

import logging
import os

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class _AtomicCompressor(Compressor):
    def write_data(self, path, data, suffix, stat_result):
        filename = path + suffix
        partial = filename + ".partial"
        with open(partial, "wb") as f:
            f.write(data)
        os.utime(partial, (stat_result.st_atime, stat_result.st_mtime))
        os.replace(partial, filename)
        return filename


class PortalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage: tolerant of a vendor's missing reference, compressing each hashed
    file once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._missing_named: set[tuple[str, str]] = set()
        self._plain_named = False

    def url_converter(self, name, hashed_files, template=None):
        converter = super().url_converter(name, hashed_files, template)

        def tolerant(matchobj):
            try:
                return converter(matchobj)
            except ValueError:
                # Django: "The file '…' could not be found with …". Post-processing passes over a file
                # several times: name each reference once.
                missing = (name, matchobj.group("url"))
                if missing not in self._missing_named:
                    self._missing_named.add(missing)
                    # A vendored package's own reference is known and harmless; one of ours is a mistake.
                    level = logging.DEBUG if "/vendor/" in name else logging.WARNING
                    logger.log(
                        level, "%s refers to %s, which is not a static file: left as written", *missing
                    )
                return matchobj.group("matched")

        return tolerant

    def stored_name(self, name):
        if not self.hashed_files:
            # No manifest: nothing was collected into STATIC_ROOT (a bare scripts/serve_web.py, the
            # benches). Pages keep plain names, which WhiteNoise then serves from the app folders
            # (WHITENOISE_USE_FINDERS), rather than failing on every {% static %}.
            if not self._plain_named:
                self._plain_named = True
                logger.warning(
                    "No static files collected in %s: plain names, no long caching (run manage.py "
                    "collectstatic, as make run and the image do)",
                    self.location,
                )
            return name
        return super().stored_name(name)

    def post_process(self, *args, **kwargs):
        self._missing_named = set()
        yield from super().post_process(*args, **kwargs)

    def create_compressor(self, **kwargs):
        return _AtomicCompressor(**kwargs)

    def compress_files(self, paths):
        hashed = set(self.hashed_files.values())
        brotli = self.create_compressor(quiet=True).use_brotli
        todo = [
            path
            for path in paths
            if path in hashed
            and not (self.exists(path + ".gz") and (not brotli or self.exists(path + ".br")))
        ]
        yield from super().compress_files(todo)
