// Quality reviews (质检): the queue's plan, run and calibration forms, the
// review screen's scorecard (a live weighted total), comments, answers and
// settlement, and the scorecard editor. Every action is one API call; the
// page reloads from the server afterwards, which holds the truth.
(function () {
  "use strict";
  var HL = window.HL;
  if (!HL) return;
  var status = document.querySelector('[data-hl="qa-status"]');
  function say(res, okKey, args) {
    if (!status) return;
    status.classList.toggle("error", !res.ok);
    status.textContent = res.ok ? HL.t(okKey, args) : HL.errorText(res);
  }
  function q(sel, root) { return (root || document).querySelector(sel); }
  function qa(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function checked(form, name) {
    return qa('input[name="' + name + '"]:checked', form).map(function (i) { return i.value; });
  }
  function reloadOn(res, okKey) {
    say(res, okKey);
    if (res.ok) setTimeout(function () { location.reload(); }, 400);
  }

  // Queue: run a plan now, create a plan, start a calibration.
  qa('[data-hl="qa-run"]').forEach(function (b) {
    b.addEventListener("click", function () {
      b.disabled = true;
      HL.api("POST", "/api/v1/qa/plans/" + encodeURIComponent(b.getAttribute("data-plan-id")) + "/run", {}).then(function (res) {
        b.disabled = false;
        if (!res.ok) return say(res);
        var d = res.data;
        say(res, d.already ? "qa.js.run_already" : "qa.js.run_done", { week: d.run.week, n: d.run.samples });
        if (!d.already && d.run.samples > 0) setTimeout(function () { location.reload(); }, 800);
      });
    });
  });
  var planForm = q('[data-hl="qa-plan-form"]');
  if (planForm) planForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = planForm.elements;
    HL.api("POST", "/api/v1/qa/plans", {
      name: f.name.value.trim(), scorecard_id: f.scorecard_id.value, team_id: f.team_id.value,
      per_agent: parseInt(f.per_agent.value, 10) || 0, rules: checked(planForm, "rules"),
      reviewers: checked(planForm, "reviewers"), active: f.active.checked
    }).then(function (res) { reloadOn(res, "qa.js.saved"); });
  });
  var calForm = q('[data-hl="qa-calibration-form"]');
  if (calForm) calForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = calForm.elements;
    HL.api("POST", "/api/v1/qa/calibrations", {
      ticket_id: f.ticket_id.value.trim(), scorecard_id: f.scorecard_id.value, reviewers: checked(calForm, "reviewers")
    }).then(function (res) {
      say(res, "qa.js.saved");
      if (res.ok) location.assign("/qa/calibrations/" + encodeURIComponent(res.data.calibration.id));
    });
  });

  // Review screen.
  var review = q('[data-hl="qa-review"]');
  if (review) {
    var id = review.getAttribute("data-review-id");
    var base = "/api/v1/qa/reviews/" + encodeURIComponent(id);
    var card = q('[data-hl="qa-card-form"]');
    var weights = HL.page.weights || {};
    var max = HL.page.max || 5;
    var scores = function () {
      return qa('[data-hl="qa-criterion"]', card).map(function (fs) {
        var key = fs.getAttribute("data-key");
        var r = q('input[type="radio"]:checked', fs);
        var note = q('[data-hl="qa-criterion-note"]', fs);
        return { key: key, score: r ? parseInt(r.value, 10) : -1, note: note ? note.value.trim() : "" };
      });
    };
    var total = function () {
      var got = 0, all = 0, done = true;
      scores().forEach(function (s) {
        var w = weights[s.key] || 0;
        if (s.score < 0) done = false;
        got += w * Math.max(s.score, 0);
        all += w * max;
      });
      return done && all ? Math.floor((got * 200 + all) / (2 * all)) : null;
    };
    var editable = !!q('[data-hl="qa-score"]:not([disabled])', card);
    if (editable) card.addEventListener("change", function () {
      var t = total();
      q('[data-hl="qa-total"]', card).textContent = t === null ? "—" : String(t);
    });
    var missing = function () {
      var s = scores();
      if (s.some(function (x) { return x.score < 0; })) {
        status.classList.add("error");
        status.textContent = HL.t("qa.js.score_all");
        return null;
      }
      return s;
    };
    card.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var s = missing();
      if (!s) return;
      var note = q('[data-hl="qa-overall-note"]', card);
      HL.api("POST", base + "/submit", { scores: s, note: note ? note.value.trim() : "" }).then(function (res) { reloadOn(res, "qa.js.submitted"); });
    });
    qa('[data-hl="qa-comment-form"]').forEach(function (f) {
      f.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var text = q('[data-hl="qa-comment-text"]', f).value.trim();
        HL.api("POST", base + "/comments", { message_id: f.getAttribute("data-message-id"), text: text }).then(function (res) { reloadOn(res, "qa.js.saved"); });
      });
    });
    var ack = q('[data-hl="qa-acknowledge"]');
    if (ack) ack.addEventListener("click", function () {
      HL.api("POST", base + "/acknowledge").then(function (res) { reloadOn(res, "qa.js.saved"); });
    });
    var dispute = q('[data-hl="qa-dispute-form"]');
    if (dispute) dispute.addEventListener("submit", function (ev) {
      ev.preventDefault();
      HL.api("POST", base + "/dispute", { reason: q('[data-hl="qa-dispute-reason"]', dispute).value.trim() }).then(function (res) { reloadOn(res, "qa.js.saved"); });
    });
    var settle = q('[data-hl="qa-settle-form"]');
    if (settle) settle.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var outcome = q('[data-hl="qa-settle-outcome"]', settle).value;
      var body = { outcome: outcome, note: q('[data-hl="qa-settle-note"]', settle).value.trim() };
      if (outcome === "amended") {
        body.scores = missing();
        if (!body.scores) return;
      }
      HL.api("POST", base + "/settle", body).then(function (res) { reloadOn(res, "qa.js.saved"); });
    });
  }

  // Scorecard editor: saving writes the card's next version.
  var editor = q('[data-hl="qa-card-editor"]');
  if (editor) {
    var cards = HL.page.cards || [];
    var langs = HL.page.languages || ["zh-CN", "zh-TW", "en"];
    var list = q('[data-hl="qa-card-criteria"]', editor);
    var pick = q('[data-hl="qa-card-pick"]');
    var field = function (label, el) {
      var l = HL.el("label", {}, label);
      l.appendChild(el);
      return l;
    };
    var addRow = function (c) {
      c = c || { key: "", weight: 10, name: {}, description: {} };
      var row = HL.el("fieldset", { "class": "qa-criterion", "data-hl": "qa-card-row" });
      row.appendChild(HL.el("legend", {}, c.key || HL.t("qa.js.new_criterion")));
      row.appendChild(field(HL.t("qa.js.key"), HL.el("input", { type: "text", value: c.key, maxlength: "32", "data-f": "key", required: "" })));
      row.appendChild(field(HL.t("qa.js.weight"), HL.el("input", { type: "number", min: "1", max: "100", value: String(c.weight), "data-f": "weight" })));
      langs.forEach(function (l) {
        row.appendChild(field(HL.t("qa.js.name") + " (" + l + ")", HL.el("input", { type: "text", maxlength: "80", value: (c.name || {})[l] || "", "data-f": "name", "data-lang": l })));
        var ta = HL.el("textarea", { rows: "2", maxlength: "500", "data-f": "description", "data-lang": l });
        ta.value = (c.description || {})[l] || "";
        row.appendChild(field(HL.t("qa.js.description") + " (" + l + ")", ta));
      });
      var rm = HL.el("button", { type: "button", "class": "x" }, HL.t("qa.js.remove"));
      rm.addEventListener("click", function () { row.remove(); });
      row.appendChild(rm);
      list.appendChild(row);
      return row;
    };
    var show = function () {
      var c = cards.filter(function (x) { return x.id === pick.value; })[0];
      list.textContent = "";
      q('[data-hl="qa-card-name"]', editor).value = c ? c.name : "";
      (c ? c.criteria : [null]).forEach(addRow);
    };
    pick.addEventListener("change", show);
    show();
    q('[data-hl="qa-card-add"]', editor).addEventListener("click", function () {
      q("input", addRow()).focus();
    });
    editor.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var criteria = qa('[data-hl="qa-card-row"]', list).map(function (row) {
        var c = { key: q('[data-f="key"]', row).value.trim(), weight: parseInt(q('[data-f="weight"]', row).value, 10) || 0, name: {}, description: {} };
        qa('[data-lang]', row).forEach(function (el) { c[el.getAttribute("data-f")][el.getAttribute("data-lang")] = el.value.trim(); });
        return c;
      });
      var body = { name: q('[data-hl="qa-card-name"]', editor).value.trim(), criteria: criteria };
      var req = pick.value ? HL.api("PUT", "/api/v1/qa/scorecards/" + encodeURIComponent(pick.value), body) : HL.api("POST", "/api/v1/qa/scorecards", body);
      req.then(function (res) { reloadOn(res, "qa.js.saved"); });
    });
  }
})();
