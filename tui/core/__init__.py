"""The domain: feeds, articles, extraction. Never imports textual or rich."""
