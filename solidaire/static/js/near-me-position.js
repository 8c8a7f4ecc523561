/*
 * "Utiliser ma position" on the near-me page: [data-near-me-position] wraps the button,
 * hidden (fr-hidden) until this script finds the browser's geolocation. The coordinates go
 * to the same page as GET parameters (lat, lon, distance); the server picks the nearest
 * commune.
 */
(function () {
  "use strict";

  var MESSAGES = {
    1: "Vous avez refusé de partager votre position. Indiquez votre commune ou son code postal.",
    2: "Votre position n’a pas pu être déterminée. Indiquez votre commune ou son code postal.",
    3: "La recherche de votre position a pris trop de temps. Réessayez ou indiquez votre commune.",
  };

  function init(wrapper) {
    if (!("geolocation" in navigator)) return;
    var button = wrapper.querySelector("button");
    var form = wrapper.closest("form");
    var message = document.getElementById("position-message");
    if (!button || !form) return;
    wrapper.classList.remove("fr-hidden");

    function say(text, isError) {
      if (!message) return;
      message.textContent = text;
      message.classList.toggle("fr-error-text", Boolean(isError));
    }

    button.addEventListener("click", function () {
      button.disabled = true;
      say("Recherche de votre position…", false);
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var params = new URLSearchParams();
          params.set("lat", position.coords.latitude.toFixed(5));
          params.set("lon", position.coords.longitude.toFixed(5));
          var distance = form.elements.namedItem("distance");
          if (distance && distance.value) params.set("distance", distance.value);
          window.location.assign(form.getAttribute("action") + "?" + params.toString());
        },
        function (error) {
          button.disabled = false;
          say(MESSAGES[error.code] || MESSAGES[2], true);
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
      );
    });
  }

  document.querySelectorAll("[data-near-me-position]").forEach(init);
})();
