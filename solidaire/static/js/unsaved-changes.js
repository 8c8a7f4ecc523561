// Warn before leaving a page whose form holds changes not yet sent. A form opts in with
// data-unsaved-warning; submitting any form of the page (save or an action) lifts the
// warning, since what was typed travels with it.
(function () {
  "use strict";
  var dirty = false;

  function watched(target) {
    return target && target.form && target.form.hasAttribute("data-unsaved-warning");
  }

  document.addEventListener("input", function (event) {
    if (watched(event.target)) dirty = true;
  });
  document.addEventListener("change", function (event) {
    if (watched(event.target)) dirty = true;
  });
  document.addEventListener("submit", function () {
    dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    // Older browsers show a prompt only when returnValue is set.
    event.returnValue = "";
  });
})();
