// Ticket page, email tickets: the bot's suggested reply to the customer's
// latest mail. One click puts it into the reply box, where the agent edits
// it before sending; nothing is sent by the bot. When the bot would not
// answer, the panel says why. Texts go in with textContent.
(function () {
  "use strict";
  var HL = window.HL;
  var root = document.querySelector('[data-hl="ticket"]');
  var box = document.querySelector('[data-hl="bot-suggest"]');
  if (!HL || !root || !box) return;
  var id = HL.page.ticket_id;
  var q = function (hl) { return box.querySelector('[data-hl="' + hl + '"]'); };
  var status = q("bot-suggest-status"), text = q("bot-suggest-text"), insert = q("bot-suggest-insert");
  var reply = root.querySelector('[data-hl="reply-input"]');
  var seq = 0, current = "";

  // why words a suggestion without text: the hand-off or refusal reason,
  // a fact waiting for verification, or nothing understood.
  function why(s) {
    if ((s.kind === "handoff" || s.kind === "refuse") && s.reason) return HL.t("botdesk.kind." + s.kind) + " · " + HL.t("botdesk.reason." + s.reason);
    if (s.kind === "verify_request") return HL.t("botdesk.js.suggest_verify");
    return HL.t("botdesk.js.suggest_nothing");
  }

  function load() {
    var n = ++seq;
    HL.api("POST", "/api/v1/tickets/" + encodeURIComponent(id) + "/bot/suggestion").then(function (res) {
      if (n !== seq) return;
      current = "";
      text.hidden = insert.hidden = true;
      if (!res.ok) { status.textContent = HL.t("js.failed", { reason: HL.errorText(res) }); return; }
      var s = res.data;
      box.setAttribute("data-kind", s.kind || "none");
      if (!s.text) { status.textContent = HL.t("botdesk.js.suggest_none", { reason: why(s) }); return; }
      current = s.text;
      status.textContent = HL.t("botdesk.kind." + s.kind);
      text.textContent = s.text;
      text.hidden = insert.hidden = false;
    });
  }

  // The suggestion goes in at the cursor as an edit of the draft (the
  // reply box then makes a new idempotency key).
  insert.addEventListener("click", function () {
    if (!current) return;
    var start = reply.selectionStart || 0, end = reply.selectionEnd || 0;
    var before = reply.value.slice(0, start), add = current;
    if (before && !/\s$/.test(before)) add = "\n" + add;
    reply.value = before + add + reply.value.slice(end);
    reply.focus();
    reply.setSelectionRange(start + add.length, start + add.length);
    reply.dispatchEvent(new Event("input", { bubbles: true }));
    status.textContent = HL.t("botdesk.js.suggest_inserted");
  });

  load();
  // A new customer mail brings a new suggestion.
  HL.on("event", function (ev) {
    if (ev && ev.ticket_id === id && ev.type === "message.created") setTimeout(load, 300);
  });
})();
