"""Annotated archive of Chinese local-government speeches: corpus/ → docs/ → site/."""
