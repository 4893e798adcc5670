"""The demo site's subscriber account. The password is a public demo secret: it unlocks only the synthetic
articles of the local demo server and is printed by ``gazette-tui demo-server``."""

from __future__ import annotations

import re

DEMO_EMAIL = "abonne@demo.gazette-tui.test"
"""Login of the demo subscriber account."""
DEMO_PASSWORD = "gazette-demo-2026"
"""Password of the demo subscriber account."""
SESSION_COOKIE = "gazette_demo_session"
"""Name of the session cookie set on a successful login."""

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
"""What the login form accepts as an email; anything else gets the "email non reconnu" message."""
