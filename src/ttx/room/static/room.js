// The room's pages: live updates (server-sent events, polling as the fallback), the move
// clock, answers with a live sum, and resending what the laptop did not confirm.
// Served from the package; no library, no CDN. Every piece of HTML comes from the server,
// already escaped by its templates.
(function () {
  "use strict";
  var page = document.body.getAttribute("data-page");
  var base = page === "team" ? "/team" : "/projector";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute("content") : "";
  var clock = { running: false, elapsed: 0, minutes: null, at: Date.now() };
  var version = -1;
  var polling = null;
  var PENDING = "ttx-room-pending";

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  function setLink(ok) {
    var link = $("#link");
    if (!link) return;
    link.textContent = ok ? "Live" : "Reconnecting…";
    link.className = ok ? "link" : "link off";
  }

  function two(n) { return (n < 10 ? "0" : "") + n; }
  function drawClock() {
    var el = $("#clock");
    if (!el) return;
    if (clock.minutes === null || clock.minutes === undefined) { el.textContent = ""; return; }
    var seconds = clock.elapsed + (clock.running ? (Date.now() - clock.at) / 1000 : 0);
    var s = Math.max(0, Math.floor(seconds));
    var text = "Move clock " + Math.floor(s / 60) + ":" + two(s % 60) + " of " + clock.minutes + " min";
    el.textContent = text + (clock.running ? "" : " (paused)");
  }

  function dirty(form) { return form && form.getAttribute("data-dirty") === "1"; }

  function apply(view) {
    if (!view || view.version === version) return;
    version = view.version;
    if (view.clock) { clock = view.clock; clock.at = Date.now(); }
    drawClock();
    ["content", "injects"].forEach(function (name) {
      var el = $("#" + name);
      if (el && view[name] !== undefined) el.innerHTML = view[name] || "";
    });
    if (page !== "team") return;
    var holder = $("#decisions");
    var keep = {};
    (view.decisions || []).forEach(function (d) {
      keep[d.id] = true;
      var section = $('section.decision[data-id="' + CSS.escape(d.id) + '"]', holder);
      if (!section) {
        section = document.createElement("section");
        section.className = "decision";
        section.setAttribute("data-id", d.id);
        holder.appendChild(section);
      }
      var form = $("form", section);
      if (section.getAttribute("data-key") !== d.key && !dirty(form)) {
        section.innerHTML = d.html;
        section.setAttribute("data-key", d.key);
        wire(section);
      }
    });
    $all("section.decision", holder).forEach(function (s) {
      if (!keep[s.getAttribute("data-id")]) s.parentNode.removeChild(s);
    });
    var feedback = $("#feedback");
    if (feedback && !dirty($("form", feedback))) {
      if (!view.feedback) { feedback.innerHTML = ""; }
      else if (!$("form", feedback)) { feedback.innerHTML = view.feedback; wire(feedback); }
    }
  }

  function refresh() {
    return fetch(base + "/view", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (v) { setLink(true); apply(v); resend(); })
      .catch(function () { setLink(false); });
  }

  function startPolling() { if (!polling) polling = setInterval(refresh, 3000); }
  function stopPolling() { if (polling) { clearInterval(polling); polling = null; } }

  function listen() {
    if (!window.EventSource) { startPolling(); return; }
    var source = new EventSource(base + "/events");
    source.onmessage = function () { stopPolling(); setLink(true); refresh(); };
    source.onerror = function () { setLink(false); startPolling(); };
  }

  // -- answers -------------------------------------------------------------------------
  function newId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  function pending() {
    try { return JSON.parse(localStorage.getItem(PENDING) || "{}"); } catch (e) { return {}; }
  }
  function keepPending(all) { try { localStorage.setItem(PENDING, JSON.stringify(all)); } catch (e) { /* private mode */ } }

  function say(form, text, error) {
    var status = $(".status", form);
    if (status) { status.textContent = text; status.className = error ? "status error" : "status"; }
  }

  function formFor(key) {
    if (key === "feedback") return $("#feedback form");
    return $('form.answer[data-decision="' + CSS.escape(key) + '"]');
  }

  function send(key, item) {
    var url = item.kind === "feedback" ? "/team/feedback" : "/team/answer";
    return fetch(url, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(item.payload)
    }).then(function (r) {
      return r.json().catch(function () { return { ok: false, message: "no answer" }; }).then(function (body) {
        var form = formFor(key);
        if (r.status === 503 || r.status === 429) { // not saved yet: keep it and try again
          if (form) say(form, "Not saved yet — the laptop did not confirm. Trying again…", true);
          return;
        }
        var all = pending(); delete all[key]; keepPending(all);
        if (form) {
          form.setAttribute("data-dirty", "0");
          say(form, body.ok ? "Saved on the facilitator's laptop." : "Not saved: " + body.message, !body.ok);
        }
        if (body.ok) { version = -1; refresh(); }
      });
    }).catch(function () {
      setLink(false);
      var form = formFor(key);
      if (form) say(form, "The laptop cannot be reached; your answer is kept here and will be sent again.", true);
    });
  }

  var resending = false;
  function resend() {
    if (resending) return;
    var all = pending();
    var keys = Object.keys(all);
    if (!keys.length) return;
    resending = true;
    Promise.all(keys.map(function (k) { return send(k, all[k]); })).then(function () { resending = false; });
  }

  function sum(form) {
    var total = 0;
    $all('input[name="points"]', form).forEach(function (i) { total += parseInt(i.value, 10) || 0; });
    var out = $("output", form);
    if (out) {
      out.textContent = String(total);
      var budget = parseInt(form.getAttribute("data-budget"), 10);
      out.parentNode.className = total > budget ? "sum over" : "sum";
    }
    return total;
  }

  function answerPayload(form) {
    var payload = { decision_id: form.getAttribute("data-decision"), rationale: "", submission: newId() };
    var rationale = $('textarea[name="rationale"]', form);
    payload.rationale = rationale ? rationale.value : "";
    if (form.getAttribute("data-kind") === "allocation") {
      payload.allocation = {};
      $all('input[name="points"]', form).forEach(function (i) {
        payload.allocation[i.getAttribute("data-option")] = parseInt(i.value, 10) || 0;
      });
      return payload;
    }
    var chosen = $('input[name="option"]:checked', form);
    if (!chosen) return null;
    if (chosen.value === "") payload.free_text = ($('textarea[name="free_text"]', form) || {}).value || "";
    else payload.option_id = chosen.value;
    return payload;
  }

  function feedbackPayload(form) {
    var ratings = {};
    $all('input[type="radio"]:checked', form).forEach(function (i) {
      ratings[i.getAttribute("data-statement")] = parseInt(i.value, 10);
    });
    return {
      ratings: ratings, submission: newId(),
      strengths: $('textarea[name="strengths"]', form).value,
      improvements: $('textarea[name="improvements"]', form).value
    };
  }

  function wire(root) {
    $all("form", root).forEach(function (form) {
      form.addEventListener("input", function () { form.setAttribute("data-dirty", "1"); sum(form); });
      if (form.getAttribute("data-kind") === "allocation") sum(form);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var feedback = form.classList.contains("feedback");
        var payload = feedback ? feedbackPayload(form) : answerPayload(form);
        if (!payload) { say(form, "Choose an option first.", true); return; }
        var key = feedback ? "feedback" : payload.decision_id;
        var all = pending();
        all[key] = { kind: feedback ? "feedback" : "answer", payload: payload };
        keepPending(all);
        say(form, "Sending…", false);
        send(key, all[key]);
      });
    });
  }

  var initial = $("#initial-view");
  if (initial) { try { var v = JSON.parse(initial.textContent); version = v.version; if (v.clock) { clock = v.clock; clock.at = Date.now(); } } catch (e) { /* ignore */ } }
  wire(document);
  drawClock();
  setInterval(drawClock, 1000);
  listen();
  resend();
  setInterval(resend, 5000);
})();
