// Supervisor overview: the team table is re-read from the server (its own
// escaped fragment) when anything happens on the desk, debounced so a
// burst of events costs one read.
(function () {
  "use strict";
  var HL = window.HL;
  var root = document.querySelector('[data-hl="supervisor"]');
  if (!HL || !root) return;
  var refresh = HL.debounce(function () {
    HL.fragment("/supervisor?fragment=teams", ["supervisor-teams"], root).then(function () { HL.refreshTimes(root); });
  }, 1000);
  HL.on("event", refresh);
  HL.on("reset", refresh);
  // Presence changes are not desk events; look again each minute.
  setInterval(refresh, 60000);
})();
