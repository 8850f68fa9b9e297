/*
 * handbook.js: progressive enhancement for the offline handbook.
 *
 * Every page works without this file. With it:
 *   - decision trees (#tree-app) run in place, one question at a time;
 *   - deadlines.html gets a live calculator (#calculator, #calc-result);
 *   - search.html searches as you type (#search-form, #search-results);
 *   - agencies.html gets a filter (#agency-filter-wrap).
 *
 * A classic script (no modules, no fetch): it must run from file:// on a
 * USB stick. It reads window.HANDBOOK_DATA (assets/data.js),
 * window.HandbookLogic (assets/logic.js) and, on search.html,
 * window.HANDBOOK_SEARCH (assets/search-index.js). DOM is built with
 * createElement/textContent only; nothing is requested from the network.
 */
(function () {
  "use strict";

  if (typeof document === "undefined" || typeof window === "undefined") return;

  var SVG_NS = "http://www.w3.org/2000/svg";
  // Every time is shown in the policy's zone (data.js `timezone`), with its
  // daylight saving, through logic.js (Intl).
  var ZONE = (window.HANDBOOK_DATA || {}).timezone;

  // ---- small helpers --------------------------------------------------

  function $(id) {
    return document.getElementById(id);
  }

  /** el("p", {className: "x", "data-y": "1"}, [child, "text"]) */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function svg(tag, attrs, children) {
    var node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function setAttrs(node, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "className") node.setAttribute("class", v);
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    });
  }

  function append(node, children) {
    if (children === null || children === undefined) return;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    });
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  /** A policy text ({"zh-TW": ...}) in the handbook's language. */
  function zh(text) {
    if (text === null || text === undefined) return "";
    if (typeof text === "string") return text;
    return text[(window.HANDBOOK_DATA || {}).language] || "";
  }

  /**
   * Interface text: the theme's locale (assets/data.js `text`) at a dotted
   * key, each {name} replaced by values[name]. A key the locale lacks shows
   * as the key itself, so a missing word is visible, never silently blank.
   */
  function T(key, values) {
    var node = (window.HANDBOOK_DATA || {}).text;
    key.split(".").forEach(function (k) {
      node = node && typeof node === "object" ? node[k] : undefined;
    });
    var s = typeof node === "string" ? node : key;
    Object.keys(values || {}).forEach(function (name) {
      s = s.split("{" + name + "}").join(String(values[name]));
    });
    return s;
  }

  // A space where CJK touches an ASCII letter or digit, for locale words
  // joined with a value (the filters.rs `space_cjk` the pages use).
  var CJK = "\u2E80-\u2FDF\u3005-\u3007\u3040-\u30FF\u3100-\u312F\u31A0-\u31BF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{3FFFF}";
  var CJK_THEN_WORD = new RegExp("([" + CJK + "])([A-Za-z0-9])", "gu");
  var WORD_THEN_CJK = new RegExp("([A-Za-z0-9])([" + CJK + "])", "gu");
  function spaceCjk(s) {
    return String(s).replace(CJK_THEN_WORD, "$1 $2").replace(WORD_THEN_CJK, "$1 $2");
  }

  function src(source) {
    return source ? el("span", { className: "src", text: T("common.source", { section: source }) }) : null;
  }

  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }

  /** The relative prefix from this page to the site root ("", "../", ...). */
  function siteRoot() {
    var brand = document.querySelector("a.brand");
    var href = brand && brand.getAttribute("href");
    if (href && /(^|\/)index\.html$/.test(href)) return href.slice(0, href.length - "index.html".length);
    var scripts = document.getElementsByTagName("script");
    for (var i = 0; i < scripts.length; i++) {
      var s = scripts[i].getAttribute("src") || "";
      var at = s.indexOf("assets/handbook.js");
      if (at >= 0) return s.slice(0, at);
    }
    return "";
  }

  function queryParam(name) {
    try {
      return new URLSearchParams(window.location.search).get(name);
    } catch (e) {
      return null;
    }
  }

  /** Replaces the URL without reloading; silently skipped where not allowed. */
  function replaceUrl(url) {
    try {
      window.history.replaceState(window.history.state, "", url);
      return true;
    } catch (e) {
      return false;
    }
  }

  function pathAndSearch() {
    var parts = window.location.pathname.split("/");
    return parts[parts.length - 1] + window.location.search;
  }

  /** A visually hidden polite live region, created once per container. */
  function liveRegion(parent, className) {
    var region = el("p", { className: "visually-hidden " + (className || ""), role: "status", "aria-live": "polite" });
    parent.appendChild(region);
    return {
      node: region,
      say: function (text) {
        // Clear first so repeating the same message is announced again.
        region.textContent = "";
        window.setTimeout(function () {
          region.textContent = text;
        }, 60);
      }
    };
  }

  /** Within (data.events[].within[level]) in words, like site::duration. */
  function withinZh(w) {
    if (w === "immediately") return T("duration.immediately");
    var count = function (unit, n) {
      return T("duration." + unit + (n === 1 ? "_one" : ""), { n: n });
    };
    if (w && typeof w === "object") {
      // Elapsed minutes and hours; calendar days (weeks when whole) and months.
      if (typeof w.minutes === "number") return w.minutes % 60 === 0 ? count("hours", w.minutes / 60) : count("minutes", w.minutes);
      if (typeof w.days === "number") return w.days % 7 === 0 ? count("weeks", w.days / 7) : count("days", w.days);
      if (typeof w.months === "number") return count("months", w.months);
    }
    return T("duration.unspecified");
  }

  /** Epoch ms to "YYYY-MM-DD HH:MM" in the policy's zone. */
  function localText(ms) {
    return inputValue(ms).replace("T", " ");
  }

  /** Epoch ms to the value of an <input type="datetime-local"> in the policy's zone. */
  function inputValue(ms) {
    return window.HandbookLogic.localInput(ms, ZONE);
  }

  function shortText(ms) {
    return localText(ms).slice(5);
  }

  /**
   * A clock time as readers need it at a glance: HH:MM with the weekday and,
   * within a day of now, today/tomorrow/yesterday; else with the date
   * (locale [clock], parts from HandbookLogic.clockParts in the policy's zone).
   */
  function clockText(ms, nowMs) {
    var c = window.HandbookLogic.clockParts(ms, nowMs, ZONE);
    var near = c.days === 0 ? T("clock.today") : c.days === 1 ? T("clock.tomorrow") : c.days === -1 ? T("clock.yesterday") : null;
    var values = {
      hhmm: c.hhmm,
      weekday: T("clock.weekdays." + c.weekday),
      date: T("clock.date", { y: c.y, mo: c.mo, d: c.d, mm: pad(c.mo), dd: pad(c.d) }),
      day: near
    };
    return near === null ? T("clock.far", values) : T("clock.near", values);
  }

  /** An elapsed time in the locale's words: days, hours and minutes, or "under a minute". */
  function duration(ms) {
    var minutes = Math.floor(Math.abs(ms) / 60000);
    if (minutes < 1) return T("script.under_a_minute");
    var d = Math.floor(minutes / 1440);
    var h = Math.floor((minutes % 1440) / 60);
    var m = minutes % 60;
    var parts = [];
    if (d) parts.push(T("script.days", { n: d }));
    if (h) parts.push(T("script.hours", { n: h }));
    if (m) parts.push(T("script.minutes", { n: m }));
    return parts.join(" ");
  }

  function findBy(list, key, value) {
    for (var i = 0; i < (list || []).length; i++) if (list[i][key] === value) return list[i];
    return null;
  }

  // ---- decision trees -------------------------------------------------

  /** The compiled level tree (data.levelTree) behind a common interface. */
  function levelModel(data, root) {
    var tree = data.levelTree || [];
    var parent = {};
    tree.forEach(function (n, i) {
      if (n.type !== "question") return;
      n.branches.forEach(function (b) {
        if (!(b.node in parent)) parent[b.node] = i;
      });
    });
    /** The level already certain at node `key` (answers on its path), or null. */
    function atLeast(key) {
      var byId = {};
      for (var at = key; at in parent; at = parent[at]) {
        var p = tree[parent[at]];
        p.branches.forEach(function (b) {
          if (b.node === at) byId[p.question] = b.answer;
        });
      }
      var L = window.HandbookLogic;
      if (!L) return null;
      var outcome = L.evaluate(data, L.answerSlots(data, byId));
      return outcome.status === "needs-answers" ? outcome.at_least : null;
    }
    function question(key) {
      var n = tree[key];
      var q = findBy(data.questions, "id", n.question);
      if (!q) return null;
      var least = atLeast(key);
      var info = least ? findBy(data.levels, "id", least) : null;
      var answers = n.branches.map(function (b) {
        var a = findBy(q.answers, "id", b.answer);
        return { text: a ? zh(a.text) : b.answer, next: b.node };
      });
      // "Not sure" goes where the policy's `unsure` answer goes, as the
      // static page's link does, and says which answer it counts as.
      var unsureBranch = q.unsure ? n.branches.filter(function (b) { return b.answer === q.unsure; })[0] : null;
      var unsureAnswer = unsureBranch ? findBy(q.answers, "id", q.unsure) : null;
      if (unsureBranch && unsureAnswer) {
        answers.push({
          text: T("classify.unsure"),
          detail: T("classify.unsure_counts", { answer: zh(unsureAnswer.text) }),
          next: unsureBranch.node
        });
      }
      return {
        text: zh(q.text),
        help: zh(q.help),
        definition: zh(q.definition),
        examples: (q.examples || []).map(zh),
        note: info ? spaceCjk(T("classify.at_least_before") + zh(info.name) + T("classify.at_least_after")) : "",
        source: q.source,
        answers: answers
      };
    }
    return {
      start: 0,
      parse: function (s) {
        var i = parseInt(s, 10);
        return String(i) === String(s).trim() && tree[i] ? i : null;
      },
      key: function (k) {
        return String(k);
      },
      parent: function (k) {
        return k in parent ? parent[k] : null;
      },
      isLeaf: function (k) {
        return tree[k].type !== "question";
      },
      question: question,
      renderResult: function (k) {
        return levelResult(data, tree[k].outcome || {}, root);
      }
    };
  }

  function levelResult(data, outcome, root) {
    var status = outcome.status || "unclassified";
    var level = status === "level" ? outcome.level : null;
    // The colour class comes with the level (its rank in the policy's
    // order), never from its id.
    var levelInfo = level ? findBy(data.levels, "id", level) || {} : {};
    var section = el("section", {
      className: "tree-result result result-" + status + (levelInfo.sev ? " " + levelInfo.sev : ""),
      "data-level": level ? level : status,
      "aria-labelledby": "tree-r-title"
    });
    var title = el("h2", { id: "tree-r-title", className: "tree-result-title", tabindex: "-1" });
    section.appendChild(title);
    if (status === "level") {
      var info = levelInfo;
      var levelName = zh(info.name) || T("tree.kind_level");
      title.textContent = T("classify.result", { result: levelName });
      section.appendChild(el("p", { className: "lead" }, [zh(info.summary), " ", src(info.source)]));

      section.appendChild(el("h3", { text: T("classify.criteria") }));
      var ul = el("ul", { className: "tree-criteria" });
      (outcome.criteria || []).forEach(function (id) {
        var c = findBy(data.criteria, "id", id);
        if (!c) return;
        ul.appendChild(el("li", { "data-criterion": id }, [
          zh(c.text), " ", src(c.source),
          c.decision ? " " : null,
          c.decision ? el("a", { className: "decision", href: root + "gaps.html#decision-" + c.decision, text: T("common.decision") }) : null
        ]));
      });
      section.appendChild(ul);

      section.appendChild(el("h3", { text: T("classify.next_deadlines") }));
      var next = el("ul", { className: "tree-next" });
      // Which events and what timing text: the build decided both
      // (site/pages/timing.rs), so this list reads like the static page.
      ((data.levelSteps || {})[String(level)] || []).forEach(function (id) {
        var e = findBy(data.events, "id", id);
        var timing = ((data.timings || {})[id] || {}).levels;
        if (!e || !timing || !timing[String(level)]) return;
        var actor = data.actors && data.actors[e.actor];
        next.appendChild(el("li", { "data-event": e.id }, [
          el("a", { href: root + "deadlines.html#event-" + e.id, text: zh(e.name) }),
          T("common.colon"),
          el("span", { className: "timing", "data-event": e.id, text: timing[String(level)] }),
          actor ? el("small", { text: T("script.step_actor", { actor: actor }) }) : null,
          " ",
          src(e.source)
        ]));
      });
      section.appendChild(next);
      section.appendChild(el("p", { className: "tree-actions" }, [
        el("a", { className: "button", href: root + "deadlines.html?level=" + level, text: T("classify.calculate") }),
        " ",
        el("a", { href: root + "levels.html#level-" + level, text: spaceCjk(T("classify.level_details", { level: levelName })) })
      ]));
    } else if (status === "not-an-incident") {
      title.textContent = T("classify.result", { result: T("classify.not_an_incident") });
      section.appendChild(el("p", { className: "lead" }, [
        T("classify.not_an_incident_text"),
        el("a", { href: root + "gaps.html#decision-" + data.notAnIncidentDecision, text: T("classify.why") })
      ]));
    } else {
      title.textContent = T("classify.result", { result: T("classify.uncovered") });
      section.appendChild(el("p", { className: "lead" }, [
        T("script.uncovered_before"),
        el("a", { href: root + "contacts/index.html", text: T("script.uncovered_link") }),
        T("script.uncovered_after")
      ]));
    }
    return section;
  }

  /** An authored tree (data.trees[]) behind the same interface. */
  function authoredModel(data, treeId, root, app) {
    var tree = findBy(data.trees, "id", treeId);
    if (!tree) return null;
    var parent = {};
    tree.nodes.forEach(function (n) {
      n.answers.forEach(function (a) {
        var target = a.next ? a.next : a.outcome ? "outcome:" + a.outcome : null;
        if (target && !(target in parent)) parent[target] = n.id;
      });
    });
    var pageNode = app.getAttribute("data-node");
    function node(id) {
      return findBy(tree.nodes, "id", id);
    }
    function outcome(k) {
      return findBy(tree.outcomes, "id", String(k).slice("outcome:".length));
    }
    return {
      start: tree.start,
      parse: function (s) {
        s = String(s || "");
        if (s.indexOf("outcome:") === 0) return outcome(s) ? s : null;
        return node(s) ? s : null;
      },
      key: function (k) {
        return k;
      },
      parent: function (k) {
        return k in parent ? parent[k] : null;
      },
      isLeaf: function (k) {
        return String(k).indexOf("outcome:") === 0;
      },
      question: function (k) {
        var n = node(k);
        return {
          text: zh(n.question),
          help: zh(n.help),
          source: n.source,
          answers: n.answers.map(function (a) {
            return { text: zh(a.text), next: a.next ? a.next : a.outcome ? "outcome:" + a.outcome : null };
          })
        };
      },
      renderResult: function (k) {
        var o = outcome(k);
        // The most severe of the outcome's levels: the first of them in
        // the policy's order (data.levels is most severe first).
        var top = null;
        (data.levels || []).forEach(function (info) {
          if (top === null && (o.levels || []).indexOf(info.id) >= 0) top = info;
        });
        var section = el("section", {
          className: "tree-result result outcome" + (top && top.sev ? " " + top.sev : ""),
          "data-outcome": o.id,
          "data-level": top ? top.id : null,
          "aria-labelledby": "tree-r-title"
        });
        section.appendChild(el("h2", { id: "tree-r-title", className: "tree-result-title", tabindex: "-1", text: zh(o.title) }));
        section.appendChild(el("p", { className: "lead" }, [zh(o.text), " ", src(o.source)]));
        // The outcome's channels right under its text, as the static page
        // shows them: the visible number, a link only where href says so
        // (a fax has none).
        var channels = (o.contacts || []).map(function (id) {
          return findBy(data.contacts || [], "id", id);
        }).filter(Boolean);
        if (channels.length) {
          var cl = el("ul", { className: "outcome-contacts", "aria-label": T("tree.contacts_label") });
          channels.forEach(function (c) {
            cl.appendChild(el("li", { className: "outcome-contact contact-" + c.kind }, [
              el("span", { className: "kind", text: T("contact_kind." + c.kind) }), " ",
              el("a", { className: "name", href: root + "contacts/index.html#contact-" + c.id, text: zh(c.name) }),
              c.hours ? " " : null,
              c.hours ? el("span", { className: "hours", text: T("contacts.hours", { hours: zh(c.hours) }) }) : null,
              el("br"),
              c.href ? el("a", { className: "contact-value", href: c.href, text: c.value })
                : el("span", { className: "contact-value" + (c.placeholder ? " placeholder" : ""), text: c.value }),
              c.placeholder ? " " : null,
              c.placeholder ? el("strong", { className: "placeholder-mark", text: T("contacts.placeholder") }) : null,
              " ", src(c.source)
            ]));
          });
          section.appendChild(cl);
        }
        var fullPage = root + "trees/" + tree.id + "/outcome-" + o.id + ".html";
        var staticLinks = k === pageNode ? document.querySelector(".tree-static .links") : null;
        if (staticLinks) {
          // This page is the outcome's own page: reuse its server-rendered
          // list, which also has the contacts' numbers and the duties.
          section.appendChild(el("h3", { text: T("tree.links_title") }));
          var copy = staticLinks.cloneNode(true);
          copy.classList.add("tree-links");
          section.appendChild(copy);
          return section;
        }
        var items = [];
        (o.levels || []).forEach(function (l) {
          var info = findBy(data.levels, "id", l);
          items.push([T("tree.kind_level"), zh(info && info.name) || T("tree.kind_level"), root + "levels.html#level-" + l, null]);
        });
        (o.events || []).forEach(function (id) {
          var e = findBy(data.events, "id", id);
          if (e) items.push([T("tree.kind_deadline"), zh(e.name), root + "deadlines.html#event-" + id, e.source, ((data.timings || {})[id] || {}).all, id]);
        });
        (o.units || []).forEach(function (id) {
          if (data.actors && data.actors[id]) items.push([T("tree.kind_unit"), data.actors[id], root + "org/" + id + ".html", null]);
        });
        (o.trees || []).forEach(function (id) {
          var t = findBy(data.trees, "id", id);
          if (t) items.push([T("tree.kind_tree"), zh(t.title), root + "trees/" + id + "/index.html", null]);
        });
        if (items.length) {
          section.appendChild(el("h3", { text: T("script.links_title_short") }));
          var ul = el("ul", { className: "links tree-links" });
          items.forEach(function (it) {
            ul.appendChild(el("li", null, [
              el("span", { className: "kind", text: it[0] }), " ",
              el("a", { href: it[2], text: it[1] }),
              it[4] ? T("common.colon") : null,
              it[4] ? el("span", { className: "timing", "data-event": it[5], text: it[4] }) : null,
              it[3] ? " " : null, src(it[3])
            ]));
          });
          section.appendChild(ul);
        }
        var more = (o.duties || []).length;
        section.appendChild(el("p", { className: "tree-actions" }, [
          el("a", {
            className: "button tree-outcome-link",
            href: fullPage,
            text: more ? T("script.open_full_outcome") : T("script.open_outcome")
          })
        ]));
        return section;
      }
    };
  }

  function initTree(app, data, root) {
    var kind = app.getAttribute("data-tree");
    var model = kind === "level" ? levelModel(data, root) : authoredModel(data, kind, root, app);
    if (!model) return;
    var first = model.parse(app.getAttribute("data-node"));
    if (first === null) return;

    // A step saved in the hash (#step=...) wins, so a reload keeps the place.
    var m = /^#step=(.+)$/.exec(window.location.hash || "");
    if (m) {
      var fromHash = model.parse(decodeURIComponent(m[1]));
      if (fromHash !== null) first = fromHash;
    }

    function pathTo(k) {
      var path = [k];
      var guard = 0;
      while (model.parent(path[0]) !== null && guard++ < 1000) path.unshift(model.parent(path[0]));
      return path;
    }

    var stack = pathTo(first);
    var pageKey = app.getAttribute("data-node");

    clear(app);
    var live = liveRegion(app, "tree-status");
    var view = el("div", { className: "tree-view" });
    app.appendChild(view);
    var nav = el("div", { className: "tree-nav" }, [
      el("button", { type: "button", className: "tree-back secondary", text: T("script.back") }),
      el("button", { type: "button", className: "tree-restart secondary", text: T("common.restart") })
    ]);
    app.appendChild(nav);
    var back = nav.querySelector(".tree-back");

    function answerOf(from, to) {
      var q = model.question(from);
      for (var i = 0; i < q.answers.length; i++) if (q.answers[i].next === to) return q.answers[i].text;
      return "";
    }

    function syncUrl() {
      var here = stack[stack.length - 1];
      var key = model.key(here);
      if (key === pageKey) {
        if (window.location.hash) replaceUrl(pathAndSearch());
      } else {
        replaceUrl("#step=" + encodeURIComponent(key));
      }
    }

    function render(focus) {
      clear(view);
      var here = stack[stack.length - 1];
      if (stack.length > 1) {
        var trail = el("ol", { className: "tree-trail" });
        for (var i = 0; i + 1 < stack.length; i++) {
          var q = model.question(stack[i]);
          trail.appendChild(el("li", null, [
            el("span", { className: "q", text: q.text }), " ",
            el("span", { className: "a", text: answerOf(stack[i], stack[i + 1]) }), " ",
            el("button", {
              type: "button",
              className: "tree-goto secondary",
              "data-step": i,
              "aria-label": T("script.change_answer_label", { question: q.text }),
              text: T("macros.change_answer")
            })
          ]));
        }
        view.appendChild(el("details", { className: "trail" }, [
          el("summary", { text: T("macros.trail", { count: stack.length - 1 }) }),
          trail
        ]));
      }
      var heading;
      if (model.isLeaf(here)) {
        var result = model.renderResult(here);
        view.appendChild(result);
        heading = result.querySelector("h2");
      } else {
        var question = model.question(here);
        heading = el("h2", { id: "tree-q-title", className: "tree-question", tabindex: "-1", text: question.text });
        var answers = el("ul", { className: "tree-answers" });
        question.answers.forEach(function (a, i) {
          answers.appendChild(el("li", null, el("button", {
            type: "button",
            className: "tree-answer",
            "data-answer": i,
            text: a.detail ? a.text + a.detail : a.text
          })));
        });
        var about = null;
        if (question.definition || (question.examples && question.examples.length)) {
          about = el("details", { className: "question-help" }, [
            el("summary", { text: T("classify.definition_summary") }),
            question.definition ? el("p", { className: "definition", text: question.definition }) : null,
            question.examples && question.examples.length ? el("p", { className: "examples-title", text: T("classify.examples") }) : null,
            question.examples && question.examples.length ? el("ul", { className: "examples" }, question.examples.map(function (e) {
              return el("li", { text: e });
            })) : null
          ]);
        }
        view.appendChild(el("section", { className: "question tree-step", "aria-labelledby": "tree-q-title" }, [
          el("p", { className: "step tree-progress", text: T("classify.step", { step: stack.length }) }),
          heading,
          question.note ? el("p", { className: "at-least", text: question.note }) : null,
          question.help ? el("p", { className: "help", text: question.help }) : null,
          about,
          answers,
          el("p", null, src(question.source))
        ]));
      }
      back.classList.toggle("at-start", stack.length <= 1);
      if (focus && heading) heading.focus();
    }

    function go(newStack, message) {
      stack = newStack;
      render(true);
      syncUrl();
      var here = stack[stack.length - 1];
      live.say(message + (model.isLeaf(here) ? T("script.said_result") : T("script.said_step", { step: stack.length })));
    }

    app.addEventListener("click", function (ev) {
      var button = ev.target && ev.target.closest ? ev.target.closest("button") : null;
      if (!button || !app.contains(button)) return;
      var here = stack[stack.length - 1];
      if (button.classList.contains("tree-answer")) {
        var q = model.question(here);
        var a = q.answers[+button.getAttribute("data-answer")];
        if (!a || a.next === null) return;
        go(stack.concat([a.next]), T("script.said_chosen", { answer: a.text }));
      } else if (button.classList.contains("tree-back")) {
        if (stack.length > 1) go(stack.slice(0, -1), T("script.said_back"));
        else live.say(T("script.said_first"));
      } else if (button.classList.contains("tree-restart")) {
        go([stack[0]], T("script.said_restart"));
      } else if (button.classList.contains("tree-goto")) {
        var step = +button.getAttribute("data-step");
        if (step >= 0 && step < stack.length) go(stack.slice(0, step + 1), T("script.said_back_to", { step: step + 1 }));
      }
    });

    render(false);
    var staticPart = document.querySelector(".tree-static");
    if (staticPart) staticPart.hidden = true;
    app.hidden = false;
  }

  // ---- deadline calculator ---------------------------------------------

  function initCalculator(form, data, logic) {
    var result = $("calc-result");
    var discoveredDate = $("calc-discovered-date");
    var discoveredTime = $("calc-discovered-time");
    var levelSelect = $("calc-level");
    var roleBox = $("calc-role");
    var receivedBox = $("calc-received");
    var actualBox = form.querySelector("details.actual-times");
    if (!result || !discoveredDate || !discoveredTime || !levelSelect) return;

    var events = {};
    (data.events || []).forEach(function (e) {
      events[e.id] = e;
    });
    var actors = data.actors || {};
    // "Who am I": the policy's readers; none offered when it declares none.
    var readers = (data.handbook || {}).readers || [];
    if (roleBox && readers.length) {
      readers.forEach(function (id) {
        roleBox.appendChild(el("p", { className: "field check" }, [
          el("input", { id: "calc-role-" + id, name: "role", type: "radio", value: id }),
          el("label", { "for": "calc-role-" + id, text: actors[id] || id })
        ]));
      });
      roleBox.hidden = false;
    }

    // The state comes from the URL (incident-state.js's format; the older
    // ?discovered= and ?level= still read). The discovery time is never
    // taken from the clock: it stays empty until the reader gives it.
    var state = logic.decodeIncident(window.location.search);
    var legacy = queryParam("discovered");
    var legacyMs = legacy ? logic.parseTime(legacy, ZONE) : null;
    var start = state.discovered || (legacyMs !== null ? inputValue(legacyMs) : null);
    if (start) {
      discoveredDate.value = start.slice(0, 10);
      discoveredTime.value = start.slice(11, 16);
    }
    var wanted = queryParam("level");
    if (wanted) {
      for (var i = 0; i < levelSelect.options.length; i++) {
        if (levelSelect.options[i].value === String(wanted).trim()) levelSelect.selectedIndex = i;
      }
    }
    if (state.role && readers.indexOf(state.role) >= 0) {
      var chosen = $("calc-role-" + state.role);
      if (chosen) chosen.checked = true;
    }
    Object.keys(state.actual).forEach(function (id) {
      var input = form.querySelector('input[data-event="' + id + '"]');
      if (input) input.value = state.actual[id];
    });
    var boxesAtStart = form.querySelectorAll('input[type="checkbox"][name="condition"]');
    for (var b = 0; b < boxesAtStart.length; b++) {
      if (state.conditions.indexOf(boxesAtStart[b].value) >= 0) boxesAtStart[b].checked = true;
    }

    /** The chosen reader, or null (every deadline is then "mine"). */
    function currentRole() {
      var picked = form.querySelector('input[name="role"]:checked');
      var id = picked ? picked.value : "";
      return id && readers.indexOf(id) >= 0 ? id : null;
    }

    /** "YYYY-MM-DDTHH:MM" from the date and time inputs, or "" while either is empty. */
    function discoveredValue() {
      var d = discoveredDate.value;
      var t = discoveredTime.value.slice(0, 5);
      return d && t ? d + "T" + t : "";
    }

    /**
     * The reader's deadlines that count from another body's step (a review
     * from the report): their actual-time inputs move into "when you
     * received it", labelled so; the others stay under the actual times.
     */
    var actualFields = actualBox ? Array.prototype.slice.call(actualBox.querySelectorAll("p.field")) : [];
    var actualLabels = actualFields.map(function (f) {
      var label = f.querySelector("label");
      return label ? label.textContent : "";
    });
    function placeReceived(role) {
      if (!receivedBox || !actualBox) return;
      var received = {};
      if (role) {
        (data.events || []).forEach(function (e) {
          var from = e.anchor ? events[e.anchor] : null;
          if (e.actor === role && from && from.actor !== role && e.anchor !== data.discoveryEvent) received[e.anchor] = true;
        });
      }
      var any = false;
      actualFields.forEach(function (field, i) {
        var input = field.querySelector("input[data-event]");
        var label = field.querySelector("label");
        var id = input ? input.getAttribute("data-event") : "";
        if (received[id]) {
          any = true;
          receivedBox.appendChild(field);
          if (label) label.textContent = T("deadlines.received", { name: eventName(id) });
        } else {
          actualBox.appendChild(field);
          if (label) label.textContent = actualLabels[i];
        }
      });
      receivedBox.hidden = !any;
    }

    /** The inputs back into the URL, so a reload keeps them and a link reproduces them. */
    function syncUrl() {
      var s = logic.emptyIncident();
      s.discovered = discoveredValue() || null;
      s.role = currentRole();
      var inputs = form.querySelectorAll("input[data-event]");
      for (var k = 0; k < inputs.length; k++) {
        if (inputs[k].value) s.actual[inputs[k].getAttribute("data-event")] = inputs[k].value.slice(0, 16);
      }
      var boxes = form.querySelectorAll('input[type="checkbox"][name="condition"]');
      for (var j = 0; j < boxes.length; j++) if (boxes[j].checked) s.conditions.push(boxes[j].value);
      var query = logic.encodeIncident(s);
      query += (query ? "&" : "") + "level=" + encodeURIComponent(levelSelect.value);
      replaceUrl("?" + query + window.location.hash);
    }

    // The result area: a summary (announced), then details that change
    // every 30 seconds and therefore are not announced.
    clear(result);
    var title = el("h2", { id: "calc-title", text: T("script.calc_title") });
    var summary = el("p", { id: "calc-summary", className: "calc-summary" });
    var nextLine = el("p", { id: "calc-next", className: "calc-next", "aria-live": "off" });
    var detail = el("div", { className: "calc-detail", "aria-live": "off" });
    var mineTitle = el("h3", { className: "calc-mine-title" });
    var noneMine = el("p", { className: "calc-none-mine" });
    var tableWrap = el("div", { className: "table-wrap" });
    var othersSummary = el("summary");
    var othersWrap = el("div", { className: "table-wrap" });
    var othersBox = el("details", { className: "calc-others" }, [othersSummary, othersWrap]);
    var timelineWrap = el("div", { className: "timeline-wrap" });
    var ics = el("a", { id: "calc-ics", className: "button", href: "#", download: "incident-deadlines.ics", text: T("script.calc_ics") });
    var actions = el("div", { className: "calc-actions" }, [ics]);
    var icsHelp = el("p", { className: "help", text: T("script.calc_ics_help", { zone: ZONE }) });
    append(detail, [mineTitle, noneMine, tableWrap, othersBox, timelineWrap]);
    result.setAttribute("aria-labelledby", "calc-title");
    // Starting times taken as assumed (the occurrence when not given).
    var startNote = el("p", { id: "calc-starts", className: "assumed" });
    append(result, [title, summary, startNote, nextLine, detail, actions, icsHelp]);

    var last = null; // {facts, rows, mine, others, role}
    var icsUrl = null;
    var conflictBox = $("calc-conflicts");

    /** A sentence from the page's data-* template, with {name} filled in. */
    function phrase(name, values) {
      return (form.getAttribute("data-" + name) || "").replace(/\{([a-z_]+)\}/g, function (all, key) {
        return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all;
      });
    }

    /**
     * Times that contradict each other (logic.conflicts, the CLI's rule):
     * one message per pair, the inputs marked invalid, no result shown.
     */
    function showConflicts(found) {
      var inputs = form.querySelectorAll("input[data-event], #calc-discovered-date, #calc-discovered-time");
      for (var i = 0; i < inputs.length; i++) inputs[i].removeAttribute("aria-invalid");
      if (!conflictBox) return;
      clear(conflictBox);
      conflictBox.hidden = found.length === 0;
      found.forEach(function (c) {
        conflictBox.appendChild(el("p", {
          className: "calc-conflict",
          "data-event": c.event,
          "data-other": c.other,
          text: phrase("conflict-" + c.relation, {
            event: eventName(c.event),
            time: localText(c.timeMs),
            other: eventName(c.other),
            other_time: localText(c.otherMs),
            deadline: c.deadlineMs === null ? "" : localText(c.deadlineMs)
          })
        }));
        // Only filled-in inputs: a deadline's event may have no time given.
        [c.event, c.other].forEach(function (id) {
          var input = form.querySelector('input[data-event="' + id + '"]');
          if (input && input.value) input.setAttribute("aria-invalid", "true");
          if (id === data.discoveryEvent) {
            discoveredDate.setAttribute("aria-invalid", "true");
            discoveredTime.setAttribute("aria-invalid", "true");
          }
        });
      });
    }

    function readFacts() {
      var at = logic.parseTime(discoveredValue(), ZONE);
      if (at === null) return null;
      var conditions = [];
      var boxes = form.querySelectorAll('input[type="checkbox"][name="condition"]');
      for (var i = 0; i < boxes.length; i++) if (boxes[i].checked) conditions.push(boxes[i].value);
      var actual = {};
      var inputs = form.querySelectorAll("input[data-event]");
      for (var j = 0; j < inputs.length; j++) {
        var t = logic.parseTime(inputs[j].value, ZONE);
        if (t !== null) actual[inputs[j].getAttribute("data-event")] = t;
      }
      return { level: levelSelect.value, discovered: at, conditions: conditions, actual: actual };
    }

    function eventName(id) {
      return events[id] ? zh(events[id].name) : id;
    }

    function levelName(level) {
      var l = findBy(data.levels, "id", level);
      return l ? zh(l.name) : T("tree.kind_level");
    }

    function update() {
      var role = currentRole();
      placeReceived(role);
      syncUrl();
      var facts = readFacts();
      result.hidden = false;
      if (!facts) {
        last = null;
        showConflicts([]);
        startNote.hidden = true;
        summary.textContent = T("script.calc_enter_time");
        nextLine.hidden = true;
        detail.hidden = true;
        actions.hidden = true;
        icsHelp.hidden = true;
        return;
      }
      var found = logic.conflicts(data, facts);
      showConflicts(found);
      if (found.length) {
        last = null;
        result.hidden = true;
        return;
      }
      var rows = logic.computeDeadlines(data, facts);
      var split = logic.splitByRole(rows, role);
      last = { facts: facts, rows: rows, mine: split.mine, others: split.others, role: role };
      clear(startNote);
      logic.startTimes(data, facts).forEach(function (st) {
        if (!st.assumed) return;
        startNote.appendChild(el("span", {
          "data-event": st.event,
          text: phrase("start-assumed", { event: eventName(st.event), from: eventName(st.from), time: localText(st.timeMs) })
        }));
      });
      startNote.hidden = !startNote.firstChild;
      detail.hidden = false;
      actions.hidden = false;
      icsHelp.hidden = false;
      var timed = rows.filter(function (r) {
        return r.dueMs !== null && r.dueMs !== undefined;
      });
      summary.textContent = T("script.calc_summary", {
        level: levelName(facts.level),
        discovered: localText(facts.discovered),
        count: rows.length,
        timed: timed.length
      });
      var actor = role ? actors[role] || role : "";
      mineTitle.textContent = role ? T("deadlines.mine_title", { actor: actor }) : "";
      mineTitle.hidden = !role;
      noneMine.textContent = T("deadlines.none_mine", { actor: actor });
      noneMine.hidden = !role || split.mine.length > 0;
      renderTable(tableWrap, "calc-table", split.mine, facts);
      othersBox.hidden = !role || split.others.length === 0;
      othersSummary.textContent = T("deadlines.others_title", { count: split.others.length });
      renderTable(othersWrap, "calc-table-others", role ? split.others : [], facts);
      // Only the reader's own deadlines go into their calendar file.
      renderCalendar(split.mine, facts, role);
      refresh();
    }

    function renderTable(wrap, id, rows, facts) {
      clear(wrap);
      if (!rows.length) return;
      // Explicit roles keep the table semantics when narrow screens lay the
      // rows out as cards (display: block).
      var tbody = el("tbody", { role: "rowgroup" });
      rows.forEach(function (r) {
        var e = events[r.event] || {};
        // td.due holds only the time (or "no set time"); notes go under the name.
        var dueCell = el("td", {
          className: "due",
          role: "cell",
          "data-label": T("common.deadline"),
          text: r.due ? clockText(r.dueMs, Date.now()) : T("duration.unspecified")
        });
        var nameCell = el("th", { scope: "row", role: "rowheader" }, [el("a", { href: "#event-" + r.event, text: eventName(r.event) })]);
        if (r.kind === "right") nameCell.appendChild(el("small", { className: "note", text: T("deadlines.right") }));
        if (r.if_anchor_missed) nameCell.appendChild(el("small", { className: "note missed", text: phrase("missed", { anchor: eventName(r.anchor) }) }));
        if (r.due && r.assumed) nameCell.appendChild(el("small", { className: "assumed", text: T("script.assumed") }));
        var w = e.within ? e.within[String(facts.level)] : undefined;
        if (!r.due && w && w !== "unspecified") {
          nameCell.appendChild(el("small", {
            className: "note",
            text: T("script.anchor_untimed", { anchor: eventName(r.anchor), within: withinZh(w) })
          }));
        }
        if (r.actual) nameCell.appendChild(el("small", { className: "note", text: T("script.done_at", { time: localText(logic.parseTime(r.actual, ZONE)) }) }));
        tbody.appendChild(el("tr", {
          role: "row",
          "data-event": r.event,
          "data-due": r.due || "",
          "data-kind": r.kind
        }, [
          nameCell,
          el("td", { className: "actor", role: "cell", "data-label": T("common.actor"), text: actors[r.actor] || r.actor }),
          dueCell,
          el("td", { className: "remaining", role: "cell", "data-label": T("script.remaining") }),
          el("td", { className: "source", role: "cell", "data-label": T("common.basis") }, src(r.source))
        ]));
      });
      var table = el("table", { id: id, className: "calc-table", role: "table" }, [
        el("caption", { text: T("script.calc_caption", { level: levelName(facts.level), zone: ZONE }) }),
        el("thead", { role: "rowgroup" }, el("tr", { role: "row" }, [
          T("common.item"), T("common.actor"), T("common.deadline"), T("script.remaining"), T("common.basis")
        ].map(function (h) {
          return el("th", { scope: "col", role: "columnheader", text: h });
        }))),
        tbody
      ]);
      wrap.appendChild(table);
    }

    /** Updates what depends on the clock: remaining times, the next deadline, the timeline. */
    function refresh() {
      if (!last) return;
      var now = Date.now();
      var shown = last.mine.concat(last.role ? last.others : []);
      var rows = Array.prototype.slice.call(tableWrap.querySelectorAll("tbody tr"))
        .concat(Array.prototype.slice.call(othersWrap.querySelectorAll("tbody tr")));
      shown.forEach(function (r, i) {
        var tr = rows[i];
        if (!tr) return;
        if (r.due) tr.querySelector("td.due").textContent = clockText(r.dueMs, now);
        var cell = tr.querySelector("td.remaining");
        var state = "";
        var text;
        if (r.actual) {
          var doneAt = logic.parseTime(r.actual, ZONE);
          state = "done";
          text = r.dueMs !== null && doneAt > r.dueMs ? T("script.done_late", { late: duration(doneAt - r.dueMs) }) : T("script.done");
        } else if (r.dueMs === null || r.dueMs === undefined) {
          text = "—";
        } else if (r.kind === "right") {
          text = r.dueMs > now ? T("script.right_in", { left: duration(r.dueMs - now) }) : T("script.right_now");
        } else if (r.dueMs >= now) {
          text = T("script.left", { left: duration(r.dueMs - now) });
          state = r.dueMs - now < 3600000 ? "soon" : "";
        } else {
          text = T("script.overdue_by", { late: duration(now - r.dueMs) });
          state = "overdue";
        }
        cell.textContent = text;
        tr.classList.toggle("overdue", state === "overdue");
        tr.classList.toggle("soon", state === "soon");
        tr.classList.toggle("done", state === "done");
      });
      // "My next deadline": among my own rows only.
      var next = logic.nextDeadline(last.mine, now);
      var overdue = last.mine.filter(function (r) {
        return r.dueMs !== null && r.actual === null && r.kind !== "right" && r.dueMs < now;
      }).length;
      if (next && next.dueMs < now) next = null;
      clear(nextLine);
      nextLine.hidden = false;
      if (next) {
        append(nextLine, [
          T("script.next_before"), el("strong", { text: eventName(next.event) }),
          T("script.next_after", { time: clockText(next.dueMs, now), left: duration(next.dueMs - now) })
        ]);
        if (overdue) nextLine.appendChild(document.createTextNode(T("script.also_overdue", { count: overdue })));
      } else if (overdue) {
        nextLine.textContent = T("script.all_overdue", { count: overdue });
      } else {
        nextLine.hidden = true;
      }
      renderTimeline(last.mine, last.facts, now);
    }

    /**
     * A vertical timeline: time runs downwards along an axis, each due time
     * a dot at its proportional place, labels to the right pushed apart so
     * they never overlap (a leader joins dot and label).
     */
    function renderTimeline(rows, facts, now) {
      clear(timelineWrap);
      var items = rows.filter(function (r) {
        return r.dueMs !== null && r.dueMs !== undefined;
      });
      if (!items.length) return;
      items = items.slice().sort(function (a, b) {
        return a.dueMs - b.dueMs;
      });
      var start = facts.discovered;
      var end = Math.max.apply(null, items.map(function (r) {
        return r.dueMs;
      }));
      if (end <= start) end = start + 3600000;
      var width = Math.max(260, Math.floor(timelineWrap.clientWidth || 600));
      var axisX = 44;
      var labelX = axisX + 30;
      var top = 18;
      var gap = 42;
      var plotH = Math.max(200, (items.length + 1) * 46);
      function y(ms) {
        return top + plotH * Math.min(1, Math.max(0, (ms - start) / (end - start)));
      }
      var marks = [{ name: T("script.timeline_start"), ms: start, cls: "start" }].concat(items.map(function (r) {
        var late = !r.actual && r.kind !== "right" && r.dueMs < now;
        return { name: eventName(r.event) + (r.kind === "right" ? T("script.timeline_right") : ""), ms: r.dueMs, cls: late ? "overdue" : "", late: late };
      }));
      var labelY = [];
      marks.forEach(function (mk, i) {
        var want = y(mk.ms) + 5;
        labelY.push(i === 0 ? want : Math.max(want, labelY[i - 1] + gap));
      });
      var height = Math.ceil(Math.max(top + plotH, labelY[labelY.length - 1] + 20) + 12);
      var titleText = T("script.timeline_label", { start: localText(start), end: localText(end), count: items.length });
      var chart = svg("svg", {
        className: "timeline",
        role: "img",
        "aria-labelledby": "calc-timeline-title",
        width: width,
        height: height,
        viewBox: "0 0 " + width + " " + height
      });
      chart.appendChild(svg("title", { id: "calc-timeline-title", text: titleText }));
      chart.appendChild(svg("line", { className: "axis", x1: axisX, y1: top, x2: axisX, y2: top + plotH }));
      if (now >= start && now <= end) {
        var ny = y(now);
        chart.appendChild(svg("line", { className: "now", x1: 4, y1: ny, x2: axisX + 12, y2: ny }));
        chart.appendChild(svg("text", { className: "now-label", x: 4, y: ny - 5, text: T("deadlines.now") }));
      }
      marks.forEach(function (mk, i) {
        var my = y(mk.ms);
        var ly = labelY[i];
        chart.appendChild(svg("path", {
          className: "leader",
          d: "M" + axisX + " " + my.toFixed(1) + " L" + (labelX - 6) + " " + (ly - 5).toFixed(1)
        }));
        chart.appendChild(svg("circle", { className: "mark " + mk.cls, cx: axisX, cy: my.toFixed(1), r: i === 0 ? 6 : 5 }));
        chart.appendChild(svg("text", { className: "name", x: labelX, y: ly.toFixed(1), "font-weight": "700", text: mk.name }));
        chart.appendChild(svg("text", {
          className: "time",
          x: labelX,
          y: (ly + 17).toFixed(1),
          text: localText(mk.ms) + (mk.late ? T("script.timeline_late") : "")
        }));
      });
      timelineWrap.appendChild(el("h3", { className: "timeline-title", text: T("script.timeline_title") }));
      timelineWrap.appendChild(chart);
    }

    // ---- iCalendar (mirrors src/site/ics.rs; escaping and folding
    // mirror src/site/rfc_text.rs) ----
    function icsUtc(ms) {
      var t = new Date(ms);
      return t.getUTCFullYear() + pad(t.getUTCMonth() + 1) + pad(t.getUTCDate()) + "T" +
        pad(t.getUTCHours()) + pad(t.getUTCMinutes()) + pad(t.getUTCSeconds()) + "Z";
    }

    /** Escapes a TEXT value: backslash, semicolon, comma; CRLF, a bare CR and
     * a bare LF become \n; other control characters but tab are dropped. */
    function icsEscape(s) {
      return String(s).replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,")
        .replace(/\r\n|\r|\n/g, "\\n").replace(/[\x00-\x08\x0B-\x1F\x7F]/g, "");
    }

    function utf8Length(ch) {
      var cp = ch.codePointAt(0);
      return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    /** Folds a content line at 75 octets without splitting a character. */
    function fold(line) {
      var out = "";
      var count = 0;
      for (var ch of line) {
        // No value may end the line early: drop stray control characters.
        if (/[\x00-\x08\x0A-\x1F\x7F]/.test(ch)) continue;
        var len = utf8Length(ch);
        if (count + len > 75) {
          out += "\r\n ";
          count = 1;
        }
        out += ch;
        count += len;
      }
      return out + "\r\n";
    }

    function calendarText(rows, facts) {
      var stamp = icsUtc(facts.discovered);
      var s = "";
      ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//incident-handbook//deadlines//ZH-TW", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
        .forEach(function (l) {
          s += fold(l);
        });
      rows.forEach(function (r) {
        if (r.dueMs === null || r.dueMs === undefined) return;
        var name = eventName(r.event);
        var actor = actors[r.actor] || r.actor;
        var prefix = r.kind === "right" ? T("script.ics_right") : T("script.ics_deadline");
        var desc = T("script.ics_description", {
          actor: actor,
          name: name,
          prefix: prefix,
          time: logic.formatTime(r.dueMs, ZONE),
          zone: ZONE,
          source: r.source
        });
        if (r.assumed) desc += T("script.ics_assumed");
        [
          "BEGIN:VEVENT",
          "UID:" + r.event + "-L" + facts.level + "-" + stamp + "@incident-handbook",
          "DTSTAMP:" + stamp,
          "DTSTART:" + icsUtc(r.dueMs),
          "DTEND:" + icsUtc(r.dueMs),
          "SUMMARY:" + icsEscape(prefix + name),
          "DESCRIPTION:" + icsEscape(desc),
          "BEGIN:VALARM",
          "ACTION:DISPLAY",
          "DESCRIPTION:" + icsEscape(name),
          "TRIGGER:-PT15M",
          "END:VALARM",
          "END:VEVENT"
        ].forEach(function (l) {
          s += fold(l);
        });
      });
      return s + fold("END:VCALENDAR");
    }

    function renderCalendar(rows, facts, role) {
      var text = calendarText(rows, facts);
      var any = rows.some(function (r) {
        return r.dueMs !== null && r.dueMs !== undefined;
      });
      if (icsUrl && window.URL && URL.revokeObjectURL) URL.revokeObjectURL(icsUrl);
      icsUrl = null;
      ics.hidden = !any;
      // Named by the discovery's local date and time in the policy's zone
      // (what the reader entered), not by UTC.
      var local = inputValue(facts.discovered).replace(/[-:]/g, "");
      ics.setAttribute("download", "incident-deadlines-" + local + "-L" + facts.level + (role ? "-" + role : "") + ".ics");
      if (any && window.Blob && window.URL && URL.createObjectURL) {
        icsUrl = URL.createObjectURL(new Blob([text], { type: "text/calendar;charset=utf-8" }));
        ics.href = icsUrl;
      }
    }

    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      update();
    });
    // Today/yesterday set the date in the policy's zone; the time stays the reader's.
    [$("calc-today"), $("calc-yesterday")].forEach(function (button) {
      if (!button) return;
      button.addEventListener("click", function () {
        discoveredDate.value = logic.localDate(Date.now(), Number(button.getAttribute("data-days")), ZONE);
        if (!discoveredTime.value) discoveredTime.focus();
        update();
      });
    });
    var resizeTimer = null;
    window.addEventListener("resize", function () {
      if (resizeTimer) window.clearTimeout(resizeTimer);
      resizeTimer = window.setTimeout(function () {
        if (last) renderTimeline(last.mine, last.facts, Date.now());
      }, 150);
    });
    window.setInterval(refresh, 30000);

    form.hidden = false;
    update();
  }

  // ---- search ----------------------------------------------------------

  function initSearch(form, logic, root) {
    var input = $("search-input");
    var status = $("search-status");
    var list = $("search-results");
    if (!input || !status || !list) return;
    var index = window.HANDBOOK_SEARCH;
    if (!index || !index.docs || !index.terms) {
      status.textContent = T("script.search_missing");
      return;
    }
    form.hidden = false;

    var lastQuery = null;
    function run() {
      var q = input.value;
      var trimmed = q.trim();
      if (trimmed === lastQuery) return;
      lastQuery = trimmed;
      clear(list);
      replaceUrl(trimmed ? "?q=" + encodeURIComponent(trimmed) : window.location.pathname.split("/").pop());
      if (!trimmed) {
        status.textContent = "";
        return;
      }
      var hits = logic.search(index, trimmed, 30);
      status.textContent = hits.length ? T("script.search_found", { count: hits.length }) : T("script.search_none");
      hits.forEach(function (h) {
        var ex = logic.excerpt(h.text || "", (h.matched || []).concat([trimmed]), 60, index.synonyms);
        // A section's result names its page and heading: page › heading.
        var label = h.heading ? T("search.trail", { page: h.title, heading: h.heading }) : h.title;
        list.appendChild(el("li", null, [
          el("a", { href: root + h.url, text: label }),
          el("p", null, [ex.before, ex.match ? el("mark", { text: ex.match }) : null, ex.after])
        ]));
      });
    }

    input.addEventListener("input", run);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      lastQuery = null;
      run();
    });
    var q = queryParam("q");
    if (q) {
      input.value = q;
      run();
    }
  }

  // ---- agencies filter -------------------------------------------------

  function initAgencies(wrap) {
    var input = $("agency-filter");
    var table = $("agency-table");
    var count = $("agency-count");
    if (!input || !table) return;
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    // The synonym table (data.js) folds variants (臺/台) and expands a
    // query through its groups, as the search does: a row matches when
    // every clause of the query has an alternative the row contains.
    var logic = window.HandbookLogic;
    var synonyms = (window.HANDBOOK_DATA && window.HANDBOOK_DATA.synonyms) || null;
    function nfkc(s) {
      s = String(s || "");
      return s.normalize ? s.normalize("NFKC") : s;
    }
    function norm(s) {
      s = nfkc(s);
      s = logic ? logic.normaliseText(s, synonyms) : s.toLowerCase();
      return s.replace(/\s+/g, "");
    }
    var texts = rows.map(function (r) {
      return norm(r.textContent);
    });
    function clausesOf(value) {
      var clauses = logic ? logic.expandQuery(nfkc(value), synonyms) : [[value]];
      return clauses.map(function (c) {
        return c.map(norm).filter(function (alt) { return alt; });
      }).filter(function (c) { return c.length; });
    }
    function filter() {
      var q = norm(input.value);
      var clauses = clausesOf(input.value);
      var shown = 0;
      rows.forEach(function (r, i) {
        var match = !q || clauses.every(function (c) {
          return c.some(function (alt) { return texts[i].indexOf(alt) >= 0; });
        });
        r.hidden = !match;
        if (match) shown++;
      });
      if (count) {
        count.textContent = !q ? T("script.agencies_all", { total: rows.length }) :
          shown ? T("script.agencies_shown", { shown: shown, total: rows.length }) : T("script.agencies_none", { query: input.value.trim() });
      }
    }
    input.addEventListener("input", filter);
    var form = input.form;
    if (form) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
      });
    }
    wrap.hidden = false;
    var q = queryParam("q");
    if (q) input.value = q;
    filter();
  }

  // ---- scrolling tables -----------------------------------------------

  /**
   * Tables wider than the screen scroll inside their wrapper; make such a
   * wrapper reachable by keyboard (and named) only while it does scroll.
   */
  function initScrollers() {
    function mark() {
      var boxes = document.querySelectorAll(".table-wrap");
      for (var i = 0; i < boxes.length; i++) {
        var box = boxes[i];
        var scrolls = box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== "visible";
        if (scrolls && !box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0");
          box.setAttribute("data-scroller", "");
          if (box.tagName !== "TABLE") {
            var caption = box.querySelector("caption");
            box.setAttribute("role", "region");
            box.setAttribute("aria-label", (caption ? caption.textContent.trim() + T("common.colon") : "") + T("script.table_scrolls"));
          }
        } else if (!scrolls && box.hasAttribute("data-scroller")) {
          box.removeAttribute("tabindex");
          box.removeAttribute("data-scroller");
          if (box.tagName !== "TABLE") {
            box.removeAttribute("role");
            box.removeAttribute("aria-label");
          }
        }
      }
    }
    mark();
    var timer = null;
    window.addEventListener("resize", function () {
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(mark, 200);
    });
    return mark;
  }

  // ---- start -----------------------------------------------------------

  function start() {
    var data = window.HANDBOOK_DATA;
    var logic = window.HandbookLogic;
    var root = siteRoot();

    var parts = [
      function () {
        var app = $("tree-app");
        if (app && data && logic) initTree(app, data, root);
      },
      function () {
        var form = $("calculator");
        if (form && data && logic) initCalculator(form, data, logic);
      },
      function () {
        var form = $("search-form");
        if (form && logic) initSearch(form, logic, root);
      },
      function () {
        var wrap = $("agency-filter-wrap");
        if (wrap) initAgencies(wrap);
      },
      initScrollers
    ];
    // One part failing must not take the others down; the static page stays usable.
    parts.forEach(function (part) {
      try {
        part();
      } catch (e) {
        if (window.console && console.warn) console.warn("handbook.js:", e);
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
