// Admin page of the official channels: rows of kind, value and label,
// saved together (PUT /api/v1/official-channels replaces the list).
(function () {
  "use strict";
  var HL = window.HL;
  var form = document.querySelector('[data-hl="official-form"]');
  if (!HL || !form) return;
  var rows = form.querySelector('[data-hl="official-rows"]');
  var status = document.querySelector('[data-hl="admin-status"]');
  var template = rows.lastElementChild.cloneNode(true);

  form.querySelector('[data-hl="official-add"]').addEventListener("click", function () {
    var r = template.cloneNode(true);
    rows.appendChild(r);
    r.querySelector('[data-hl="official-kind"]').focus();
  });
  rows.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest('[data-hl="official-remove"]');
    if (b) b.closest("tr").remove();
  });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var list = [];
    rows.querySelectorAll('[data-hl="official-row"]').forEach(function (tr) {
      var kind = tr.querySelector('[data-hl="official-kind"]').value;
      var value = tr.querySelector('[data-hl="official-value"]').value.trim();
      var label = tr.querySelector('[data-hl="official-label"]').value.trim();
      if (kind || value || label) list.push({ kind: kind, value: value, label: label });
    });
    HL.api("PUT", "/api/v1/official-channels", { channels: list }).then(function (res) {
      status.textContent = res.ok ? HL.t("pii.js.official_saved") : HL.errorText(res);
    });
  });
})();
