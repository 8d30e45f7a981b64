"""The evidence pack as a PDF, printed by WeasyPrint from the pack's own HTML. Nothing is
fetched while printing: the stylesheet comes as text and every address is refused, so the
pack can never reach the network or a file on the server."""

from __future__ import annotations

import re

from reporting.domain.words import N_

# The page number at the foot of each page, in the language of the request that prints it.
PAGE_NUMBER = N_("Page %(page)s of %(pages)s")
# An A4 page, numbered, with the charts and tables kept whole where they fit.
PAGE_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm;
        @bottom-right { content: @PAGE_NUMBER@;
                        font-size: 9pt; color: #505a5f; } }
body { font-size: 10.5pt; }
h2 { break-after: avoid; margin-top: 1.4em; }
figure, table, dl { break-inside: avoid; }
.chart-body { display: block; }
.chart-table { margin-top: 0.5em; }
.visually-hidden { display: none; }  /* the chart's visible title names its table here */
"""


def page_number_css() -> str:
    """PAGE_NUMBER as a CSS `content` value: its words quoted, its numbers counters
    ('"Page " counter(page) " of " counter(pages)' in English)."""
    parts = []
    for piece in re.split(r"(%\(pages?\)s)", str(PAGE_NUMBER)):
        if piece in ("%(page)s", "%(pages)s"):
            parts.append(f"counter({piece[2:-2]})")
        elif piece:
            parts.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return " ".join(parts)


def print_pdf(html: str, stylesheet: str) -> bytes:
    """The PDF of a pack page's HTML, styled by `stylesheet` and the page rules above.

    WeasyPrint is loaded here, not with the app: it needs Pango from the system, and the
    rest of Belong runs without it (raises OSError if Pango is missing)."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    refuse = URLFetcher(allowed_protocols=())
    return HTML(string=html, url_fetcher=refuse).write_pdf(
        stylesheets=[CSS(string=stylesheet, url_fetcher=refuse),
                     CSS(string=PAGE_CSS.replace("@PAGE_NUMBER@", page_number_css()),
                         url_fetcher=refuse)],
        pdf_variant="pdf/ua-1")  # tagged, with its language and title, for screen readers
