/*
 * The report worksheet (report.html): pre-fills the form from the incident
 * state (its own query, in the one state format of incident-state.js, else
 * the state this device saved for this rule set), and writes the report as
 * text: the script to read out on the phone or fax when the portal is down,
 * and what "copy as text" puts on the clipboard for an e-mail.
 *
 * Without it the page is a blank form to print. It must never send
 * anything anywhere, write the state, hold a word of interface text (the
 * words are data.text.report) or name an id of a policy.
 */
(function () {
  "use strict";

  var data = window.HANDBOOK_DATA;
  var L = window.HandbookLogic;
  var form = document.getElementById("report-form");
  if (!data || !L || !form || !L.decodeIncident) return;

  function T(key, values) {
    var node = data.text;
    key.split(".").forEach(function (k) {
      node = node && typeof node === "object" ? node[k] : undefined;
    });
    var s = typeof node === "string" ? node : "";
    Object.keys(values || {}).forEach(function (name) {
      s = s.split("{" + name + "}").join(String(values[name]));
    });
    return s;
  }

  function all(selector) {
    return Array.prototype.slice.call(form.querySelectorAll(selector));
  }

  /** The state of this page's query, else the one this device saved. */
  function savedState() {
    if (location.search.length > 1) return L.decodeIncident(location.search);
    try {
      var stored = window.localStorage.getItem("handbook-incident:" + data.digest);
      if (stored) return L.decodeIncident(stored);
    } catch (e) {
      // Storage may be off (private mode, file:// rules): start blank.
    }
    return L.emptyIncident();
  }

  function fill(state) {
    var byId = L.answersById(state);
    if (state.discovered) form.elements.d.value = state.discovered;
    if (state.role && form.elements.role) form.elements.role.value = state.role;
    all("select[data-question]").forEach(function (select) {
      var q = select.getAttribute("data-question");
      if (byId[q]) select.value = byId[q];
    });
    all("input[data-unsure]").forEach(function (box) {
      box.checked = state.unsure.indexOf(box.getAttribute("data-unsure")) >= 0;
    });
    all("input[data-event]").forEach(function (input) {
      var id = input.getAttribute("data-event");
      if (state.actual[id]) input.value = state.actual[id];
    });
    var result = L.evaluate(data, L.answerSlots(data, byId));
    if (result.status === "level") form.elements.level.value = String(result.level);
  }

  /** The label text of a form control. */
  function labelOf(control) {
    var label = control.id ? document.querySelector("label[for='" + control.id + "']") : null;
    return label ? label.textContent.trim() : "";
  }

  function shown(value) {
    return value ? value : T("report.script_blank");
  }

  function selectedText(select) {
    var o = select.options[select.selectedIndex];
    return select.value && o ? o.textContent.trim() : "";
  }

  function contact(kind) {
    var input = form.querySelector("[data-contact='" + kind + "']");
    return input ? input.value.trim() : "";
  }

  /** The report as lines of text, in the order of the form. */
  function reportText() {
    var lines = [
      T("report.script_intro", {
        person: shown(contact("person")),
        unit: shown(contact("unit")),
        phone: shown(contact("tel")),
        email: shown(contact("mail"))
      }),
      ""
    ];
    var line = function (label, value) {
      lines.push(T("report.script_line", { label: label, value: shown(value) }));
    };
    line(labelOf(form.elements.d), form.elements.d.value.replace("T", " "));
    if (form.elements.role) line(labelOf(form.elements.role), selectedText(form.elements.role));
    line(labelOf(form.elements.level), selectedText(form.elements.level));
    all("textarea[data-item]").forEach(function (area) {
      line(labelOf(area), area.value.trim());
    });
    lines.push("");
    all("select[data-question]").forEach(function (select) {
      var q = select.getAttribute("data-question");
      var unsure = form.querySelector("input[data-unsure='" + q + "']");
      var answer = selectedText(select);
      if (answer && unsure && unsure.checked) answer += T("report.unsure_marked");
      line(labelOf(select), answer);
    });
    var times = all("input[data-event]").filter(function (i) { return i.value; });
    if (times.length) lines.push("");
    times.forEach(function (input) {
      line(labelOf(input), input.value.replace("T", " "));
    });
    return lines.join("\n");
  }

  var text = document.getElementById("report-text");
  var status = document.getElementById("report-status");

  /**
   * What prints: each choice list marks the chosen option, and a time
   * field with no value prints as a blank line (the browser's own empty
   * date pattern is not the reader's).
   */
  function markChoices() {
    Array.prototype.slice.call(document.querySelectorAll(".print-choices")).forEach(function (list) {
      var select = document.getElementById(list.getAttribute("data-for"));
      Array.prototype.slice.call(list.children).forEach(function (li) {
        li.classList.toggle("chosen", !!select && select.value !== "" && li.getAttribute("data-value") === select.value);
      });
    });
    all("input[type='datetime-local']").forEach(function (input) {
      input.classList.toggle("has-value", input.value !== "");
    });
  }

  function update() {
    text.value = reportText();
    markChoices();
  }

  function copied(ok) {
    status.textContent = ok ? T("report.copied") : T("report.copy_select");
  }

  /** The clipboard when the browser offers it, else the selected text. */
  function copy() {
    update();
    var fallback = function () {
      text.focus();
      text.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      copied(ok);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text.value).then(function () { copied(true); }, fallback);
    } else {
      fallback();
    }
  }

  fill(savedState());
  update();
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  document.getElementById("report-copy").addEventListener("click", copy);
  document.getElementById("report-print").addEventListener("click", function () { window.print(); });
  document.getElementById("report-text-wrap").hidden = false;
})();
