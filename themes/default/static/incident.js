/*
 * incident.js: the incident workspace (incident.html) and the start form of
 * the home page (form.incident-start).
 *
 * The state is the URL query in the format of incident-state.js
 * (HandbookLogic.decodeIncident / encodeIncident), so a link reproduces the
 * incident; a copy is kept in localStorage ("handbook-incident:" + the rule
 * set's digest) so a reload or opening the page without a query resumes it.
 * Nothing leaves the device. Every screen is derived from the state: the
 * start form while the discovery time or the role is missing, then the first
 * unanswered question of the level tree, then the result. Each answer is a
 * history entry, so Back and Forward move through the questions.
 *
 * A classic script (file://, no modules, no fetch). It must never hold a
 * word of interface text (the locale, data.js `text`) or name an id of the
 * policy (what it singles out, data.js `handbook` declares).
 */
(function () {
  "use strict";

  if (typeof document === "undefined" || typeof window === "undefined") return;
  var data = window.HANDBOOK_DATA;
  var L = window.HandbookLogic;
  if (!data || !L || !L.decodeIncident) return;
  var ZONE = data.timezone;
  var HB = data.handbook || {};
  var READERS = HB.readers || [];
  var KEY = "handbook-incident:" + data.digest;

  // ---- small helpers ----------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "className") node.setAttribute("class", v);
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    });
    (function add(c) {
      if (c === null || c === undefined || c === false) return;
      if (Array.isArray(c)) c.forEach(add);
      else node.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
    })(children);
    return node;
  }

  function T(key, values) {
    var node = data.text;
    key.split(".").forEach(function (k) {
      node = node && typeof node === "object" ? node[k] : undefined;
    });
    var s = typeof node === "string" ? node : key;
    Object.keys(values || {}).forEach(function (name) {
      s = s.split("{" + name + "}").join(String(values[name]));
    });
    return s;
  }

  function text(t) {
    if (t === null || t === undefined) return "";
    return typeof t === "string" ? t : t[data.language] || "";
  }

  function findBy(list, key, value) {
    for (var i = 0; i < (list || []).length; i++) if (list[i][key] === value) return list[i];
    return null;
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function src(source) {
    return source ? el("span", { className: "src", text: T("common.source", { section: source }) }) : null;
  }

  function actorName(id) {
    return (data.actors || {})[id] || "";
  }

  function store(query) {
    try {
      if (query) window.localStorage.setItem(KEY, query);
      else window.localStorage.removeItem(KEY);
    } catch (e) {
      // Storage can be off (private mode, file:// policies): the URL still holds the state.
    }
  }

  function stored() {
    try {
      return window.localStorage.getItem(KEY) || "";
    } catch (e) {
      return "";
    }
  }

  /** A clock time as readers see it: HH:MM, weekday, today/tomorrow or the date. */
  function clockText(ms, nowMs) {
    var p = L.clockParts(ms, nowMs, ZONE);
    var values = {
      hhmm: p.hhmm,
      weekday: T("clock.weekdays." + p.weekday),
      date: T("clock.date", { y: p.y, mo: p.mo, d: p.d, mm: pad(p.mo), dd: pad(p.d) })
    };
    var near = { "-1": "clock.yesterday", "0": "clock.today", "1": "clock.tomorrow" }[String(p.days)];
    if (near) {
      values.day = T(near);
      return T("clock.near", values);
    }
    return T("clock.far", values);
  }

  /** An elapsed time in the locale's words (days, hours, minutes). */
  function span(ms) {
    var minutes = Math.floor(Math.abs(ms) / 60000);
    if (minutes < 1) return T("script.under_a_minute");
    var parts = [];
    var d = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60), m = minutes % 60;
    if (d) parts.push(T("script.days", { n: d }));
    if (h) parts.push(T("script.hours", { n: h }));
    if (m) parts.push(T("script.minutes", { n: m }));
    return parts.join(" ");
  }

  // ---- the home page's start form ---------------------------------------

  /** Shows the today/yesterday shortcuts (they need the script). */
  function enhanceStartForm(form) {
    var shortcuts = form.querySelector(".incident-shortcuts");
    var date = form.querySelector("input[name=date]");
    if (!shortcuts || !date) return;
    shortcuts.hidden = false;
    shortcuts.addEventListener("click", function (ev) {
      var b = ev.target.closest("button[data-day]");
      if (!b) return;
      date.value = L.localDate(Date.now(), parseInt(b.getAttribute("data-day"), 10), ZONE);
    });
  }

  // ---- the workspace ----------------------------------------------------

  /**
   * The state of the page: the query (the start form's date + time folded
   * into `d`), or, with no state in the query, the copy this device keeps.
   */
  function initialState() {
    var q = new URLSearchParams(window.location.search);
    var date = q.get("date"), time = q.get("time");
    var s = L.decodeIncident(window.location.search);
    if (!s.discovered && date && time) s = L.decodeIncident("d=" + date + "T" + time + "&" + q.toString());
    var query = L.encodeIncident(s);
    var resumed = false;
    if (!query && stored()) {
      s = L.decodeIncident(stored());
      query = L.encodeIncident(s);
      resumed = !!query;
    }
    return { state: s, resumed: resumed };
  }

  function levelOutcome(s) {
    return L.walkTree(data, L.answerSlots(data, L.answersById(s)));
  }

  /** The first node of the level tree the answers do not pass, with its path. */
  function currentNode(s) {
    var byId = L.answersById(s);
    var tree = data.levelTree || [];
    var node = 0, path = [];
    for (var guard = 0; guard <= tree.length; guard++) {
      var n = tree[node];
      if (!n || n.type !== "question") return { node: node, path: path };
      var answer = byId[n.question];
      var branch = answer === undefined ? null : findBy(n.branches, "answer", answer);
      if (!branch) return { node: node, path: path };
      path.push([n.question, answer]);
      node = branch.node;
    }
    return { node: node, path: path };
  }

  function Workspace(app) {
    this.app = app;
    this.root = app.getAttribute("data-root") || "";
    this.timer = null;
    var init = initialState();
    this.state = init.state;
    this.resumed = init.resumed;
    this.commit(false);
  }

  /** Writes the state to the URL (a new history entry when `push`) and the device. */
  Workspace.prototype.commit = function (push) {
    var query = L.encodeIncident(this.state);
    var url = window.location.pathname.split("/").pop() + (query ? "?" + query : "");
    try {
      if (push) window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    } catch (e) {
      // Some file:// contexts refuse history changes; the page still works.
    }
    store(query);
  };

  Workspace.prototype.update = function (change, push) {
    change(this.state);
    this.resumed = false;
    this.commit(push);
    this.render();
  };

  Workspace.prototype.reset = function () {
    store("");
    this.state = L.emptyIncident();
    this.resumed = false;
    this.commit(true);
    this.render();
  };

  Workspace.prototype.render = function () {
    var s = this.state;
    if (this.timer) window.clearInterval(this.timer);
    this.timer = null;
    while (this.app.firstChild) this.app.removeChild(this.app.firstChild);
    var facts = s.discovered ? L.incidentFacts(s, null, ZONE) : null;
    var needsRole = READERS.length > 0 && READERS.indexOf(s.role) < 0;
    var screen;
    if (!facts || needsRole) screen = this.startScreen(s.discovered && !facts ? "invalid" : null);
    else {
      var at = currentNode(s);
      var n = (data.levelTree || [])[at.node];
      screen = n && n.type === "question" ? this.questionScreen(n, at.path) : this.resultScreen(levelOutcome(s) || (n && n.outcome) || {});
    }
    if (this.resumed) this.app.appendChild(el("p", { className: "incident-resumed", role: "status", text: T("incident.resumed") }));
    this.app.appendChild(screen);
    this.app.appendChild(el("p", { className: "incident-private" }, T("incident.private")));
    var heading = screen.querySelector("h2");
    if (heading && this.focus) heading.focus();
    this.focus = true;
  };

  Workspace.prototype.facts = function () {
    var s = this.state;
    var date = s.discovered ? s.discovered.replace("T", " ") : "";
    return el("p", { className: "incident-facts" }, s.role
      ? T("incident.facts", { time: date, role: actorName(s.role) })
      : T("incident.facts_no_role", { time: date }));
  };

  Workspace.prototype.newButton = function () {
    return el("button", { type: "button", className: "secondary incident-new", text: T("incident.new_incident") });
  };

  Workspace.prototype.startScreen = function (problem) {
    var self = this;
    var s = this.state;
    var d = s.discovered ? s.discovered.split("T") : ["", ""];
    var date = el("input", { id: "incident-date", name: "date", type: "date", value: d[0], required: true });
    var time = el("input", { id: "incident-time", name: "time", type: "time", value: d[1], required: true });
    var message = el("p", { className: "incident-problem", role: "alert" });
    if (problem === "invalid") message.textContent = T("incident.time_invalid", { zone: ZONE });
    var shortcuts = el("p", { className: "incident-shortcuts" }, [
      el("button", { type: "button", className: "secondary", "data-day": "0", text: T("incident.today") }), " ",
      el("button", { type: "button", className: "secondary", "data-day": "-1", text: T("incident.yesterday") })
    ]);
    var who = READERS.length
      ? el("fieldset", { className: "incident-who" }, [
          el("legend", { text: T("incident.who") }),
          el("ul", { className: "incident-readers" }, READERS.map(function (id) {
            return el("li", null, el("button", { type: "submit", name: "role", value: id, text: actorName(id) }));
          }))
        ])
      : el("p", null, el("button", { type: "submit", text: T("incident.start") }));
    var form = el("form", { className: "incident-start", "aria-labelledby": "incident-start-title", novalidate: true }, [
      el("h2", { id: "incident-start-title", tabindex: "-1", text: T("incident.start_title") }),
      el("p", { className: "lead", text: T("incident.start_lead") }),
      el("fieldset", { className: "incident-when" }, [
        el("legend", { text: T("incident.discovered") }),
        el("label", { for: "incident-date", text: T("incident.date") }), date,
        el("label", { for: "incident-time", text: T("incident.time") }), time,
        shortcuts
      ]),
      who,
      message
    ]);
    shortcuts.addEventListener("click", function (ev) {
      var b = ev.target.closest("button[data-day]");
      if (b) date.value = L.localDate(Date.now(), parseInt(b.getAttribute("data-day"), 10), ZONE);
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var role = ev.submitter && ev.submitter.value ? ev.submitter.value : null;
      if (!date.value || !time.value) {
        message.textContent = T("incident.time_missing");
        return;
      }
      self.update(function (st) {
        st.discovered = date.value + "T" + time.value.slice(0, 5);
        st.role = role;
      }, true);
    });
    return form;
  };

  Workspace.prototype.questionScreen = function (node, path) {
    var self = this;
    var q = findBy(data.questions, "id", node.question);
    var least = L.evaluate(data, L.answerSlots(data, L.answersById(this.state)));
    var info = least.status === "needs-answers" && least.at_least ? findBy(data.levels, "id", least.at_least) : null;
    var answers = el("ul", { className: "tree-answers incident-answers" });
    node.branches.forEach(function (b) {
      var a = findBy(q.answers, "id", b.answer);
      answers.appendChild(el("li", null, el("button", { type: "button", className: "tree-answer", "data-answer": b.answer, text: a ? text(a.text) : b.answer })));
    });
    if (q.unsure) {
      answers.appendChild(el("li", null, el("button", { type: "button", className: "secondary incident-unsure", "data-answer": q.unsure, "data-unsure": "1", text: T("incident.unsure") })));
    }
    var help = null;
    if (q.definition || (q.examples || []).length) {
      help = el("details", { className: "incident-help" }, [
        el("summary", { text: T("incident.help_title") }),
        q.definition ? el("p", null, [el("strong", { text: T("incident.definition") }), T("common.colon"), text(q.definition)]) : null,
        (q.examples || []).length ? el("p", null, el("strong", { text: T("incident.examples") })) : null,
        (q.examples || []).length ? el("ul", null, q.examples.map(function (x) { return el("li", { text: text(x) }); })) : null
      ]);
    }
    var section = el("section", { className: "question tree-step incident-question", "aria-labelledby": "incident-q-title" }, [
      this.facts(),
      el("p", { className: "step tree-progress", text: T("incident.question_step", { step: path.length + 1 }) }),
      el("h2", { id: "incident-q-title", className: "tree-question", tabindex: "-1", text: text(q.text) }),
      q.help ? el("p", { className: "hint" }, [text(q.help), " ", src(q.source)]) : el("p", null, src(q.source)),
      info ? el("p", { className: "note", text: T("classify.at_least_before") + text(info.name) + T("classify.at_least_after") }) : null,
      help,
      answers,
      q.unsure ? el("p", { className: "hint", text: T("incident.unsure_note") }) : null,
      el("p", { className: "tree-nav" }, [
        path.length ? el("button", { type: "button", className: "secondary incident-back", text: T("incident.back") }) : null, " ",
        this.newButton()
      ])
    ]);
    answers.addEventListener("click", function (ev) {
      var b = ev.target.closest("button[data-answer]");
      if (!b) return;
      var unsure = b.hasAttribute("data-unsure");
      self.update(function (st) {
        // Only the answers on the path stay: a changed answer drops what followed it.
        var keep = path.map(function (p) { return p[0]; });
        st.answers = path.slice();
        st.unsure = st.unsure.filter(function (id) { return keep.indexOf(id) >= 0; });
        st.answers.push([q.id, b.getAttribute("data-answer")]);
        if (unsure) st.unsure.push(q.id);
      }, true);
    });
    return section;
  };

  Workspace.prototype.wire = function (section) {
    var self = this;
    section.addEventListener("change", function (ev) {
      var t = ev.target;
      if (t.hasAttribute("data-done")) {
        var key = t.getAttribute("data-done");
        self.update(function (st) {
          st.done = st.done.filter(function (k) { return k !== key; });
          if (t.checked) st.done.push(key);
        }, false);
      } else if (t.hasAttribute("data-condition")) {
        var id = t.getAttribute("data-condition");
        self.update(function (st) {
          st.conditions = st.conditions.filter(function (c) { return c !== id; });
          if (t.checked) st.conditions.push(id);
        }, false);
      } else if (t.hasAttribute("data-actual")) {
        var ev2 = t.getAttribute("data-actual");
        if (t.value && L.parseTime(t.value, ZONE) === null) return;
        self.update(function (st) {
          if (t.value) st.actual[ev2] = t.value.slice(0, 16);
          else delete st.actual[ev2];
        }, false);
      }
    });
  };

  Workspace.prototype.resultScreen = function (outcome) {
    var section = resultScreen(this, outcome);
    this.wire(section);
    return section;
  };

  // ---- the result -------------------------------------------------------

  /** A contact as a reader uses it: a link when it has one (never a fax), else its value. */
  function contactItem(c) {
    var value = c.href
      ? el("a", { href: c.href, className: c.href.indexOf("tel:") === 0 ? "tel" : null, text: c.kind === "url" ? c.name : c.value })
      : el("span", { className: c.placeholder ? "placeholder" : null, text: c.value });
    return el("li", { "data-contact": c.id }, [
      el("span", { className: "kind", text: T("contact_kind." + c.kind) }), T("common.colon"),
      c.kind === "url" ? null : el("span", { text: c.name + " " }),
      value,
      c.placeholder ? el("strong", { className: "placeholder-mark", text: " " + T("contacts.placeholder") }) : null
    ]);
  }

  function tick(key, label, done) {
    return el("li", null, el("label", null, [
      el("input", { type: "checkbox", "data-done": key, checked: done.indexOf(key) >= 0 }), " ", label
    ]));
  }

  /** The do-now checklist of an event: the step, what it carries, where. */
  function checklist(s, e) {
    var parts = [el("h3", { text: T("incident.checklist_title") })];
    var ul = el("ul", { className: "incident-checklist" });
    ul.appendChild(tick(e.id, [el("strong", { text: text(e.name) }), " ", text(e.description), " ", src(e.source)], s.done));
    parts.push(ul);
    if (e.id === HB.initial_report && (HB.report_items || []).length) {
      parts.push(el("h4", { text: T("incident.report_items") }));
      parts.push(el("ul", { className: "incident-checklist" }, HB.report_items.map(function (item, i) {
        return tick("item-" + (i + 1), [text(item.text), " ", src(item.source)], s.done);
      })));
    }
    var contacts = (e.contacts || []).map(function (id) { return findBy(data.contacts, "id", id); }).filter(Boolean);
    if (contacts.length) {
      var portal = contacts.filter(function (c) { return c.id === HB.portal; });
      var others = contacts.filter(function (c) { return c.id !== HB.portal; });
      parts.push(el("h4", { text: T("incident.where_title") }));
      parts.push(el("ul", { className: "incident-contacts" }, (portal.length ? portal : others).map(contactItem)));
      var down = findBy(data.conditions, "id", HB.portal_down_condition);
      if (portal.length && others.length && down) {
        var then = (data.events || []).filter(function (x) { return x.when === down.id; });
        parts.push(el("div", { className: "incident-fallback" }, [
          el("p", null, el("label", null, [
            el("input", { type: "checkbox", "data-condition": down.id, checked: s.conditions.indexOf(down.id) >= 0 }), " ",
            T("incident.portal_down", { condition: text(down.text) }), " ", src(down.source)
          ])),
          el("ul", { className: "incident-contacts" }, others.map(contactItem)),
          then.length ? el("p", null, then.map(function (x) { return T("incident.portal_down_then", { event: text(x.name) }); }).join(" ")) : null
        ]));
      }
    }
    return parts;
  }

  function rowTime(r, nowMs) {
    if (r.actual !== null) return L.parseTime(r.actual.slice(0, 16), ZONE);
    return r.dueMs;
  }

  function deadlineItem(r, nowMs, withActor) {
    var e = findBy(data.events, "id", r.event) || {};
    var ms = rowTime(r, nowMs);
    return el("li", { "data-event": r.event }, [
      el("strong", { text: text(e.name) }), T("common.colon"),
      el("span", { className: "clock", text: ms === null ? T("incident.no_time") : clockText(ms, nowMs) }),
      withActor ? el("small", { text: T("script.step_actor", { actor: actorName(r.actor) }) }) : null,
      " ", src(r.source)
    ]);
  }

  function timeInput(id, label, value) {
    var input = el("input", { id: "incident-t-" + id, type: "datetime-local", "data-actual": id, value: value || "" });
    return el("p", { className: "incident-actual" }, [el("label", { for: "incident-t-" + id, text: label }), " ", input]);
  }

  function resultScreen(ws, outcome) {
    var s = ws.state;
    var root = ws.root;
    var status = outcome.status || "unclassified";
    var section = el("section", { className: "incident-result", "aria-labelledby": "incident-r-title", "data-level": status === "level" ? outcome.level : status });
    section.appendChild(ws.facts());
    if (status !== "level") {
      section.appendChild(el("h2", { id: "incident-r-title", tabindex: "-1", text: T("incident.result_title") }));
      section.appendChild(el("p", { className: "lead", text: T(status === "unclassified" ? "incident.uncovered" : "incident.not_an_incident") }));
      section.appendChild(el("p", { className: "tree-nav" }, [el("button", { type: "button", className: "secondary incident-back", text: T("incident.back") }), " ", ws.newButton()]));
      return section;
    }
    var level = findBy(data.levels, "id", outcome.level) || {};
    section.appendChild(el("h2", { id: "incident-r-title", className: "incident-level " + (level.sev || ""), tabindex: "-1" }, [
      el("span", { className: "visually-hidden", text: T("incident.result_title") + T("common.colon") }),
      el("span", { className: "incident-level-label", text: level.label || text(level.name) }),
      level.label && level.label !== text(level.name) ? el("small", { text: text(level.name) }) : null
    ]));
    var facts = L.incidentFacts(s, outcome.level, ZONE);
    var rows = facts ? L.computeDeadlines(data, facts) : [];
    var split = L.splitByRole(rows, READERS.length ? s.role : null);
    var now = Date.now();
    // What to do now is the earliest of my deadlines not yet done, even when
    // it is past: an overdue report is still the first thing to do (so the
    // earliest open row: nextDeadline from the beginning of time).
    var next = L.nextDeadline(split.mine, Number.NEGATIVE_INFINITY);
    var box = el("div", { className: "incident-next" }, el("h3", { text: T("incident.next_title") }));
    section.appendChild(box);
    if (next) {
      var e = findBy(data.events, "id", next.event) || {};
      var countdown = el("p", { className: "incident-countdown", "aria-live": "off" });
      var show = function () {
        var left = next.dueMs - Date.now();
        countdown.textContent = left >= 0 ? T("incident.due_in", { time: span(left) }) : T("incident.overdue", { time: span(left) });
        countdown.classList.toggle("overdue", left < 0);
      };
      show();
      ws.timer = window.setInterval(show, 1000);
      box.appendChild(el("p", { className: "incident-due" }, [
        el("strong", { className: "incident-clock", text: clockText(next.dueMs, now) }), " ",
        el("span", { text: text(e.name) })
      ]));
      box.appendChild(countdown);
    } else {
      box.appendChild(el("p", { text: T("incident.no_next") }));
    }
    // The answers taken as the more severe case, right under the deadline.
    if (s.unsure.length) {
      section.appendChild(el("div", { className: "incident-assumed note" }, [
        el("p", null, el("strong", { text: T("incident.assumed_title") })),
        el("ul", null, s.unsure.map(function (qid) {
          var q = findBy(data.questions, "id", qid) || { answers: [] };
          var a = findBy(q.answers, "id", L.answersById(s)[qid]);
          return el("li", { text: T("incident.assumed_item", { question: text(q.text), answer: a ? text(a.text) : "" }) });
        }))
      ]));
    }
    if (next) checklist(s, findBy(data.events, "id", next.event) || {}).forEach(function (n) { section.appendChild(n); });
    var later = split.mine.filter(function (r) { return r !== next; });
    if (later.length) {
      section.appendChild(el("h3", { text: T("incident.later_title") }));
      section.appendChild(el("ul", { className: "incident-deadlines" }, later.map(function (r) { return deadlineItem(r, now, false); })));
    }
    if (split.others.length) {
      section.appendChild(el("details", { className: "incident-others" }, [
        el("summary", { text: T("incident.others_title", { count: split.others.length }) }),
        el("ul", { className: "incident-deadlines" }, split.others.map(function (r) { return deadlineItem(r, now, true); }))
      ]));
    }
    section.appendChild(actualTimes(s, split.mine));
    section.appendChild(links(s, root, outcome.level, split.mine, next));
    section.appendChild(el("p", { className: "tree-nav" }, [el("button", { type: "button", className: "secondary incident-back", text: T("incident.back") }), " ", ws.newButton()]));
    return section;
  }

  /** Inputs for the actual times of my events, and of the anchors of my events others do. */
  function actualTimes(s, mine) {
    var box = el("details", { className: "incident-times" }, el("summary", { text: T("incident.times_title") }));
    var seen = {};
    mine.forEach(function (r) {
      var anchor = findBy(data.events, "id", r.anchor);
      if (anchor && r.anchor !== data.discoveryEvent && anchor.actor !== s.role && !seen[anchor.id]) {
        seen[anchor.id] = true;
        box.appendChild(timeInput(anchor.id, T("incident.anchor_label", { event: text(anchor.name), actor: actorName(anchor.actor) }), s.actual[anchor.id]));
      }
    });
    mine.forEach(function (r) {
      var e = findBy(data.events, "id", r.event);
      if (e && !seen[e.id]) {
        seen[e.id] = true;
        box.appendChild(timeInput(e.id, T("incident.actual_label", { event: text(e.name) }), s.actual[e.id]));
      }
    });
    if (Object.keys(s.actual).length) box.open = true;
    return box;
  }

  /** The chapter for this stage, the follow-ups the answers call for, the worksheets. */
  function links(s, root, level, mine, next) {
    var items = [];
    var stage = next ? [next.event] : mine.map(function (r) { return r.event; });
    var chapter = (data.chapters || []).filter(function (c) {
      return (c.events || []).some(function (id) { return stage.indexOf(id) >= 0; });
    })[0];
    if (chapter) items.push(el("li", null, el("a", { href: root + chapter.url, text: T("incident.chapter_link", { title: chapter.title }) })));
    var query = L.encodeIncident(s);
    items.push(el("li", null, el("a", { className: "incident-report", href: root + data.reportUrl + "?" + query, text: T("incident.report_link") })));
    var sheets = (data.worksheets || {})[String(level)];
    var sheet = sheets ? sheets[s.role || ""] || null : null;
    if (sheet) items.push(el("li", null, el("a", { className: "incident-worksheet", href: root + sheet, text: T("incident.worksheet_link") })));
    var byId = L.answersById(s);
    var follow = (HB.follow_ups || []).filter(function (f) {
      var when = f.when || {};
      var keys = Object.keys(when);
      return !keys.length || keys.some(function (q) { return when[q].indexOf(byId[q]) >= 0; });
    });
    var box = el("div", { className: "incident-links" }, [el("h3", { text: T("incident.links_title") }), el("ul", { className: "links" }, items)]);
    if (follow.length) {
      box.appendChild(el("h3", { text: T("incident.followups_title") }));
      box.appendChild(el("ul", { className: "incident-followups" }, follow.map(function (f) {
        var tree = findBy(data.trees, "id", f.tree) || {};
        var url = (data.treeUrls || {})[f.tree];
        return el("li", { "data-tree": f.tree }, [
          text(f.prompt), " ", src(f.source), " ",
          url ? el("a", { href: root + url, text: text(tree.title) }) : null
        ]);
      })));
    }
    return box;
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.incident-start"), enhanceStartForm);
    var app = document.getElementById("incident-app");
    if (!app) return;
    var ws = new Workspace(app);
    ws.focus = false;
    ws.render();
    app.addEventListener("click", function (ev) {
      if (ev.target.closest(".incident-new")) ws.reset();
      else if (ev.target.closest(".incident-back")) window.history.back();
    });
    window.addEventListener("popstate", function () {
      ws.state = L.decodeIncident(window.location.search);
      ws.resumed = false;
      store(L.encodeIncident(ws.state));
      ws.render();
    });
  }

  start();
})();
