// Ticket page: the complaint section (complaint_box in
// ticket_complaint.html). The server renders it; this script loads it,
// re-reads it on every event of the ticket and once a minute (so the time
// left stays the server's), and sends the forms to the API.
(function () {
  "use strict";
  var HL = window.HL;
  var root = document.querySelector('[data-hl="ticket"]');
  if (!HL || !root || !document.querySelector('[data-hl="complaint"]')) return;
  var id = HL.page.ticket_id;
  var api = "/api/v1/tickets/" + encodeURIComponent(id);
  var url = "/tickets/" + encodeURIComponent(id) + "/complaint";

  function slot() { return document.querySelector('[data-hl="complaint"]'); }
  function say(text) {
    var s = slot() && slot().querySelector('[data-hl="complaint-status-line"]');
    if (s) { s.textContent = text || ""; s.classList.toggle("error", !!text); }
  }
  function refresh() { return HL.fragment(url, ["complaint"]); }
  var refreshSoon = HL.debounce(refresh, 300);

  function send(method, path, body) {
    say("");
    return HL.api(method, path, body).then(function (res) {
      if (!res.ok) { say(HL.errorText(res)); return res; }
      return refresh().then(function () { return res; });
    });
  }

  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button[data-hl]");
    if (!b || !slot() || !slot().contains(b)) return;
    switch (b.getAttribute("data-hl")) {
      case "complaint-confirm":
        var d = slot().querySelector('[data-hl="complaint-file"]');
        if (d) {
          d.open = true;
          var first = d.querySelector("select, input, textarea");
          if (first) first.focus();
        }
        break;
      case "complaint-dismiss":
        send("POST", api + "/complaint-suspicion/dismiss");
        break;
      case "complaint-accept":
        send("POST", api + "/complaint/accept");
        break;
    }
  });

  document.addEventListener("change", function (e) {
    var s = e.target;
    if (s.getAttribute && s.getAttribute("data-hl") === "complaint-severity-select") {
      send("PATCH", api + "/complaint", { severity: s.value });
    }
  });

  document.addEventListener("submit", function (e) {
    var f = e.target;
    var hl = f.getAttribute && f.getAttribute("data-hl");
    if (hl !== "complaint-form" && hl !== "complaint-withdraw-form") return;
    e.preventDefault();
    if (hl === "complaint-withdraw-form") {
      send("DELETE", api + "/complaint", { reason: f.elements.reason.value });
      return;
    }
    var body = { source: f.elements.source.value, severity: f.elements.severity.value,
      summary: f.elements.summary.value, wants: f.elements.wants.value };
    if (body.source === "regulator") {
      body.regulator_ref = f.elements.regulator_ref.value;
      var due = f.elements.regulator_due.value;
      if (due) {
        var t = HL.fromZoneInput(due);
        if (t && !isNaN(t)) body.regulator_due = t.toISOString();
      }
    }
    send("POST", api + "/complaint", body);
  });

  HL.on("event", function (ev) { if (ev && ev.ticket_id === id) refreshSoon(); });
  HL.on("reset", refreshSoon);
  setInterval(refresh, 60000);
  refresh();
})();
