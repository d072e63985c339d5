"""Offline demo feed (The Daily Relay): feed.xml and pages/<slug>.html, served for https://demo.newswire.invalid/."""
