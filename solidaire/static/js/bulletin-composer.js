// Bulletin composer: the "Monter" / "Descendre" buttons (data-composer-move) post the whole
// composer form through htmx, which swaps the list in place. Without JavaScript they submit
// the form to their formaction and reload the page at the item. After a swap, keyboard focus
// returns to the same button and the move is announced. A refused move (invalid input, or
// someone else saved meanwhile) is sent again as a plain submit, so that the full page with
// its messages and the editor's input replaces this one.
(function () {
  "use strict";
  var lastId = null;

  function moveButton(elt) {
    return elt && elt.hasAttribute && elt.hasAttribute("data-composer-move") ? elt : null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var button = moveButton(event.detail.elt);
    lastId = button ? button.id : null;
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var button = moveButton(event.detail.elt);
    if (!button || event.detail.xhr.status < 400) return;
    event.detail.shouldSwap = false;
    lastId = null;
    button.form.requestSubmit(button);
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
