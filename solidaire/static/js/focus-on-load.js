// Moves the focus to the first [data-focus-on-load] element (a confirmation or an error
// summary, made focusable with tabindex="-1"), so that it is what the screen shows and what
// a screen reader reads after a form is sent.
(function () {
  "use strict";
  function focusTarget() {
    var target = document.querySelector("[data-focus-on-load]");
    if (!target) return;
    target.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusTarget);
  } else {
    focusTarget();
  }
})();
