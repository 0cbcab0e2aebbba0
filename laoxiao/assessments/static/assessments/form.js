// The on-site assessment form. Every change is queued on the device (laoxiao/queue.js) and sent in order;
// a lost connection only delays sending, and a reload puts saved and unsent answers back on the page.
// One part of the form is shown at a time, and within it one item is open: answered items fold to a
// line with their answer, so the form stays short on a phone.
(function () {
  const root = document.getElementById("assessment-form");
  if (!root) return;
  const key = "laoxiao-assessment-" + root.dataset.id;
  const first = root.dataset.first === "1";
  const state = JSON.parse(document.getElementById("initial-state").textContent);
  const text = (name) => root.dataset[name + "Text"];
  const queue = window.laoxiaoQueue(key, {
    csrf: document.querySelector("[name=csrfmiddlewaretoken]").value,
    url: () => root.dataset.saveUrl,
    body: (payload) => payload,
    refused: (_payload, errors) => showErrors(errors),
    changed: () => progress(),
    every: 10000,
  });

  // What the page shows: the server's state with the unsent changes of this device on top.
  const answers = Object.assign({}, state.answers || {});
  const opinions = Object.assign({}, state.opinions || {});
  queue.items.forEach((p) => {
    Object.assign(answers, p.answers || {});
    if (p.opinion) opinions[p.opinion.item] = p.opinion;
  });

  const items = Array.from(root.querySelectorAll("fieldset.item"));
  const sections = Array.from(root.querySelectorAll("[data-section]"));
  const tabs = Array.from(root.querySelectorAll("[data-tab]"));
  // An opinion given on an answer the first assessor has since changed is to be given again.
  const done = (box) => {
    const value = (first ? answers : opinions)[box.dataset.item];
    return value !== undefined && !(value && value.reconfirm);
  };
  const sectionOf = (box) => box.closest("[data-section]");

  function itemBox(code) { return root.querySelector('fieldset[data-item="' + CSS.escape(code) + '"]'); }
  function pointsOf(box, value) {
    const radio = Array.from(box.querySelectorAll("input[type=radio]")).find((r) => r.value === String(value));
    return radio ? text("points").replace("{n}", radio.dataset.points) : String(value);
  }

  // The folded line of an item: the answer (the first assessor's, for the second) and the opinion.
  function summary(box) {
    const code = box.dataset.item;
    let line = answers[code] !== undefined ? pointsOf(box, answers[code]) : text("unanswered");
    if (!first) {
      const o = opinions[code];
      line += " · " + (!o ? text("unconfirmed") : o.reconfirm ? "⟳ " + text("reconfirm") : o.agree ? "✔ " + text("agreed") : "✘ " + text("disagreed") + " " + pointsOf(box, o.value));
    }
    box.querySelector(".chosen").textContent = line;
    box.classList.toggle("done", done(box));
    box.classList.toggle("reconfirm", !first && Boolean(opinions[code] && opinions[code].reconfirm));
  }

  function open(box) {
    items.forEach((b) => {
      b.classList.toggle("open", b === box);
      b.querySelector(".item-head").setAttribute("aria-expanded", String(b === box));
    });
  }

  function showTab(name) {
    sections.forEach((s) => { s.hidden = s.dataset.section !== name; });
    tabs.forEach((t) => {
      t.classList.toggle("current", t.dataset.tab === name);
      t.setAttribute("aria-current", t.dataset.tab === name ? "true" : "false");
    });
    localStorage.setItem(key + "-tab", name);
    const section = sections.find((s) => s.dataset.section === name);
    const next = items.find((b) => sectionOf(b) === section && !done(b));
    if (next) open(next);
  }

  // After an answer: the next item of the part still to do opens.
  function advance(box) {
    summary(box);
    const next = items.find((b) => sectionOf(b) === sectionOf(box) && !done(b));
    open(next || null);
    if (next) next.scrollIntoView({ block: "nearest" });
  }

  function progress() {
    const count = items.filter(done).length;
    document.getElementById("progress").value = count;
    document.getElementById("progress-text").textContent = count + " / " + root.dataset.total;
    tabs.forEach((t) => {
      const section = sections.find((s) => s.dataset.section === t.dataset.tab);
      const own = items.filter((b) => sectionOf(b) === section);
      const counter = t.querySelector(".tab-count");
      if (counter) counter.textContent = own.filter(done).length + "/" + own.length;
      t.classList.toggle("complete", own.length > 0 && own.every(done));
    });
    const stateBox = document.getElementById("save-state");
    const unsent = queue.items.length;
    stateBox.textContent = unsent ? text("offline").replace("{n}", unsent) : text("saved");
    stateBox.classList.toggle("pending", unsent > 0);
    // The first assessor signs a complete form; the second, once every item has their opinion.
    document.getElementById("sign").disabled = unsent > 0 || count < Number(root.dataset.total);
  }

  function showErrors(errors) {
    Object.entries(errors).forEach(([code, messages]) => {
      const box = itemBox(code);
      const target = box ? box.querySelector(".item-error") : document.getElementById("save-state");
      target.textContent = [].concat(messages).join(" ");
      if (box && box.matches("fieldset.item")) open(box);
    });
  }

  items.forEach((box) => {
    const code = box.dataset.item;
    box.querySelectorAll("input[type=radio]").forEach((r) => { r.checked = r.value === String(answers[code]); });
    box.querySelector(".item-head").addEventListener("click", () => open(box.classList.contains("open") ? null : box));
    summary(box);
  });

  if (first) {
    items.forEach((box) => box.querySelectorAll("input[type=radio]").forEach((radio) => {
      radio.addEventListener("change", () => {
        box.querySelector(".item-error").textContent = "";
        answers[radio.name] = radio.value;
        queue.push({ answers: { [radio.name]: radio.value } });
        advance(box);
      });
    }));
    // Appendix A: single choices as radios, multiple ones as check boxes; each change saves the element.
    const basic = state.basic || {};
    root.querySelectorAll("fieldset.basic").forEach((box) => {
      const code = box.dataset.basic;
      const multiple = box.dataset.multiple === "1";
      const saved = [].concat(basic[code] || []);
      box.querySelectorAll("input").forEach((input) => {
        input.checked = saved.includes(input.value);
        input.addEventListener("change", () => {
          const chosen = Array.from(box.querySelectorAll("input:checked")).map((i) => i.value);
          queue.push({ answers: {}, basic: { [code]: multiple ? chosen : chosen[0] || "" } });
        });
      });
    });
    const events = state.risk_events || {};
    root.querySelectorAll("select.risk").forEach((s) => { s.value = String(events[s.dataset.type] || 0); });
    const adjustments = () => {
      const risk = {};
      root.querySelectorAll("select.risk").forEach((s) => { risk[s.dataset.type] = Number(s.value); });
      queue.push({ answers: {}, dementia: document.getElementById("dementia").checked, risk_events: risk });
    };
    root.querySelectorAll("select.risk, #dementia").forEach((el) => el.addEventListener("change", adjustments));
  } else {
    items.forEach((box) => {
      const item = box.dataset.item;
      const own = box.querySelector(".disagree-box");
      const opinion = (o) => { opinions[item] = o; queue.push({ opinion: o }); own.hidden = true; advance(box); };
      if (opinions[item] && !opinions[item].agree) own.querySelector(".own-value").value = opinions[item].value;
      box.querySelector(".agree").addEventListener("click", () => opinion({ item: item, agree: true }));
      box.querySelector(".open-disagree").addEventListener("click", () => { own.hidden = !own.hidden; });
      box.querySelector(".disagree").addEventListener("click", () => opinion({
        item: item, agree: false, value: own.querySelector(".own-value").value, note: own.querySelector(".note").value,
      }));
    });
  }

  tabs.forEach((t) => t.addEventListener("click", () => showTab(t.dataset.tab)));
  const remembered = localStorage.getItem(key + "-tab");
  const unfinished = sections.find((s) => items.some((b) => sectionOf(b) === s && !done(b)));
  showTab(tabs.some((t) => t.dataset.tab === remembered) ? remembered : (unfinished || sections[0]).dataset.section);

  progress();
  queue.flush();
})();
