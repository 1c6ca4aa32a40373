// Verification policy page: saves the policy and uploads facts imports
// through the REST API, showing its answers (bad lines included).
(function () {
  "use strict";
  var HL = window.HL;
  var root = document.querySelector('[data-hl="verification-admin"]');
  if (!HL || !root) return;
  var q = function (hl) { return root.querySelector('[data-hl="' + hl + '"]'); };
  var status = q("admin-status");
  function say(text, isError) {
    status.textContent = text || "";
    status.classList.toggle("error", !!isError);
  }

  q("policy-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var policy = {};
    Array.prototype.forEach.call(root.querySelectorAll('[data-hl="policy-level"]'), function (s) {
      policy[s.getAttribute("data-fact")] = parseInt(s.value, 10);
    });
    HL.api("PUT", "/api/v1/verification/policy", { policy: policy }).then(function (res) {
      if (!res.ok) { say(HL.errorText(res), true); return; }
      // The page shows who saved it and when, as the server has it.
      location.reload();
    });
  });

  var imp = q("facts-import");
  if (!imp) return;
  imp.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var file = q("facts-import-file").files[0];
    var out = q("facts-import-result");
    out.textContent = "";
    if (!file) return;
    var csv = /\.csv$/i.test(file.name);
    file.text().then(function (text) {
      return fetch("/api/v1/facts/import?format=" + (csv ? "csv" : "json"), {
        method: "POST", credentials: "same-origin", body: text,
        headers: { "Content-Type": csv ? "text/csv" : "application/json", "X-CSRF-Token": HL.csrf, "Accept": "application/json" },
      });
    }).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, status: r.status, data: data }; });
    }).then(function (res) {
      if (!res.ok) { say(HL.errorText(res), true); return; }
      var s = res.data;
      say(HL.t("facts.import_result", { created: s.created, updated: s.updated, unchanged: s.unchanged, bad: s.bad.length }));
      s.bad.forEach(function (b) {
        out.appendChild(HL.el("li", null, HL.t("facts.import_bad", { line: b.line, no: b.customer_no || "", error: b.error })));
      });
    }, function (err) { say(String(err), true); });
  });
})();
