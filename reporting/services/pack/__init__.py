"""The yearly evidence pack (figures.py builds it, pdf.py prints it)."""
