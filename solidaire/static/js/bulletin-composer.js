// Bulletin composer: the "Monter" / "Descendre" forms are swapped in place by htmx
// (data-composer-move). Without JavaScript they post and reload the page at the item.
// After a swap, keyboard focus returns to the same button and the move is announced.
(function () {
  "use strict";
  var lastId = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-composer-move")) return;
    var button = form.querySelector("button[id]");
    lastId = button ? button.id : null;
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!lastId) return;
    var button = document.getElementById(lastId);
    if (button) button.focus();
    var live = document.getElementById("annonce-composeur");
    if (live) live.textContent = "Initiative déplacée.";
    lastId = null;
  });
})();
