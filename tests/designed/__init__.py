"""Designed test documents made by a real office suite (LibreOffice), for the PDF reader."""
