"""The portal's icon: linked from every page, and the browser's own /favicon.ico request finds it."""

from django.contrib.staticfiles import finders


def test_favicon_ico_redirects_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("/portal_ui/favicon.svg")
    assert finders.find("portal_ui/favicon.svg")


def test_pages_link_the_icon(client):
    body = client.get("/login/").content.decode()
    assert '<link rel="icon" href="/static/portal_ui/favicon.svg" type="image/svg+xml">' in body


def test_favicon_ico_takes_no_writes(client):
    assert client.post("/favicon.ico").status_code == 405
