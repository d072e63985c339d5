"""Screens of the Newswire app, one module each."""
