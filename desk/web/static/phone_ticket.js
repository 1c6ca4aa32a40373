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

// The wrap-up form of a call entry (the agent who had the call, once it
// ended): notes and a disposition onto the call's timeline entry. Entries
// are redrawn live, so the form is found through the timeline.
(function () {
  "use strict";
  var HL = window.HL;
  var root = document.querySelector('[data-hl="ticket"]');
  if (!HL || !root) return;
  root.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.matches || !form.matches('[data-hl="call-wrapup-form"]')) return;
    ev.preventDefault();
    var status = form.querySelector('[data-hl="call-wrapup-status"]');
    var body = { notes: form.elements.notes.value.trim(), disposition: form.elements.disposition.value };
    status.textContent = HL.t("js.sending");
    HL.api("POST", "/api/v1/calls/" + encodeURIComponent(form.getAttribute("data-call-id")) + "/wrap-up", body).then(function (res) {
      if (!res.ok) { status.textContent = HL.t("js.failed", { reason: HL.errorText(res) }); return; }
      status.textContent = HL.t("js.call_wrapup_saved");
      // Drawn again with the notes (the live update skips an entry being
      // written in, which this one was until now).
      var li = form.closest('[data-hl="entry"]');
      if (li && HL.redrawEntry) HL.redrawEntry(li);
    });
  });
  // The ended call's toast opens the ticket at its form (#wrap-<call>).
  function openWrapUp() {
    if (location.hash.indexOf("#wrap-") !== 0) return;
    var box = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!box) return;
    box.open = true;
    box.scrollIntoView({ block: "center" });
    var sel = box.querySelector("select");
    if (sel) sel.focus();
  }
  openWrapUp();
  window.addEventListener("hashchange", openWrapUp);
})();

// Click-to-call beside the contact's numbers: the call platform rings the
// agent's extension, then dials the customer; the call then comes onto the
// timeline as the line's events.
(function () {
  "use strict";
  var HL = window.HL;
  var root = document.querySelector('[data-hl="ticket"]');
  if (!HL || !root) return;
  root.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest('[data-hl="dial"]');
    if (!btn) return;
    var status = btn.parentNode.querySelector('[data-hl="dial-status"]');
    btn.disabled = true;
    status.textContent = HL.t("js.sending");
    HL.api("POST", "/api/v1/tickets/" + encodeURIComponent(HL.page.ticket_id) + "/dial", { identity_id: btn.getAttribute("data-identity-id") }).then(function (res) {
      btn.disabled = false;
      status.textContent = res.ok ? HL.t("js.call_dialing") : HL.t("js.failed", { reason: HL.errorText(res) });
    });
  });
})();
