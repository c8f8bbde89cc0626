"""Publish: Markdown pages, indexes, downloads, the search index and the site render."""
