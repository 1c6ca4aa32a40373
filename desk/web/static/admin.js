// Admin screens: canned replies (supervisors) and website chat sites
// (admins), both thin forms over the REST API. Values from the server are
// shown with textContent only.
(function () {
  "use strict";
  var HL = window.HL;
  if (!HL) return;
  var statusEl = document.querySelector('[data-hl="admin-status"]');
  function say(text, isError) { HL.say(statusEl, text, isError); }
  function failed(res) { HL.sayFailed(statusEl, res); }

  // ---- canned replies ----------------------------------------------------------
  var cannedForm = document.querySelector('[data-hl="canned-form"]');
  if (cannedForm) {
    var rowsEl = document.querySelector('[data-hl="canned-rows"]');
    var teams = HL.page.teams || {};
    var loadCanned = function () {
      HL.api("GET", "/api/v1/canned-replies").then(function (res) {
        if (!res.ok) { failed(res); return; }
        var list = (res.data && res.data.canned_replies) || [];
        rowsEl.replaceChildren();
        if (!list.length) {
          var tr = HL.el("tr");
          tr.appendChild(HL.el("td", { colspan: "4", "class": "muted" }, HL.t("js.none")));
          rowsEl.appendChild(tr);
        }
        list.forEach(function (c) {
          var tr = HL.el("tr", { "data-hl": "canned-row", "data-id": c.id });
          tr.appendChild(HL.el("td", null, c.team_id ? (teams[c.team_id] || c.team_id) : HL.t("js.global")));
          tr.appendChild(HL.el("td", null, c.title));
          var td = HL.el("td");
          td.appendChild(HL.el("div", { "class": "body" }, c.text));
          if (c.article_id) td.appendChild(HL.el("a", { href: "/kb/articles/" + encodeURIComponent(c.article_id), "class": "muted", "data-hl": "canned-article-link" }, HL.t("kbdesk.js.canned_article", { id: c.article_id })));
          tr.appendChild(td);
          var act = HL.el("td");
          var edit = HL.el("button", { type: "button", "data-hl": "canned-edit" }, HL.t("js.edit"));
          edit.addEventListener("click", function () {
            var f = cannedForm.elements;
            f.id.value = c.id; f.team_id.value = c.team_id || ""; f.title.value = c.title; f.text.value = c.text; f.article_id.value = c.article_id || "";
            cannedForm.querySelector('[data-hl="canned-save"]').textContent = HL.t("js.canned_save");
            f.title.focus();
          });
          act.appendChild(edit);
          var del = HL.el("button", { type: "button", "data-hl": "canned-delete" }, HL.t("js.delete"));
          del.addEventListener("click", function () {
            if (!window.confirm(HL.t("js.confirm_delete", { name: c.title }))) return;
            HL.api("DELETE", "/api/v1/canned-replies/" + encodeURIComponent(c.id)).then(function (r) {
              if (!r.ok) { failed(r); return; }
              say(HL.t("js.saved"));
              loadCanned();
            });
          });
          act.appendChild(del);
          tr.appendChild(act);
          rowsEl.appendChild(tr);
        });
      });
    };
    cannedForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var f = cannedForm.elements;
      var body = { team_id: f.team_id.value, title: f.title.value, text: f.text.value, article_id: f.article_id.value.trim() };
      var req = f.id.value ? HL.api("PUT", "/api/v1/canned-replies/" + encodeURIComponent(f.id.value), body) : HL.api("POST", "/api/v1/canned-replies", body);
      req.then(function (res) {
        if (!res.ok) { failed(res); return; }
        cannedForm.reset();
        say(HL.t("js.saved"));
        loadCanned();
      });
    });
    cannedForm.addEventListener("reset", function () {
      cannedForm.elements.id.value = "";
      cannedForm.querySelector('[data-hl="canned-save"]').textContent = HL.t("js.canned_add");
    });
    loadCanned();
  }

  // ---- sites ---------------------------------------------------------------------
  var siteForm = document.querySelector('[data-hl="site-form"]');
  if (siteForm) {
    var list = document.querySelector('[data-hl="site-list"]');
    var origin = list.getAttribute("data-origin") || location.origin;
    var f = siteForm.elements;
    var fill = function (s) {
      f.id.value = s ? s.id : "";
      f.name.value = s ? s.name : "";
      f.origins.value = s ? (s.origins || []).join("\n") : "";
      f.greeting.value = s ? s.greeting : "";
      f.hours_note.value = s ? s.hours_note : "";
      f.name.focus();
    };
    var fact = function (dl, label, value, code) {
      dl.appendChild(HL.el("dt", null, label));
      var dd = HL.el("dd");
      dd.appendChild(HL.el(code ? "code" : "span", null, value));
      dl.appendChild(dd);
    };
    var loadSites = function () {
      HL.api("GET", "/api/v1/sites").then(function (res) {
        if (!res.ok) { failed(res); return; }
        var sites = (res.data && res.data.sites) || [];
        list.replaceChildren();
        if (!sites.length) list.appendChild(HL.el("p", { "class": "muted" }, HL.t("js.none")));
        sites.forEach(function (s) {
          var box = HL.el("section", { "class": "panel", "data-hl": "site", "data-id": s.id });
          box.appendChild(HL.el("h2", null, s.name));
          var dl = HL.el("dl");
          fact(dl, HL.t("js.key"), s.key, true);
          // The secret stays hidden until an admin asks; each reveal is audited.
          dl.appendChild(HL.el("dt", null, HL.t("js.secret")));
          var secretDD = HL.el("dd", { "data-hl": "site-secret" });
          var show = HL.el("button", { type: "button", "data-hl": "site-secret-show" }, HL.t("js.secret_show"));
          show.addEventListener("click", function () {
            HL.api("POST", "/api/v1/sites/" + encodeURIComponent(s.id) + "/secret").then(function (r) {
              if (!r.ok) { failed(r); return; }
              secretDD.replaceChildren(HL.el("code", { "data-hl": "site-secret-value" }, r.data.secret));
            });
          });
          secretDD.appendChild(HL.el("span", { "class": "muted" }, "••••••••"));
          secretDD.appendChild(document.createTextNode(" "));
          secretDD.appendChild(show);
          dl.appendChild(secretDD);
          if (s.previous_until) fact(dl, HL.t("js.secret_previous"), HL.absTime(s.previous_until));
          fact(dl, HL.t("js.origins"), (s.origins || []).join(", ") || HL.t("js.none"));
          var snippet = '<script src="' + origin + '/widget.js" data-site="' + s.key + '" async></script>';
          fact(dl, HL.t("js.embed"), snippet, true);
          box.appendChild(dl);
          var row = HL.el("div", { "class": "row" });
          var edit = HL.el("button", { type: "button", "data-hl": "site-edit" }, HL.t("js.edit"));
          edit.addEventListener("click", function () { fill(s); });
          var rotate = HL.el("button", { type: "button", "data-hl": "site-rotate" }, HL.t("js.rotate"));
          var grace = HL.el("select", { "data-hl": "site-grace", "aria-label": HL.t("js.grace") });
          [[0, "js.grace_none"], [1, "js.grace_1h"], [24, "js.grace_24h"], [168, "js.grace_7d"]].forEach(function (g) {
            var o = HL.el("option", { value: String(g[0]) }, HL.t(g[1]));
            if (g[0] === 24) o.selected = true;
            grace.appendChild(o);
          });
          rotate.addEventListener("click", function () {
            var hours = parseInt(grace.value, 10);
            if (!window.confirm(HL.t(hours ? "js.confirm_rotate_grace" : "js.confirm_rotate", { name: s.name }))) return;
            HL.api("PATCH", "/api/v1/sites/" + encodeURIComponent(s.id), { rotate_secret: true, grace_hours: hours }).then(function (r) {
              if (!r.ok) { failed(r); return; }
              say(HL.t("js.saved"));
              loadSites();
            });
          });
          // The preview page chats as a customer on the desk's own origin.
          var preview = HL.el("a", { href: "/webchat/try?site=" + encodeURIComponent(s.key), target: "_blank", rel: "noopener", "data-hl": "site-preview" }, HL.t("js.preview"));
          row.appendChild(edit);
          row.appendChild(rotate);
          row.appendChild(grace);
          row.appendChild(preview);
          box.appendChild(row);
          list.appendChild(box);
        });
      });
    };
    siteForm.addEventListener("reset", function () { setTimeout(function () { fill(null); }, 0); });
    siteForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = {
        name: f.name.value,
        origins: f.origins.value.split(/[\s,]+/).filter(Boolean),
        greeting: f.greeting.value,
        hours_note: f.hours_note.value,
      };
      var editing = f.id.value;
      var req = editing
        ? HL.api("PATCH", "/api/v1/sites/" + encodeURIComponent(editing), body)
        : HL.api("POST", "/api/v1/sites", body);
      req.then(function (res) {
        if (!res.ok) { failed(res); return; }
        say(HL.t("js.saved"));
        fill(null);
        loadSites();
      });
    });
    loadSites();
  }
})();
