// Routing admin: move and delete rules, save team settings, import
// segments; thin forms over the REST API. The page reloads after a change
// so the server renders the new state.
(function () {
  "use strict";
  var HL = window.HL;
  var root = document.querySelector('[data-hl="routing-admin"]');
  if (!HL || !root) return;
  var statusEl = root.querySelector('[data-hl="admin-status"]');
  function say(text, isError) {
    statusEl.textContent = text || "";
    statusEl.classList.toggle("error", !!isError);
  }
  function done(res) {
    if (!res.ok) { say(HL.t("js.failed", { reason: HL.errorText(res) }), true); return; }
    location.reload();
  }

  var ruleRows = Array.prototype.slice.call(root.querySelectorAll('[data-hl="routing-rule"]'));
  var ids = ruleRows.map(function (r) { return r.getAttribute("data-rule-id"); });
  ruleRows.forEach(function (row, i) {
    var id = ids[i];
    function move(delta) {
      var j = i + delta;
      if (j < 0 || j >= ids.length) return;
      var order = ids.slice();
      order[i] = order[j];
      order[j] = id;
      HL.api("PUT", "/api/v1/routing/rules/order", { ids: order }).then(done);
    }
    row.querySelector('[data-hl="rule-up"]').addEventListener("click", function () { move(-1); });
    row.querySelector('[data-hl="rule-down"]').addEventListener("click", function () { move(1); });
    row.querySelector('[data-hl="rule-delete"]').addEventListener("click", function () {
      HL.api("DELETE", "/api/v1/routing/rules/" + encodeURIComponent(id)).then(done);
    });
  });

  root.querySelectorAll('[data-hl="routing-team"]').forEach(function (row) {
    row.querySelector('[data-hl="team-save"]').addEventListener("click", function () {
      var minutes = parseInt(row.querySelector('[data-hl="team-reassign"]').value, 10) || 0;
      HL.api("PUT", "/api/v1/routing/teams/" + encodeURIComponent(row.getAttribute("data-team-id")), {
        mode: row.querySelector('[data-hl="team-mode"]').value,
        reassign_after_seconds: minutes * 60,
        "default": row.querySelector('[data-hl="team-default"]').checked
      }).then(done);
    });
  });

  var form = root.querySelector('[data-hl="segments-form"]');
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var csv = form.querySelector('[data-hl="segments-csv"]').value;
    // A CSV body, which HL.api (JSON or FormData) does not send.
    fetch("/api/v1/routing/segments", {
      method: "POST", credentials: "same-origin", body: csv,
      headers: { "Content-Type": "text/csv", "Accept": "application/json", "X-CSRF-Token": HL.csrf }
    }).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (data) {
        if (!r.ok) { say(HL.t("js.failed", { reason: (data && data.error && data.error.message) || ("HTTP " + r.status) }), true); return; }
        say(HL.t("js.segments_imported", { added: data.added, received: data.received }));
      });
    }, function (err) { say(HL.t("js.failed", { reason: String(err) }), true); });
  });
})();
