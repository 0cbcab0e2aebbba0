// The on-site assessment form. Every change is queued on the device (localStorage) and sent in order;
// a lost connection only delays sending, and a reload puts unsent answers back on the page.
(function () {
  const root = document.getElementById("assessment-form");
  if (!root) return;
  const key = "laoxiao-assessment-" + root.dataset.id;
  const first = root.dataset.first === "1";
  const csrf = document.querySelector("[name=csrfmiddlewaretoken]").value;
  const state = JSON.parse(document.getElementById("initial-state").textContent);
  let queue = JSON.parse(localStorage.getItem(key) || "[]");
  let sending = false;

  function persist() { localStorage.setItem(key, JSON.stringify(queue)); }
  function itemBox(code) { return root.querySelector('fieldset[data-item="' + CSS.escape(code) + '"]'); }
  function setAnswer(code, value) {
    const box = itemBox(code);
    if (!box) return;
    box.querySelectorAll("input[type=radio]").forEach((r) => { r.checked = r.value === String(value); });
  }

  function progress() {
    const answered = root.querySelectorAll("fieldset.item input[type=radio]:checked").length;
    document.getElementById("progress").value = answered;
    document.getElementById("progress-text").textContent = answered + " / " + root.dataset.total;
    const stateBox = document.getElementById("save-state");
    stateBox.textContent = queue.length ? root.dataset.offlineText.replace("{n}", queue.length) : root.dataset.savedText;
    stateBox.classList.toggle("pending", queue.length > 0);
    document.getElementById("sign").disabled = queue.length > 0 || (first && answered < Number(root.dataset.total));
  }

  function showErrors(errors) {
    Object.entries(errors).forEach(([code, messages]) => {
      const box = itemBox(code);
      const target = box ? box.querySelector(".item-error") : document.getElementById("save-state");
      target.textContent = [].concat(messages).join(" ");
    });
  }

  async function flush() {
    if (sending) return;
    sending = true;
    try {
      while (queue.length) {
        const response = await fetch(root.dataset.saveUrl, {
          method: "POST", headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
          body: JSON.stringify(queue[0]), credentials: "same-origin",
        });
        if (response.status === 422 || response.status === 400) showErrors((await response.json()).errors);
        else if (!response.ok) throw new Error("HTTP " + response.status);
        queue.shift();
        persist();
        progress();
      }
    } catch (e) {
      // offline or server unreachable: the queue stays on the device and is retried
    } finally {
      sending = false;
      progress();
    }
  }

  function send(payload) { queue.push(payload); persist(); progress(); flush(); }

  Object.entries(state.answers || {}).forEach(([code, value]) => setAnswer(code, value));
  queue.forEach((p) => Object.entries(p.answers || {}).forEach(([code, value]) => setAnswer(code, value)));

  if (first) {
    root.querySelectorAll("fieldset.item input[type=radio]").forEach((radio) => {
      radio.addEventListener("change", () => {
        radio.closest("fieldset").querySelector(".item-error").textContent = "";
        send({ answers: { [radio.name]: radio.value } });
      });
    });
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
          send({ answers: {}, basic: { [code]: multiple ? chosen : chosen[0] || "" } });
        });
      });
    });
    const events = state.risk_events || {};
    root.querySelectorAll("select.risk").forEach((s) => { s.value = String(events[s.dataset.type] || 0); });
    const adjustments = () => {
      const risk = {};
      root.querySelectorAll("select.risk").forEach((s) => { risk[s.dataset.type] = Number(s.value); });
      send({ answers: {}, dementia: document.getElementById("dementia").checked, risk_events: risk });
    };
    root.querySelectorAll("select.risk, #dementia").forEach((el) => el.addEventListener("change", adjustments));
  } else {
    Object.entries(state.opinions || {}).forEach(([code, o]) => {
      const box = itemBox(code);
      if (box) box.querySelector(".opinion-state").textContent = o.agree ? "✔" : "✘ " + o.value;
    });
    root.querySelectorAll("fieldset.item").forEach((box) => {
      const item = box.dataset.item;
      box.querySelector(".agree").addEventListener("click", () => {
        box.querySelector(".opinion-state").textContent = "✔";
        send({ opinion: { item: item, agree: true } });
      });
      box.querySelector(".disagree").addEventListener("click", () => {
        const value = box.querySelector(".own-value").value;
        box.querySelector(".opinion-state").textContent = "✘ " + value;
        send({ opinion: { item: item, agree: false, value: value, note: box.querySelector(".note").value } });
      });
    });
  }
  // One item per screen: the same fieldsets, shown one at a time; the choice is kept on the device.
  const steps = Array.from(root.querySelectorAll("fieldset.item"));
  let step = 0;
  function showStep() {
    const on = document.getElementById("step-mode").checked;
    root.querySelector(".step-nav").hidden = !on;
    root.classList.toggle("stepping", on);
    steps.forEach((box, i) => { box.hidden = on && i !== step; });
    document.getElementById("step-label").textContent = (step + 1) + " / " + steps.length;
  }
  const stepToggle = document.getElementById("step-mode");
  stepToggle.checked = localStorage.getItem("laoxiao-step-mode") === "1";
  stepToggle.addEventListener("change", () => {
    localStorage.setItem("laoxiao-step-mode", stepToggle.checked ? "1" : "0");
    showStep();
  });
  document.getElementById("step-prev").addEventListener("click", () => { step = Math.max(0, step - 1); showStep(); });
  document.getElementById("step-next").addEventListener("click", () => { step = Math.min(steps.length - 1, step + 1); showStep(); });
  if (first) {
    steps.forEach((box, i) => box.querySelectorAll("input[type=radio]").forEach((radio) => radio.addEventListener("change", () => {
      if (stepToggle.checked && i === step && step < steps.length - 1) { step += 1; setTimeout(showStep, 250); }
    })));
  }
  showStep();

  window.addEventListener("online", flush);
  setInterval(flush, 10000);
  progress();
  flush();
})();
