"""A file server on 127.0.0.1 for the download tests (no internet needed).

``with LoopbackServer() as server:`` serves ``server.files`` (URL path ->
bytes) on a free port, counts the GETs of each path, and can misbehave on
purpose: ``server.truncate`` (path -> bytes actually sent, after announcing
the full length) and ``server.silent`` (paths it never answers).
"""
import hashlib
import http.server
import threading
import time
from collections import Counter


def hash_named(stem: str, data: bytes) -> str:
    """An OpenMMLab-style file name for ``data``: ``<stem>-<sha256[:8]>``."""
    return f'{stem}-{hashlib.sha256(data).hexdigest()[:8]}.pth'


class LoopbackServer:

    def __init__(self):
        self.files, self.truncate = {}, {}
        self.silent = set()
        self.gets = Counter()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):

            def do_GET(self):
                server.gets[self.path] += 1
                if self.path in server.silent:
                    time.sleep(5)  # longer than the tests' timeout
                    return
                data = server.files.get(self.path)
                if data is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                self.wfile.write(server.truncate.get(self.path, data))

            def log_message(self, *args):
                pass

        self._httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0),
                                                      Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        daemon=True)

    def url(self, path: str) -> str:
        return f'http://127.0.0.1:{self.port}/{path.lstrip("/")}'

    def add(self, name: str, data: bytes) -> str:
        """Serve ``data`` as ``/name``; returns its URL."""
        self.files[f'/{name}'] = data
        return self.url(name)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        self._httpd.shutdown()
        self._httpd.server_close()
