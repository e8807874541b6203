/* her2quiz self-test page and projector. Every piece of bank text is put into the page as
   text nodes (never innerHTML); the bank's **bold** / *italic* arrive as runs
   [text, flags] (1 bold, 2 italic) and become <strong> / <em> elements. */
(function () {
  "use strict";

  performance.mark("h2q-start");
  var DATA = JSON.parse(document.getElementById("h2q-data").textContent);
  var QS = DATA.questions;
  var LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  var KIND_NAMES = { mcq: "Single answer", multi: "Select all", truefalse: "True / false", cloze: "Fill in", basic: "Short answer" };
  var LEVELS = ["easy", "medium", "hard"];
  var $ = function (id) { return document.getElementById(id); };

  // -- building DOM from data ----------------------------------------------------------

  function el(tag, attrs, kids) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === "class") node.className = v;
        else if (k === "text") node.textContent = v;
        else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, v === true ? "" : String(v));
      });
    }
    (kids || []).forEach(function (kid) {
      if (kid === null || kid === undefined) return;
      node.appendChild(typeof kid === "string" ? document.createTextNode(kid) : kid);
    });
    return node;
  }

  function run(text, flags) {
    var node = document.createTextNode(text);
    if (flags & 2) node = el("em", null, [node]);
    if (flags & 1) node = el("strong", null, [node]);
    return node;
  }

  function runs(r) {
    var frag = document.createDocumentFragment();
    if (typeof r === "string") frag.appendChild(document.createTextNode(r));
    else r.forEach(function (x) { frag.appendChild(run(x[0], x[1])); });
    return frag;
  }

  function plain(r) {
    return typeof r === "string" ? r : r.map(function (x) { return x[0]; }).join("");
  }

  // Case, white space and punctuation do not count (as the bank's own quote check).
  function norm(s) {
    return String(s).normalize("NFKC").toLowerCase().replace(/[\p{P}\p{Z}\p{C}\s]/gu, "");
  }

  function shuffled(list) {
    var a = list.slice();
    for (var i = a.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = a[i]; a[i] = a[j]; a[j] = t;
    }
    return a;
  }

  function topicName(key) {
    for (var i = 0; i < DATA.topics.length; i++) if (DATA.topics[i][0] === key) return DATA.topics[i][1];
    return key;
  }

  function meta(q) {
    var bits = [topicName(q.topic), q.label];
    if (q.level) bits.push(q.level);
    bits.push(q.points + (q.points === 1 ? " point" : " points"));
    return bits.join(" · ");
  }

  function labelled(label, body, cls) {
    return el("div", { class: "fb " + cls }, [el("span", { class: "fb-label", text: label }), " ", body]);
  }

  // Each cited source once (in order of first citation), its quotes above its reference.
  function quotes(cites) {
    var frag = document.createDocumentFragment(), seen = {};
    cites.forEach(function (c) {
      var fig = seen[c[0]];
      if (!fig) {
        fig = seen[c[0]] = el("figure", { class: "quote" }, [el("figcaption", null, [el("cite", { text: DATA.sources[c[0]] || c[0] })])]);
        frag.appendChild(fig);
      }
      fig.insertBefore(el("blockquote", null, ["“", runs(c[1]), "”"]), fig.lastChild);
    });
    return frag;
  }

  // The explanation, the context note and the sources: shown after an answer.
  function teaching(q) {
    var frag = document.createDocumentFragment();
    if (q.explain) frag.appendChild(labelled("Explanation:", runs(q.explain), "fb-explain"));
    if (q.context) {
      var note = labelled("Since then:", runs(q.context.text), "fb-context");
      note.appendChild(quotes(q.context.cite));
      frag.appendChild(note);
    }
    var several = q.cite.some(function (c) { return c[0] !== q.cite[0][0]; });
    var src = el("div", { class: "fb fb-source" }, [el("span", { class: "fb-label", text: several ? "Sources:" : "Source:" })]);
    src.appendChild(quotes(q.cite));
    frag.appendChild(src);
    return frag;
  }

  // -- progress kept in the browser, keyed by the bank's hash ---------------------------

  var store = { q: {} };
  function loadStore() {
    try {
      var raw = window.localStorage.getItem(DATA.storage);
      var got = raw ? JSON.parse(raw) : null;
      if (got && got.v === 1 && got.q && typeof got.q === "object") store = got;
    } catch (e) { store = { q: {} }; }
  }
  function saveStore() {
    store.v = 1;
    try { window.localStorage.setItem(DATA.storage, JSON.stringify(store)); } catch (e) { /* private mode: progress is not kept */ }
  }
  function record(q, ok) {
    var r = Object.prototype.hasOwnProperty.call(store.q, q.id) ? store.q[q.id] : [0, 0, 0];
    r[ok ? 0 : 1] += 1;
    r[2] = ok ? 1 : 0;
    store.q[q.id] = r;
    saveStore();
  }
  function seen(q) { return Object.prototype.hasOwnProperty.call(store.q, q.id); }
  function missedNow(q) { return seen(q) && store.q[q.id][2] === 0; }

  // -- self-test -----------------------------------------------------------------------

  var T = {
    pool: [], size: 0, queue: [], done: [], answered: 0, right: 0, points: 0, total: 0,
    missed: [], cur: null, answered_cur: false, order: [], chosen: [], over: false, shown: 0
  };

  function checkboxes(box, name, items) {
    items.forEach(function (it) {
      box.appendChild(el("label", null, [el("input", { type: "checkbox", name: name, value: it[0], checked: true }), " " + it[1]]));
    });
  }

  function setupForm() {
    checkboxes($("f-topic"), "topic", DATA.topics);
    var kinds = [];
    ["mcq", "multi", "truefalse", "cloze", "basic"].forEach(function (k) {
      if (QS.some(function (q) { return q.kind === k; })) kinds.push([k, KIND_NAMES[k]]);
    });
    checkboxes($("f-kind"), "kind", kinds);
    var levels = LEVELS.filter(function (l) { return QS.some(function (q) { return q.level === l; }); }).map(function (l) { return [l, l]; });
    if (QS.some(function (q) { return !q.level; })) levels.push(["", "not given"]);
    checkboxes($("f-level"), "level", levels);
    $("setup-form").addEventListener("change", showMatch);
    $("setup-form").addEventListener("submit", function (e) { e.preventDefault(); startSet(matching(), chosenSize()); $("setup").open = false; });
    $("forget").addEventListener("click", function () {
      store = { q: {} };
      saveStore();
      showProgress();
    });
    $("retry").addEventListener("click", function () { var m = QS.filter(missedNow); startSet(m, m.length); });
    $("end").addEventListener("click", function () { summary(); });
    showMatch();
  }

  function ticked(name) {
    return Array.prototype.map.call(document.querySelectorAll("input[name=" + name + "]:checked"), function (i) { return i.value; });
  }

  function matching() {
    var topics = ticked("topic"), kinds = ticked("kind"), levels = ticked("level");
    var only = $("only-missed").checked;
    return QS.filter(function (q) {
      return topics.indexOf(q.topic) >= 0 && kinds.indexOf(q.kind) >= 0 && levels.indexOf(q.level || "") >= 0 && (!only || missedNow(q));
    });
  }

  function chosenSize() {
    var r = document.querySelector("input[name=size]:checked");
    return r ? parseInt(r.value, 10) : 0;
  }

  function showMatch() {
    var n = matching().length;
    $("match").textContent = "· " + n + (n === 1 ? " question matches" : " questions match");
    $("start").disabled = n === 0;
  }

  function showProgress() {
    var seenN = QS.filter(seen).length, missed = QS.filter(missedNow).length;
    var rightN = seenN - missed;
    $("progress").textContent = "Your progress in this browser: " + seenN + " of " + QS.length +
      " questions answered, " + rightN + " right the last time, " + missed + " to retry.";
    $("retry-n").textContent = String(missed);
    $("retry").disabled = missed === 0;
  }

  // Questions not yet seen come first, then those missed, then the rest.
  function ordered(pool) {
    var rank = function (q) { return !seen(q) ? 0 : missedNow(q) ? 1 : 2; };
    return shuffled(pool).sort(function (a, b) { return rank(a) - rank(b); });
  }

  function startSet(pool, size) {
    T.pool = pool; T.size = size; T.queue = ordered(pool); T.answered = 0; T.right = 0;
    T.points = 0; T.total = 0; T.missed = []; T.over = false;
    if (size > 0) T.queue = T.queue.slice(0, size);
    next();
  }

  function next() {
    if (!T.queue.length) {
      if (T.size > 0 || !T.pool.length) { summary(); return; }
      T.queue = ordered(T.pool);
    }
    showQuestion(T.queue.shift());
  }

  function status() {
    var n = T.answered + (T.answered_cur || !T.cur ? 0 : 1);
    $("counter").textContent = T.over ? "Set finished" : T.size > 0 ? "Question " + Math.max(n, 1) + " of " + T.size : "Question " + Math.max(n, 1);
    $("score").textContent = "Right " + T.right + " of " + T.answered;
    $("end").disabled = T.over;
  }

  function showQuestion(q) {
    T.cur = q; T.answered_cur = false; T.chosen = [];
    var stage = $("stage");
    stage.textContent = "";
    var card = el("article", { class: "card q kind-" + q.kind, "data-qid": q.id, "aria-labelledby": "q-prompt" });
    card.appendChild(el("p", { class: "q-meta", text: meta(q) }));
    if (q.kind === "cloze") card.appendChild(clozePrompt(q));
    else card.appendChild(el("h2", { id: "q-prompt", class: "q-prompt" }, [runs(q.prompt)]));
    if (q.options) card.appendChild(optionList(q));
    else if (q.kind === "basic") card.appendChild(typedAnswer(q));
    var actions = el("div", { class: "q-actions" });
    if (q.kind !== "mcq" && q.kind !== "truefalse") actions.appendChild(el("button", { type: "button", id: "check", class: "primary", text: "Check", onclick: check }));
    actions.appendChild(el("button", { type: "button", id: "skip", text: "Skip", onclick: function () { next(); } }));
    actions.appendChild(el("span", { id: "hint", class: "muted keys-hint", text: hintText(q) }));
    card.appendChild(actions);
    card.appendChild(el("section", { id: "feedback", class: "feedback", role: "status", "aria-live": "polite", "aria-label": "Feedback" }));
    stage.appendChild(card);
    status();
    // After the first question, focus moves into the new one (the Next button is gone).
    var first = card.querySelector("input, textarea, .opt");
    if (T.shown++ && first) first.focus({ preventScroll: true });
  }

  function hintText(q) {
    var n = q.options ? q.options.length : 0;
    if (q.kind === "mcq" || q.kind === "truefalse") return "Click an option, or press A–" + LETTERS[n - 1] + " or 1–" + n + ".";
    if (q.kind === "multi") return "Pick every correct option (A–" + LETTERS[n - 1] + "), then Enter.";
    return "Type, then Enter.";
  }

  function optionList(q) {
    var idx = q.options.map(function (_, i) { return i; });
    T.order = q.shuffle && $("shuffle-opts").checked ? shuffled(idx) : idx;
    var list = el("ol", { class: "opts", role: "group", "aria-label": q.kind === "multi" ? "Options: select all that apply" : "Options: choose one" });
    T.order.forEach(function (oi, pos) {
      var o = q.options[oi];
      var b = el("button", {
        type: "button", class: "opt", "data-option": oi, "aria-pressed": "false",
        onclick: function () { choose(pos); }
      }, [
        el("span", { class: "opt-key", "aria-hidden": "true", text: LETTERS[pos] }),
        el("span", { class: "sr-only", text: "Option " + LETTERS[pos] + ": " }),
        el("span", { class: "opt-text" }, [runs(o[0])]),
        el("span", { class: "opt-mark", "aria-hidden": "true" }),
        el("span", { class: "opt-sr sr-only" })
      ]);
      list.appendChild(el("li", null, [b]));
    });
    return list;
  }

  function clozePrompt(q) {
    var p = el("p", { id: "q-prompt", class: "q-prompt cloze" });
    q.parts.forEach(function (part) {
      if (typeof part === "number") {
        var a = q.answers[part];
        p.appendChild(el("input", {
          type: "text", class: "blank", "data-blank": part, autocomplete: "off", spellcheck: "false",
          "aria-label": "Blank " + (part + 1) + (a[2] ? " (hint: " + a[2] + ")" : ""), placeholder: a[2] || String(part + 1),
          onkeydown: enterChecks
        }));
      } else p.appendChild(run(part[0], part[1]));
    });
    return p;
  }

  function isLong(q) {
    return q.kind === "basic" && q.answers[0][0].trim().split(/\s+/).length > DATA.longWords;
  }

  function typedAnswer(q) {
    var box = isLong(q)
      ? el("textarea", { id: "answer", class: "answer", rows: 3, spellcheck: "false", "aria-labelledby": "q-prompt answer-label", onkeydown: enterChecks })
      : el("input", { id: "answer", class: "answer", type: "text", autocomplete: "off", spellcheck: "false", "aria-labelledby": "q-prompt answer-label", onkeydown: enterChecks });
    return el("div", { class: "typed" }, [el("label", { id: "answer-label", for: "answer", text: "Your answer" }), box]);
  }

  function enterChecks(e) {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      e.stopPropagation();
      if (!T.answered_cur) check();
      else if (!$("judge-right")) next();
    }
  }

  function choose(pos) {
    var q = T.cur;
    if (T.answered_cur || !q.options || pos >= T.order.length) return;
    var oi = T.order[pos];
    if (q.kind === "multi") {
      var at = T.chosen.indexOf(oi);
      if (at >= 0) T.chosen.splice(at, 1); else T.chosen.push(oi);
      var b = document.querySelector(".opt[data-option='" + oi + "']");
      b.setAttribute("aria-pressed", at >= 0 ? "false" : "true");
      return;
    }
    T.chosen = [oi];
    check();
  }

  function check() {
    var q = T.cur;
    if (!q || T.answered_cur) return;
    if (q.options) return finish(checkChoice(q));
    if (q.kind === "cloze") return finish(checkCloze(q));
    var typed = $("answer").value;
    var ok = q.answers[0][1].concat([q.answers[0][0]]).some(function (a) { return norm(a) === norm(typed) && norm(a) !== ""; });
    $("answer").readOnly = true;
    if (ok || !isLong(q)) return finish(ok, answerFeedback(q, typed, ok));
    // A long answer: the learner compares and judges.
    T.answered_cur = true;
    var fb = $("feedback");
    fb.textContent = "";
    fb.appendChild(el("p", { class: "verdict judge", text: "Compare with the expected answer:" }));
    fb.appendChild(answerFeedback(q, typed, null));
    fb.appendChild(teaching(q));
    var actions = document.querySelector(".q-actions");
    actions.textContent = "";
    actions.appendChild(el("button", { type: "button", id: "judge-right", class: "primary", text: "I was right", onclick: function () { judged(true); } }));
    actions.appendChild(el("button", { type: "button", id: "judge-wrong", text: "I was wrong", onclick: function () { judged(false); } }));
    actions.appendChild(el("span", { class: "muted keys-hint", text: "Keys: Y / N." }));
    $("judge-right").focus({ preventScroll: true });
  }

  function judged(ok) {
    var fb = $("feedback");
    var verdict = fb.querySelector(".verdict");
    verdict.textContent = ok ? "✓ You marked it right." : "✗ You marked it wrong.";
    verdict.className = "verdict " + (ok ? "ok" : "bad");
    T.answered_cur = false;
    conclude(ok);
  }

  function checkChoice(q) {
    var ok = true;
    T.order.forEach(function (oi) {
      var o = q.options[oi], picked = T.chosen.indexOf(oi) >= 0;
      var b = document.querySelector(".opt[data-option='" + oi + "']");
      b.setAttribute("aria-disabled", "true");
      if (picked !== !!o[1]) ok = false;
      var mark = "", sr = "";
      if (o[1]) { b.classList.add("right"); mark = "✓"; sr = picked ? " (your answer, correct)" : " (correct)"; }
      else if (picked) { b.classList.add("wrong"); mark = "✗"; sr = " (your answer, wrong)"; }
      if (picked) b.classList.add("picked");
      b.querySelector(".opt-mark").textContent = mark;
      b.querySelector(".opt-sr").textContent = sr;
    });
    var frag = document.createDocumentFragment();
    var rightOnes = T.order.filter(function (oi) { return q.options[oi][1]; });
    var answer = el("p", { class: "fb fb-answer" }, [el("span", { class: "fb-label", text: rightOnes.length > 1 ? "Answers:" : "Answer:" }), " "]);
    rightOnes.forEach(function (oi, i) {
      if (i) answer.appendChild(document.createTextNode("; "));
      answer.appendChild(document.createTextNode(LETTERS[T.order.indexOf(oi)] + ". "));
      answer.appendChild(runs(q.options[oi][0]));
    });
    frag.appendChild(answer);
    T.chosen.forEach(function (oi) {
      var o = q.options[oi];
      if (!o[1] && o[2]) {
        var why = el("div", { class: "fb fb-why" }, [el("span", { class: "fb-label" }, ["Why not “", runs(o[0]), "”:"]), " ", runs(o[2])]);
        frag.appendChild(why);
      }
    });
    if (q.kind === "multi" && !T.chosen.length) frag.appendChild(el("p", { class: "fb", text: "You picked none." }));
    return [ok, frag];
  }

  function blankOk(a, typed) {
    var t = norm(typed);
    return t !== "" && [a[0]].concat(a[1]).some(function (x) { return norm(x) === t; });
  }

  function checkCloze(q) {
    var ok = true;
    var list = el("ol", { class: "fb fb-blanks", "aria-label": "The blanks" });
    Array.prototype.forEach.call(document.querySelectorAll(".blank"), function (input) {
      var a = q.answers[parseInt(input.getAttribute("data-blank"), 10)];
      var good = blankOk(a, input.value);
      if (!good) ok = false;
      input.readOnly = true;
      input.classList.add(good ? "right" : "wrong");
      input.setAttribute("aria-invalid", good ? "false" : "true");
      var li = el("li", null, [el("span", { class: good ? "ok" : "bad", text: good ? "✓ " : "✗ " }), el("strong", { text: a[0] })]);
      if (a[1].length) li.appendChild(document.createTextNode(" (also accepted: " + a[1].join(", ") + ")"));
      if (!good) li.appendChild(document.createTextNode(input.value.trim() ? " — you wrote “" + input.value.trim() + "”" : " — left blank"));
      list.appendChild(li);
    });
    var frag = document.createDocumentFragment();
    frag.appendChild(el("p", { class: "fb fb-answer" }, [el("span", { class: "fb-label", text: "Answers:" })]));
    frag.appendChild(list);
    return [ok, frag];
  }

  function answerFeedback(q, typed, ok) {
    var p = el("div", { class: "fb fb-answer" }, [el("span", { class: "fb-label", text: "Answer:" }), " ", runs(q.answerRuns)]);
    if (q.answers[0][1].length) p.appendChild(document.createTextNode(" (also accepted: " + q.answers[0][1].join(", ") + ")"));
    if (ok !== true) p.appendChild(el("div", { class: "you-wrote", text: typed.trim() ? "You wrote: “" + typed.trim() + "”" : "You left it blank." }));
    return p;
  }

  function finish(result, extra) {
    var ok = Array.isArray(result) ? result[0] : result;
    var body = Array.isArray(result) ? result[1] : extra;
    var fb = $("feedback");
    fb.textContent = "";
    fb.appendChild(el("p", { class: "verdict " + (ok ? "ok" : "bad"), text: ok ? "✓ Right." : "✗ Not quite." }));
    fb.appendChild(body);
    fb.appendChild(teaching(T.cur));
    conclude(ok);
  }

  function conclude(ok) {
    var q = T.cur;
    T.answered_cur = true;
    T.answered += 1;
    T.total += q.points;
    if (ok) { T.right += 1; T.points += q.points; } else T.missed.push(q);
    record(q, ok);
    showProgress();
    status();
    var actions = document.querySelector(".q-actions");
    actions.textContent = "";
    var last = T.size > 0 && !T.queue.length;
    actions.appendChild(el("button", { type: "button", id: "next", class: "primary", text: last ? "See my score" : "Next question", onclick: function () { next(); } }));
    actions.appendChild(el("span", { class: "muted keys-hint", text: "Enter: " + (last ? "see the score." : "next question.") }));
    $("next").focus({ preventScroll: true });
  }

  function summary() {
    T.over = true;
    T.cur = null;
    T.answered_cur = false;
    status();
    var stage = $("stage");
    stage.textContent = "";
    var card = el("article", { class: "card summary", "aria-labelledby": "sum-title" });
    card.appendChild(el("h2", { id: "sum-title", text: "Your score" }));
    card.appendChild(el("p", { id: "sum-score", class: "big", text: T.right + " of " + T.answered + " right (" + T.points + " of " + T.total + " points)" }));
    if (T.missed.length) {
      card.appendChild(el("h3", { text: "Missed: try these again" }));
      var list = el("ol", { id: "missed", class: "missed" });
      T.missed.forEach(function (q) {
        list.appendChild(el("li", { "data-qid": q.id }, [q.kind === "cloze" ? clozePlain(q) : plain(q.prompt)]));
      });
      card.appendChild(list);
      var missed = T.missed.slice();
      card.appendChild(el("button", { type: "button", id: "retry-set", class: "primary", text: missed.length === 1 ? "Retry this one" : "Retry these " + missed.length, onclick: function () { startSet(missed, missed.length); } }));
    } else if (T.answered) card.appendChild(el("p", { text: "Nothing missed." }));
    card.appendChild(el("button", { type: "button", id: "again", text: "New set", onclick: function () { startSet(matching(), chosenSize()); } }));
    stage.appendChild(card);
    stage.focus({ preventScroll: true });
  }

  function clozePlain(q) {
    return q.parts.map(function (p) { return typeof p === "number" ? "____" : p[0]; }).join("");
  }

  function testKeys(e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" && t.type === "text" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
    if ($("setup").contains(t)) return;
    var q = T.cur;
    if ($("judge-right") && (e.key === "y" || e.key === "Y" || e.key === "n" || e.key === "N")) {
      e.preventDefault();
      (e.key.toLowerCase() === "y" ? $("judge-right") : $("judge-wrong")).click();
      return;
    }
    if (e.key === "Enter") {
      var multiOpt = t && t.classList && t.classList.contains("opt") && q && q.kind === "multi" && !T.answered_cur;
      if (t && t.tagName === "BUTTON" && !multiOpt) return; // the button's own click
      if (!q) return;
      e.preventDefault();
      if (T.answered_cur) { if (!$("judge-right")) next(); } else if (q.options && q.kind === "multi") check();
      return;
    }
    if (!q || T.answered_cur || !q.options) return;
    var k = e.key.toUpperCase(), pos = -1;
    if (k.length === 1 && k >= "A" && k <= "H") pos = k.charCodeAt(0) - 65;
    else if (k.length === 1 && k >= "1" && k <= "8") pos = k.charCodeAt(0) - 49;
    if (pos >= 0 && pos < T.order.length) { e.preventDefault(); choose(pos); }
  }

  // -- projector -----------------------------------------------------------------------

  var P = { version: 0, at: 0, revealed: false, timer: 0, ends: 0, tick: null };
  var TIMERS = [0, 30, 60, 120];

  function setupPresent() {
    var sel = $("p-version");
    DATA.plan.versions.forEach(function (v, i) { sel.appendChild(el("option", { value: i, text: v.label })); });
    sel.disabled = DATA.plan.versions.length < 2;
    sel.addEventListener("change", function () { location.hash = "#present-" + DATA.plan.versions[sel.selectedIndex].label; });
    // A mouse click leaves no focus on the button, so Space goes on revealing.
    $("p-timer-btn").addEventListener("click", function (e) { cycleTimer(); if (e.detail) e.currentTarget.blur(); });
    $("p-reveal-btn").addEventListener("click", function (e) { reveal(!P.revealed); if (e.detail) e.currentTarget.blur(); });
  }

  function version() { return DATA.plan.versions[P.version]; }

  function present(at) {
    var items = version().items;
    P.at = Math.max(0, Math.min(at, items.length - 1));
    P.revealed = false;
    var item = items[P.at], q = QS[item[0]];
    var v = version();
    $("p-which").textContent = "seed " + DATA.plan.seed + " · version " + v.label + " · bank " + DATA.bank.hash;
    $("p-counter").textContent = (P.at + 1) + " / " + items.length;
    var stage = $("p-stage");
    stage.textContent = "";
    var card = el("article", { class: "p-q kind-" + q.kind, "data-qid": q.id, "aria-labelledby": "p-prompt" });
    card.appendChild(el("p", { class: "q-meta" }, [el("span", { class: "p-num", text: "Question " + (P.at + 1) }), " · " + meta(q)]));
    if (q.kind === "cloze") {
      var p = el("p", { id: "p-prompt", class: "p-prompt" });
      q.parts.forEach(function (part) {
        if (typeof part === "number") {
          p.appendChild(el("span", { class: "p-blank" }, [
            el("span", { class: "p-blank-n", text: String(part + 1) }),
            el("span", { class: "p-blank-a reveal", text: q.answers[part][0] })
          ]));
        } else p.appendChild(run(part[0], part[1]));
      });
      card.appendChild(p);
    } else card.appendChild(el("h2", { id: "p-prompt", class: "p-prompt" }, [runs(q.prompt)]));
    if (q.options) {
      var list = el("ol", { class: "p-opts", "aria-label": "Options" });
      item[1].forEach(function (oi, pos) {
        var o = q.options[oi];
        list.appendChild(el("li", { class: "p-opt" + (o[1] ? " is-right" : ""), "data-option": oi }, [
          el("span", { class: "opt-key", text: LETTERS[pos] }), el("span", { class: "opt-text" }, [runs(o[0])]),
          el("span", { class: "opt-mark reveal", "aria-hidden": "true", text: o[1] ? "✓" : "" })
        ]));
      });
      card.appendChild(list);
    }
    // Rendered now and kept invisible until revealed, so showing it moves nothing.
    var ans = el("section", { id: "p-answer", class: "p-answer reveal", "aria-label": "Answer" });
    if (q.options) {
      var letters = [];
      item[1].forEach(function (oi, pos) { if (q.options[oi][1]) letters.push(LETTERS[pos]); });
      var line = el("p", { class: "fb fb-answer" }, [el("span", { class: "fb-label", text: letters.length > 1 ? "Answers:" : "Answer:" }), " "]);
      letters.forEach(function (L, i) {
        if (i) line.appendChild(document.createTextNode("; "));
        line.appendChild(document.createTextNode(L + ". "));
        line.appendChild(runs(q.options[item[1][LETTERS.indexOf(L)]][0]));
      });
      ans.appendChild(line);
    } else if (q.kind === "basic") {
      ans.appendChild(el("p", { class: "fb fb-answer" }, [el("span", { class: "fb-label", text: "Answer:" }), " ", runs(q.answerRuns)]));
    }
    ans.appendChild(teaching(q));
    card.appendChild(ans);
    stage.appendChild(card);
    window.scrollTo(0, 0);
    $("p-reveal-btn").textContent = "Reveal";
    startTimer();
  }

  function reveal(on) {
    P.revealed = on;
    var card = document.querySelector(".p-q");
    if (card) card.classList.toggle("revealed", on);
    $("p-reveal-btn").textContent = on ? "Hide" : "Reveal";
    $("p-answer").setAttribute("aria-hidden", on ? "false" : "true");
  }

  function cycleTimer() {
    P.timer = (P.timer + 1) % TIMERS.length;
    $("p-timer-btn").textContent = TIMERS[P.timer] ? "Timer: " + TIMERS[P.timer] + " s" : "Timer: off";
    startTimer();
  }

  function startTimer() {
    if (P.tick) { clearInterval(P.tick); P.tick = null; }
    var secs = TIMERS[P.timer], box = $("p-timer");
    box.classList.remove("out");
    if (!secs) { box.textContent = ""; return; }
    P.ends = Date.now() + secs * 1000;
    var draw = function () {
      var left = Math.max(0, Math.ceil((P.ends - Date.now()) / 1000));
      box.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (!left) { box.classList.add("out"); clearInterval(P.tick); P.tick = null; }
    };
    draw();
    P.tick = setInterval(draw, 250);
  }

  function presentKeys(e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "SELECT")) return;
    var k = e.key;
    if (k === " " || k === "Enter") {
      if (t && (t.tagName === "BUTTON" || t.tagName === "A")) return;
      e.preventDefault(); reveal(!P.revealed);
    } else if (k === "ArrowRight" || k === "PageDown") { e.preventDefault(); present(P.at + 1); }
    else if (k === "ArrowLeft" || k === "PageUp") { e.preventDefault(); present(P.at - 1); }
    else if (k === "Home") { e.preventDefault(); present(0); }
    else if (k === "End") { e.preventDefault(); present(version().items.length - 1); }
    else if (k === "t" || k === "T") { e.preventDefault(); cycleTimer(); }
    else if (k === "Escape") { e.preventDefault(); location.hash = ""; }
  }

  // -- modes ---------------------------------------------------------------------------

  function route() {
    var m = /^#present(?:-([A-Z]))?$/.exec(location.hash);
    var presenting = !!m;
    $("test").hidden = presenting;
    $("projector").hidden = !presenting;
    document.body.classList.toggle("presenting", presenting);
    $("nav-test").setAttribute("aria-current", presenting ? "false" : "page");
    $("nav-present").setAttribute("aria-current", presenting ? "page" : "false");
    if (presenting) {
      var wanted = m[1] || DATA.plan.versions[0].label;
      var i = DATA.plan.versions.map(function (v) { return v.label; }).indexOf(wanted);
      P.version = i >= 0 ? i : 0;
      $("p-version").selectedIndex = P.version;
      present(0);
    } else if (P.tick) { clearInterval(P.tick); P.tick = null; }
  }

  document.addEventListener("keydown", function (e) {
    if (document.body.classList.contains("presenting")) presentKeys(e); else testKeys(e);
  });
  window.addEventListener("hashchange", route);

  loadStore();
  setupForm();
  setupPresent();
  showProgress();
  startSet(QS, 0);
  route();
  performance.mark("h2q-first-question");
})();
