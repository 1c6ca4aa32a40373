// The ticket page's "log a call" form (phone channel): a call made on a
// phone the desk is not connected to, recorded on the timeline.
(function () {
  "use strict";
  var form = document.querySelector('[data-hl="call-log-form"]');
  if (!form) return;
  var status = form.querySelector('[data-hl="call-log-status"]');
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = form.elements;
    var body = {
      number: f.number.value.trim(), direction: f.direction.value, reached: f.reached.checked,
      duration_seconds: Math.max(0, Math.round(Number(f.minutes.value || 0) * 60)),
      notes: f.notes.value.trim(), disposition: f.disposition.value.trim()
    };
    status.textContent = HL.t("js.sending");
    HL.api("POST", "/api/v1/tickets/" + encodeURIComponent(form.getAttribute("data-ticket-id")) + "/calls", body).then(function (res) {
      if (!res.ok) { status.textContent = HL.t("js.failed", { reason: HL.errorText(res) }); return; }
      // The call is an entry of the timeline the server draws.
      location.reload();
    });
  });
})();
