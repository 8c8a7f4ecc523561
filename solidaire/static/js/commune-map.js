/*
 * A commune's outline on a small Leaflet map ([data-commune-map]). Works with no tile
 * server: the other communes of the département are drawn faintly for context; a tile
 * layer is added only when the instance configures MAP_TILE_URL.
 */
(function () {
  "use strict";

  function draw(node) {
    if (node.dataset.ready || typeof L === "undefined") return;
    node.dataset.ready = "1";
    var insee = node.dataset.insee;
    var center = [parseFloat(node.dataset.latitude), parseFloat(node.dataset.longitude)];
    var map = L.map(node, { scrollWheelZoom: false, attributionControl: !!node.dataset.tileUrl });
    map.setView(center, 12);
    if (node.dataset.tileUrl) {
      L.tileLayer(node.dataset.tileUrl, {
        attribution: node.dataset.tileAttribution || "",
        maxZoom: 18,
      }).addTo(map);
    }
    fetch(node.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) return;
        var others = { type: "FeatureCollection", features: [] };
        var own = null;
        data.features.forEach(function (feature) {
          if (feature.properties.insee_code === insee) own = feature;
          else others.features.push(feature);
        });
        L.geoJSON(others, {
          interactive: false,
          style: { color: "#929292", weight: 0.5, fillColor: "#e5e5e5", fillOpacity: 0.4 },
        }).addTo(map);
        if (own) {
          var layer = L.geoJSON(own, {
            interactive: false,
            style: { color: "#000091", weight: 3, fillColor: "#6a6af4", fillOpacity: 0.25 },
          }).addTo(map);
          map.fitBounds(layer.getBounds(), { padding: [16, 16] });
        } else {
          // A commune without an outline of its own (restored after 2018): its point.
          L.circleMarker(center, {
            interactive: false,
            radius: 8,
            color: "#000091",
            fillColor: "#6a6af4",
            fillOpacity: 0.6,
            className: "commune-map__point",
          }).addTo(map);
        }
        node.dataset.drawn = "true";
      })
      .catch(function () {
        /* The identity block stays readable without the map. */
      });
  }

  function drawAll() {
    document.querySelectorAll("[data-commune-map]").forEach(draw);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();
