"""The skill as a self-hosted HTTPS endpoint (Flask + flask-ask-sdk), for operators who do not use Lambda.

``skill.web.app.create_app`` builds the app; ``python -m skill serve`` runs it.
Importing this package installs ``oscrypto_fix`` (see there) so flask-ask-sdk imports on OpenSSL 3.0.10+.
"""
