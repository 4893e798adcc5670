"""An embedded demo news site: synthetic French local-government news, feeds, a login and subscriber-only
articles, served on 127.0.0.1 by the standard library. Used by ``gazette-tui --demo``, ``gazette-tui
demo-server`` and the tests."""

from gazette_tui.demo.server import DEMO_EMAIL, DEMO_PASSWORD, DemoServer, feed_list, run_standalone

__all__ = ["DEMO_EMAIL", "DEMO_PASSWORD", "DemoServer", "feed_list", "run_standalone"]
