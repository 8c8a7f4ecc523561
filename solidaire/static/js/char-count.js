// Live character count under the fields marked data-char-limit="N". The limit is also in
// the hint text, and the server refuses a longer value (nothing is cut), so without
// JavaScript nothing is lost. The count is visible; a polite live region speaks only near
// and past the limit, not at every key.
(function () {
  "use strict";
  var NEAR = 0.9;

  function plural(n, word) {
    return n + "\u00a0" + word + (n > 1 ? "s" : "");
  }

  function parts(field) {
    if (field._charCount) return field._charCount;
    var counter = document.createElement("p");
    counter.className = "fr-hint-text fr-mt-1v fr-mb-0";
    counter.setAttribute("data-char-count", "");
    var live = document.createElement("p");
    live.className = "fr-sr-only";
    live.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    counter.insertAdjacentElement("afterend", live);
    field._charCount = { counter: counter, live: live, said: "" };
    return field._charCount;
  }

  function update(field) {
    var limit = parseInt(field.getAttribute("data-char-limit"), 10);
    if (!limit) return;
    var length = field.value.length;
    var p = parts(field);
    p.counter.textContent = length + "\u00a0/ " + limit + "\u00a0caractères";
    var over = length - limit;
    p.counter.classList.toggle("fr-error-text", over > 0);
    var message = "";
    if (over > 0) {
      message = "Limite dépassée de " + plural(over, "caractère") + ".";
    } else if (length >= limit * NEAR) {
      message = "Encore " + plural(limit - length, "caractère") + " possible" +
        (limit - length > 1 ? "s" : "") + ".";
    }
    // Said once per state change, so a screen reader is not flooded at every key.
    var state = over > 0 ? "over" + over : message ? "near" + Math.floor((limit - length) / 10) : "";
    if (state !== p.said) {
      p.said = state;
      p.live.textContent = message;
    }
  }

  function isCounted(target) {
    return target && target.hasAttribute && target.hasAttribute("data-char-limit");
  }

  document.addEventListener("input", function (event) {
    if (isCounted(event.target)) update(event.target);
  });
  document.addEventListener("focusin", function (event) {
    if (isCounted(event.target)) update(event.target);
  });
  document.querySelectorAll("[data-char-limit]").forEach(update);
})();
