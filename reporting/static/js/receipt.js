// "Copy it" for the receipt: only shown when JavaScript and the clipboard are available.
(function () {
  "use strict";
  var button = document.getElementById("copy-receipt");
  var receipt = document.getElementById("receipt-code");
  var status = document.getElementById("copy-status");
  if (!button || !receipt || !navigator.clipboard) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(receipt.textContent.trim()).then(function () {
      status.textContent = status.getAttribute("data-copied") || "Copied. Paste it somewhere private.";
    }, function () {
      status.textContent = status.getAttribute("data-failed") ||
        "Could not copy: please write it down or save it as a file.";
    });
  });
}());
