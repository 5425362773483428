// Founders' pages: small enhancements on top of pages that work without JavaScript.
(function () {
  "use strict";

  // After htmx moves to another questionnaire step, put keyboard and screen-reader focus on
  // the new step's heading (or on the error summary htmx already focused), as a page load would.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "assess") {
      return;
    }
    var current = document.getElementById("assess");
    if (current && current.querySelector("[autofocus]")) {
      return;
    }
    var heading = document.getElementById("step-title");
    if (heading) {
      heading.focus({ preventScroll: true });
      window.scrollTo({ top: 0 });
    }
  });

  // Diagram zoom: buttons step through CSS zoom classes; the canvas scrolls to pan. The
  // buttons only exist for people with JavaScript: show them.
  var ZOOMS = [1, 1.25, 1.5, 2, 3];
  document.querySelectorAll(".diagram-tools[hidden]").forEach(function (tools) {
    tools.hidden = false;
  });

  function setZoom(frame, index) {
    var canvas = frame.querySelector(".diagram-canvas");
    ZOOMS.forEach(function (z) {
      canvas.classList.remove("zoom-" + Math.round(z * 100));
    });
    if (index > 0) {
      canvas.classList.add("zoom-" + Math.round(ZOOMS[index] * 100));
    }
    frame.classList.toggle("is-zoomed", index > 0);
    frame.dataset.zoom = String(index);
    var status = frame.querySelector(".zoom-status");
    if (status) {
      status.textContent = "Zoom " + Math.round(ZOOMS[index] * 100) + " %";
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-zoom-step]");
    if (!button) {
      return;
    }
    var frame = button.closest(".diagram-viewer");
    var index = Number(frame.dataset.zoom || "0");
    var step = button.dataset.zoomStep;
    if (step === "in") {
      index = Math.min(index + 1, ZOOMS.length - 1);
    } else if (step === "out") {
      index = Math.max(index - 1, 0);
    } else {
      index = 0;
    }
    setZoom(frame, index);
  });

  // Drag to pan a zoomed diagram (the keyboard pans with the canvas's own scrolling).
  document.addEventListener("pointerdown", function (event) {
    var canvas = event.target.closest(".diagram-canvas");
    if (!canvas || event.button !== 0) {
      return;
    }
    var startX = event.clientX;
    var startY = event.clientY;
    var left = canvas.scrollLeft;
    var top = canvas.scrollTop;
    function move(e) {
      canvas.scrollLeft = left - (e.clientX - startX);
      canvas.scrollTop = top - (e.clientY - startY);
    }
    function stop() {
      document.removeEventListener("pointermove", move);
      document.removeEventListener("pointerup", stop);
    }
    document.addEventListener("pointermove", move);
    document.addEventListener("pointerup", stop);
  });
})();
