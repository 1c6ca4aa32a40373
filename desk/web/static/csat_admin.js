// Admin page of satisfaction surveys: pick a scope (the desk or a team),
// edit its settings and save them (PUT /api/v1/csat/settings); a team's
// row can be deleted so the desk's default applies again.
(function () {
  "use strict";
  var HL = window.HL;
  var form = document.querySelector('[data-hl="csat-form"]');
  if (!HL || !form) return;
  var data = JSON.parse(document.getElementById("hl-page").textContent || "{}");
  var status = document.querySelector('[data-hl="admin-status"]');
  var scope = form.elements.scope;
  var langs = form.querySelectorAll("textarea[data-lang]");

  function saved(id) {
    if (id === "") return data.default;
    var teams = data.teams || [];
    for (var i = 0; i < teams.length; i++) if (teams[i].scope === id) return teams[i];
    return data.default; // a team without a row follows the desk's
  }
  function fill() {
    var s = saved(scope.value) || {};
    form.elements.enabled.checked = !!s.enabled;
    form.elements.threshold.value = s.threshold || 0;
    form.elements.notify.checked = !!s.notify;
    form.elements.reopen.checked = !!s.reopen;
    form.elements.flag.checked = !!s.flag;
    langs.forEach(function (t) { t.value = (s.wording || {})[t.getAttribute("data-lang")] || ""; });
    form.querySelector('[data-hl="csat-reset"]').disabled = scope.value === "";
  }
  scope.addEventListener("change", fill);
  fill();

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var wording = {};
    langs.forEach(function (t) { if (t.value.trim()) wording[t.getAttribute("data-lang")] = t.value.trim(); });
    HL.api("PUT", "/api/v1/csat/settings", {
      scope: scope.value, enabled: form.elements.enabled.checked, threshold: parseInt(form.elements.threshold.value, 10) || 0,
      notify: form.elements.notify.checked, reopen: form.elements.reopen.checked, flag: form.elements.flag.checked, wording: wording
    }).then(function (res) {
      status.textContent = res.ok ? HL.t("js.csat_saved") : HL.errorText(res);
      if (res.ok) location.reload();
    });
  });
  form.querySelector('[data-hl="csat-reset"]').addEventListener("click", function () {
    if (!scope.value) return;
    HL.api("DELETE", "/api/v1/csat/settings/" + encodeURIComponent(scope.value)).then(function (res) {
      status.textContent = res.ok ? HL.t("js.csat_saved") : HL.errorText(res);
      if (res.ok) location.reload();
    });
  });
})();
