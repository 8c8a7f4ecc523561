// Audience measurement with Matomo in the configuration the CNIL exempts from consent
// (see the privacy page): no cookie, no user ID, no cross-site linking, no e-commerce nor
// heatmap, the page's address without its query string, the referrer's site only. Nothing
// at all when the browser asks not to be tracked. Wired by the data- attributes of its own
// <script> tag (base.html), which the server leaves out of staff pages.
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-matomo-url]");
  if (!script) return;
  var base = script.getAttribute("data-matomo-url");
  var site = script.getAttribute("data-matomo-site");
  if (!base || !site) return;
  if (navigator.doNotTrack === "1" || window.doNotTrack === "1" || navigator.globalPrivacyControl) {
    return;
  }
  var queue = (window._paq = window._paq || []);
  queue.push(["disableCookies"]);
  queue.push(["disableBrowserFeatureDetection"]);
  queue.push(["setDoNotTrack", true]);
  queue.push(["setCustomUrl", window.location.origin + window.location.pathname]);
  if (document.referrer) {
    try {
      queue.push(["setReferrerUrl", new URL(document.referrer).origin + "/"]);
    } catch (error) {
      queue.push(["setReferrerUrl", ""]);
    }
  }
  queue.push(["setTrackerUrl", base + "matomo.php"]);
  queue.push(["setSiteId", site]);
  queue.push(["trackPageView"]);
  var tracker = document.createElement("script");
  tracker.async = true;
  tracker.src = base + "matomo.js";
  document.head.appendChild(tracker);
})();
