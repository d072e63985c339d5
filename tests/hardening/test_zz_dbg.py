import sys, subprocess, json
from tests.hardening.test_hostile_feeds import *  # noqa
def test_dbg(tmp_path):
    home = tmp_path
    with FaultServer() as server:
        cases = hostile_feeds(server, home / "marker.txt"); healthy = healthy_feeds(server)
        with Store(home / "newswire.db") as store:
            for c in cases: store.add_feed(server.url(c.path))
            for u in healthy: store.add_feed(u)
        out = subprocess.run([sys.executable, "/tmp/exp/child_dbg.py", str(home / "newswire.db")], cwd=ROOT, capture_output=True, text=True)
        print(out.stdout[-3000:], out.stderr[-2000:])
        assert 0
