// The admins' upload of call-detail records (phone channel): the file
// goes as it is, the summary comes back with the bad rows' line numbers.
(function () {
  "use strict";
  var HL = window.HL;
  var form = document.querySelector('[data-hl="phone-import-form"]');
  if (!HL || !form) return;
  var status = form.querySelector('[data-hl="phone-import-status"]');
  var result = document.querySelector('[data-hl="phone-import-result"]');
  var bad = result.querySelector('[data-hl="phone-import-bad"]');
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = form.elements, file = f.file.files[0];
    if (!file) return;
    var path = "/api/v1/phone/imports?line=" + encodeURIComponent(f.line.value) + "&format=" + encodeURIComponent(f.format.value);
    status.textContent = HL.t("js.sending");
    HL.api("POST", path, file, { "Content-Type": "text/csv" }).then(function (res) {
      if (!res.ok) { status.textContent = HL.t("js.failed", { reason: HL.errorText(res) }); return; }
      status.textContent = "";
      var d = res.data, rows = d.bad || [];
      result.hidden = false;
      result.querySelector('[data-hl="phone-import-summary"]').textContent =
        HL.t("js.phone_import_summary", { added: String(d.imported), unchanged: String(d.unchanged), bad: String(rows.length) });
      var body = bad.querySelector("tbody");
      body.textContent = "";
      rows.forEach(function (r) {
        var tr = HL.el("tr", { "data-hl": "phone-import-bad-row" });
        tr.appendChild(HL.el("td", null, String(r.line)));
        tr.appendChild(HL.el("td", null, r.error));
        body.appendChild(tr);
      });
      bad.hidden = rows.length === 0;
    });
  });
})();
