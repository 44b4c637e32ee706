"""PDF forms (reportlab)."""
