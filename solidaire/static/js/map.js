/* The map page: Leaflet, commune (or département) outlines shaded by count, points
   elsewhere, a side panel.
   Wired by [data-map] and its data- attributes; [data-map-commune] links open the panel. */
(function () {
  "use strict";

  var COLOURS = ["#f6f6f6", "#cacafb", "#8585f6", "#000091"];

  function colour(count) {
    if (!count) return COLOURS[0];
    if (count === 1) return COLOURS[1];
    if (count < 5) return COLOURS[2];
    return COLOURS[3];
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
  }

  function init(element) {
    var panel = document.getElementById("carte-panneau");
    var panelBase = element.dataset.mapPanel;
    var panelQuery = element.dataset.mapPanelQuery;
    var map = L.map(element, { zoomSnap: 0.25 }).setView([50.5, 2.3], 8);
    if (element.dataset.mapTiles) {
      L.tileLayer(element.dataset.mapTiles, {
        attribution: element.dataset.mapAttribution || "",
        maxZoom: 18,
      }).addTo(map);
    }

    function openPanel(insee) {
      var url = panelBase.replace("00000", encodeURIComponent(insee));
      if (panelQuery) url += "?" + panelQuery;
      fetch(url, { headers: { "HX-Request": "true" } })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          panel.innerHTML = html;
          var title = panel.querySelector("[data-map-panel-title]");
          if (title) title.focus();
        });
    }

    document.querySelectorAll("[data-map-commune]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        openPanel(link.dataset.mapCommune);
        panel.scrollIntoView({ block: "nearest" });
      });
    });

    var level = element.dataset.mapLevel || "communes";
    var counts = null;
    var departmentsLayer = null;
    var communesLayer = null;
    // The paragraph is hidden, not the button: DSFR's .fr-btn display overrides [hidden].
    var back = document.querySelector("[data-map-back]");

    function plural(count) {
      return count + " initiative" + (count > 1 ? "s" : "");
    }

    // One choropleth layer: communes (key "insee_code") or départements (key "code").
    function areaLayer(outlines, kind, options) {
      function countOf(feature) {
        return counts[kind.counts][feature.properties[kind.key]] || 0;
      }
      return L.geoJSON(outlines, {
        filter: options.filter,
        style: function (feature) {
          return {
            color: "#666",
            weight: kind.weight,
            fillColor: colour(countOf(feature)),
            fillOpacity: 0.8,
            className: kind.className + " " + kind.className + "-" + feature.properties[kind.key],
          };
        },
        onEachFeature: function (feature, path) {
          path.bindTooltip(feature.properties.name + "\u00a0: " + plural(countOf(feature)));
          path.on("click", function () { options.open(feature.properties[kind.key]); });
        },
      });
    }

    var COMMUNES = { counts: "communes", key: "insee_code", weight: 0.5, className: "map-commune" };
    var DEPARTMENTS = { counts: "departments", key: "code", weight: 0.8, className: "map-department" };

    function communeLayer(outlines) {
      return areaLayer(outlines, COMMUNES, { open: openPanel });
    }

    // A wider instance starts on its départements; one of them opens onto its communes.
    // Its communes' counts come apart from the first view's, one département at a time.
    function withCommunesOf(code) {
      var url = element.dataset.mapCounts;
      url += (url.indexOf("?") === -1 ? "?" : "&") + "communes_de=" + encodeURIComponent(code);
      return url;
    }

    function showDepartment(code) {
      var url = element.dataset.mapCommunes.replace("communes-00", "communes-" + code);
      element.dataset.mapReady = "false";
      Promise.all([getJSON(url), getJSON(withCommunesOf(code))]).then(function (results) {
        var outlines = results[0];
        counts.communes = results[1].communes;
        if (communesLayer) map.removeLayer(communesLayer);
        communesLayer = communeLayer(outlines).addTo(map);
        if (departmentsLayer) departmentsLayer.setStyle({ fillOpacity: 0.15 });
        map.fitBounds(communesLayer.getBounds());
        element.dataset.mapDepartment = code;
        element.dataset.mapReady = "true";
        if (back) back.hidden = false;
      });
    }

    function showDepartments() {
      if (communesLayer) map.removeLayer(communesLayer);
      communesLayer = null;
      departmentsLayer.setStyle({ fillOpacity: 0.8 });
      delete element.dataset.mapDepartment;
      fitDepartments();
      if (back) back.hidden = true;
    }

    function fitDepartments() {
      // Metropolitan France first: the DROM stay drawn, a pan or a click away.
      var bounds = L.latLngBounds([]);
      departmentsLayer.eachLayer(function (path) {
        if (path.feature.properties.code.indexOf("97") !== 0) bounds.extend(path.getBounds());
      });
      map.fitBounds(bounds.isValid() ? bounds : departmentsLayer.getBounds());
    }

    function departmentLayer(outlines) {
      var wanted = (element.dataset.mapDepartments || "").split(",");
      return areaLayer(outlines, DEPARTMENTS, {
        filter: function (feature) { return wanted.indexOf(feature.properties.code) !== -1; },
        open: showDepartment,
      });
    }

    if (back) back.querySelector("button").addEventListener("click", showDepartments);
    document.querySelectorAll("[data-map-department]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (!departmentsLayer) return;
        event.preventDefault();
        showDepartment(link.dataset.mapDepartment);
        element.scrollIntoView({ block: "nearest" });
      });
    });

    Promise.all([
      getJSON(element.dataset.mapCounts),
      getJSON(element.dataset.mapGeojson),
      getJSON(element.dataset.mapPlaces),
    ])
      .then(function (results) {
        counts = results[0];
        var outlines = results[1];
        var places = results[2];
        if (level === "departements") {
          departmentsLayer = departmentLayer(outlines).addTo(map);
          fitDepartments();
        } else {
          communesLayer = communeLayer(outlines).addTo(map);
          map.fitBounds(communesLayer.getBounds());
        }
        // {kind: {code: count}}, drawn where the places document puts each code.
        Object.keys(counts.points).forEach(function (kind) {
          Object.keys(counts.points[kind]).forEach(function (code) {
            var place = (places[kind] || {})[code];
            var count = counts.points[kind][code];
            if (!place) return;
            var marker = L.circleMarker([place[0], place[1]], {
              radius: 6 + Math.min(count, 10),
              color: "#000091",
              fillColor: kind === "commune" ? "#6a6af4" : "#e1000f",
              fillOpacity: 0.8,
              className: "map-point map-point-" + kind + "-" + code,
            }).addTo(map);
            var link = document.createElement("a");
            link.href = place[3];
            link.textContent = place[2] + "\u00a0: " + plural(count);
            marker.bindPopup(link);
          });
        });
        element.dataset.mapReady = "true";
      })
      .catch(function () {
        element.insertAdjacentHTML(
          "afterend",
          '<p class="fr-error-text">La carte n\u2019a pas pu être chargée\u00a0: la liste ci-dessous reste disponible.</p>'
        );
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-map]").forEach(init);
  });
})();
