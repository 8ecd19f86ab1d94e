"""axe-core in the portal's pages: inject the vendored axe.min.js and collect what it reports.

The strict CSP forbids inline scripts, and Playwright's add_script_tag(path=...) inserts the file as an
inline <script>; page.evaluate is not subject to the page's CSP, so the library's source is evaluated
there instead. tests/browser/vendor/README.md says which version this is and how to refresh it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

AXE_PATH = Path(__file__).parent / "vendor" / "axe.min.js"
# Impacts that fail a page. axe also reports "minor" findings, which are advice rather than defects.
BLOCKING_IMPACTS = ("critical", "serious", "moderate")


@cache
def axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


def axe_violations(page, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> list[dict]:
    """Run axe on the page as it is now; return the violations of the given impacts."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    violations = page.evaluate(
        """async () => {
            const result = await window.axe.run(document, { resultTypes: ["violations"] });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
            }));
        }"""
    )
    return [v for v in violations if v["impact"] in impacts]


def assert_accessible(page, label: str = "") -> None:
    """Fail with a readable list when axe finds a critical, serious or moderate violation."""
    found = axe_violations(page)
    where = label or page.url
    assert not found, f"axe on {where}:\n" + "\n".join(
        f"  [{v['impact']}] {v['id']}: {v['help']} -> {v['targets']}" for v in found
    )


def problems_on(page, pages: dict[str, str], *, may_redirect: tuple[str, ...] = ()) -> list[str]:
    """Open each page (name → path) and list axe's violations there; each must answer 200 on its own path,
    not a login redirect, unless its name is in `may_redirect` (the activation page moves on by itself)."""
    found = []
    for name, path in pages.items():
        response = page.goto(path)
        assert response is not None and response.status == 200, (name, path, response and response.status)
        assert urlsplit(page.url).path == urlsplit(path).path or name in may_redirect, (name, page.url)
        for violation in axe_violations(page):
            found.append(f"{name} ({path}): [{violation['impact']}] {violation['id']} {violation['targets']}")
    return found
