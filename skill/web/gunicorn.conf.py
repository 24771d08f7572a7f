"""The production server's settings: ``gunicorn -c skill/web/gunicorn.conf.py 'skill.web.app:create_app()'``.

Threads, not sync workers: a sync worker serves one connection at a time, so four clients that send
half a header and wait held four sync workers and every real request with them. The gthread worker waits
for idle connections in one poller, and skill.web.gunicorn_worker bounds every read, so a slow or stalled
client holds one thread for at most a few seconds; 2 x 64 threads stay far above what real traffic needs.
Alexa gives up after 8 s, so a request that takes longer is cut at ``timeout``.
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8080")
worker_class = "skill.web.gunicorn_worker.BoundedThreadWorker"
workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "64"))
worker_connections = 1000  # open connections per worker, idle ones included; more wait in the backlog
keepalive = 5  # seconds an idle kept-alive connection stays open
timeout = 30  # a worker silent this long is restarted
graceful_timeout = 10
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
control_socket_disable = True
