"""The review report: an HTML page a translator opens in a browser (``report.html``)."""
