/* Starts Redoc on /api/redoc. Redoc injects <style> elements while it runs; the strict CSP lets
   them in only with this page's nonce, which the browser exposes as this script's `nonce`.
   Native scrollbars: the perfect-scrollbar stylesheet the bundle adds as it loads, before any
   nonce is known, is blocked. */
(function () {
  "use strict";
  var container = document.getElementById("redoc-container");
  var nonce = document.currentScript.nonce;
  window.Redoc.init(container.dataset.specUrl, { nonce: nonce, nativeScrollbars: true }, container);
})();
