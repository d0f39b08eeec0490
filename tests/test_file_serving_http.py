"""Uploaded files through a real WSGI server (home/file_views.py): the bytes, a byte range and HEAD
as a browser gets them.

Apart from tests/test_file_serving.py because this test commits (a live server needs committed
data), and that module shares its content sections between tests in a transaction.
"""

import pytest

from tests.factories import ResultIndexPageFactory
from tests.file_support import PDF_BYTES, delete_files, make_document, result_with_document
from tests.publishing_support import publish


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_files_over_http(live_server, home):
    """Through a real WSGI server: the bytes, a byte range and HEAD as a browser gets them."""
    import http.client
    from urllib.parse import urlsplit

    publish(home)
    results = ResultIndexPageFactory(publish=True)
    document = make_document("Rapport över HTTP")
    hidden = make_document("Dold över HTTP")
    try:
        result_with_document(results, "Resultat över HTTP", document, mention="rapporten")

        def fetch(path, method="GET", **headers):
            address = urlsplit(live_server.url)
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
            try:
                connection.request(method, path, headers=headers)
                response = connection.getresponse()
                return response.status, dict(response.getheaders()), response.read()
            finally:
                connection.close()

        code, headers, content = fetch(document.url)
        assert (code, content) == (200, PDF_BYTES)
        assert headers["Cache-Control"] == "public, no-cache"
        assert fetch(document.url, Range="bytes=0-3")[::2] == (206, b"%PDF")
        code, headers, content = fetch(document.url, method="HEAD")
        assert (code, content, headers["Content-Length"]) == (200, b"", str(len(PDF_BYTES)))
        code, _, content = fetch(hidden.url)
        assert code == 404 and "Sidan finns inte" in content.decode()
    finally:
        delete_files(document, hidden)
