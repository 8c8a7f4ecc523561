/*
 * Commune autocomplete: the ARIA 1.2 combobox pattern (list autocomplete) over
 * /api/v1/communes/. Wired by [data-commune-autocomplete]; without JavaScript the
 * input stays a plain text field that the server resolves.
 *
 * The attribute sits on a wrapper holding the input, or on the input itself.
 * Single: the chosen INSEE code goes in a hidden "<name>__insee" input.
 * Multiple ([data-multiple]): chosen communes become removable tags, each with a
 * hidden "<name>" input holding its INSEE code; the text input is "<name>__search".
 * [data-submit-on-select]: picking a suggestion submits the form;
 * [data-commune-autocomplete-navigate="/communes/{insee}/"]: it opens that page.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 150;
  var LIMIT = 8;
  var uid = 0;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    if (text) node.textContent = text;
    return node;
  }

  function label(commune) {
    var code = commune.postal_codes && commune.postal_codes.length ? commune.postal_codes[0] : "";
    return code ? commune.name + " (" + code + ")" : commune.name;
  }

  function plural(count, one, many) {
    return count + " " + (count > 1 ? many : one);
  }

  function setup(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    var input = root.matches("input")
      ? root
      : root.querySelector('input[type="text"], input[type="search"]');
    if (!input) return;
    if (input === root) {
      // Wired on the input itself: its parent holds the list and the live region.
      root = input.parentElement;
      root.classList.add("commune-autocomplete");
      root.dataset.apiUrl = input.dataset.apiUrl || "/api/v1/communes/";
      if (input.hasAttribute("data-commune-autocomplete-navigate")) {
        root.dataset.navigate = input.dataset.communeAutocompleteNavigate || "/communes/{insee}/";
      }
    }
    var multiple = root.hasAttribute("data-multiple");
    var fieldName = root.dataset.name || input.name;
    var base = input.id || "commune-autocomplete-" + ++uid;
    var listbox = el("ul", {
      id: base + "-listbox",
      role: "listbox",
      class: "commune-autocomplete__list",
      "aria-label": "Communes proposées",
    });
    listbox.hidden = true;
    var status = el("div", { class: "fr-sr-only", role: "status", "aria-live": "polite" });
    input.insertAdjacentElement("afterend", listbox);
    root.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    var hidden = null;
    if (!multiple) {
      hidden = el("input", { type: "hidden", name: input.name + "__insee" });
      // The commune the server resolved: kept until the text is changed.
      hidden.value = root.dataset.insee || "";
      if (input.name) root.appendChild(hidden);
    }
    var chosenList = root.querySelector("[data-commune-chosen]");
    var results = [];
    var active = -1;
    var timer = null;
    var sequence = 0;

    function announce(message) {
      // Clear first so that the same message is read again.
      status.textContent = "";
      window.setTimeout(function () {
        status.textContent = message;
      }, 50);
    }

    function isOpen() {
      return !listbox.hidden;
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = listbox.querySelectorAll('[role="option"]');
      active = index;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render() {
      listbox.textContent = "";
      results.forEach(function (commune, i) {
        var option = el("li", {
          id: base + "-option-" + i,
          role: "option",
          class: "commune-autocomplete__option",
          "aria-selected": "false",
          "data-insee": commune.insee_code,
        });
        option.appendChild(document.createTextNode(commune.name));
        option.appendChild(
          el(
            "span",
            { class: "commune-autocomplete__detail" },
            commune.postal_codes.join(", ") + " · département " + commune.department_code
          )
        );
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the input
        });
        option.addEventListener("click", function () {
          choose(i);
        });
        listbox.appendChild(option);
      });
      if (results.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }

    function search() {
      var query = input.value.trim();
      if (query.length < 2) {
        results = [];
        render();
        return;
      }
      var mine = ++sequence;
      var url = root.dataset.apiUrl + "?q=" + encodeURIComponent(query) + "&limit=" + LIMIT;
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (mine !== sequence) return; // an older answer arriving late
          results = data.results || [];
          render();
          announce(
            results.length
              ? plural(results.length, "commune proposée", "communes proposées") +
                  ". Utilisez les flèches haut et bas pour choisir, Entrée pour valider."
              : "Aucune commune ne correspond."
          );
        })
        .catch(function () {
          /* Offline or rate-limited: the field still works as plain text. */
        });
    }

    function addTag(commune) {
      if (!chosenList) return;
      if (chosenList.querySelector('input[value="' + commune.insee_code + '"]')) return;
      chosenList.appendChild(tag(commune.insee_code, label(commune)));
    }

    function tag(code, text) {
      var item = el("li");
      var button = el(
        "button",
        { type: "button", class: "fr-tag fr-tag--sm fr-tag--dismiss", "aria-label": "Retirer " + text },
        text
      );
      button.addEventListener("click", function () {
        item.remove();
        announce(text + " retirée.");
        input.focus();
      });
      item.appendChild(button);
      item.appendChild(el("input", { type: "hidden", name: fieldName, value: code }));
      return item;
    }

    function choose(index) {
      var commune = results[index];
      if (!commune) return;
      close();
      if (multiple) {
        addTag(commune);
        input.value = "";
        announce(label(commune) + " ajoutée.");
      } else {
        input.value = label(commune);
        hidden.value = commune.insee_code;
        announce(label(commune) + " sélectionnée.");
        if (root.dataset.navigate) {
          window.location.assign(root.dataset.navigate.replace("{insee}", commune.insee_code));
        } else if (root.hasAttribute("data-submit-on-select") && input.form) {
          input.form.requestSubmit ? input.form.requestSubmit() : input.form.submit();
        }
      }
      root.dispatchEvent(new CustomEvent("commune:selected", { bubbles: true, detail: commune }));
    }

    // Server-rendered choices (checkboxes without JavaScript) become removable tags.
    if (chosenList) {
      chosenList.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
        var text = (root.querySelector('label[for="' + box.id + '"]') || {}).textContent || box.value;
        var item = box.closest("li");
        if (box.checked) item.replaceWith(tag(box.value, text.trim()));
        else item.remove();
      });
    }

    input.addEventListener("input", function () {
      if (hidden) hidden.value = "";
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (event) {
      var count = results.length;
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (!count) return;
          if (!isOpen()) render();
          highlight(active + 1 >= count ? 0 : active + 1);
          break;
        case "ArrowUp":
          event.preventDefault();
          if (!count) return;
          if (!isOpen()) render();
          highlight(active - 1 < 0 ? count - 1 : active - 1);
          break;
        case "Enter":
          if (isOpen() && active >= 0) {
            event.preventDefault();
            choose(active);
          } else if (multiple && input.value.trim()) {
            // Without a highlighted suggestion, Enter in the tag input must not submit.
            event.preventDefault();
            if (count) choose(0);
          }
          break;
        case "Escape":
          if (isOpen()) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            if (hidden) hidden.value = "";
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  function setupAll(scope) {
    (scope || document).querySelectorAll("[data-commune-autocomplete]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      setupAll();
    });
  } else {
    setupAll();
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    setupAll(event.target);
  });
})();
