// The caregiver's day on a phone. Check-in and check-out are queued on the device (laoxiao/queue.js) with
// the time they happened and an id of their own, then sent in order; a lost connection only delays
// them, and sending one twice records it once. The location comes from the browser when it can.
(function () {
  const root = document.getElementById("caregiver-day");
  if (!root) return;
  function state() {
    const box = document.getElementById("sync-state");
    const n = queue.items.length;
    box.textContent = n ? root.dataset.offlineText.replace("{n}", n) : root.dataset.sentText;
    box.classList.toggle("pending", n > 0);
  }
  function card(orderId) { return root.querySelector('article[data-order="' + orderId + '"]'); }
  function show(article, status) {
    article.dataset.status = status;
    article.querySelector(".check-in").hidden = status !== "accepted";
    article.querySelector(".check-out-box").hidden = status !== "in_service";
  }
  const queue = window.laoxiaoQueue("laoxiao-caregiver-queue", {
    csrf: root.querySelector("[name=csrfmiddlewaretoken]").value,
    url: (action) => action.url,
    body: (action) => action.body,
    refused(action, errors) {
      const article = card(action.order);
      if (article) {  // refused: back to what the server last confirmed, with the reason
        delete article.dataset.pending;
        show(article, article.dataset.confirmed);
        article.querySelector(".error").textContent = Object.values(errors).flat().join(" ");
      }
    },
    sent(action, result) {
      const article = card(action.order);
      if (article) {
        article.dataset.confirmed = result.status;
        show(article, result.status);
        article.querySelector(".state").textContent = result.flags.length ? result.flags.join("，") : "✔";
      }
    },
    changed: () => state(),
  });
  // What a queued action means on screen, before and after it reaches the server.
  queue.items.forEach((action) => { const a = card(action.order); if (a) show(a, action.next); });

  function locate() {
    return new Promise((resolve) => {
      if (!navigator.geolocation) return resolve({});
      navigator.geolocation.getCurrentPosition(
        (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude }),
        () => resolve({}),
        { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 },
      );
    });
  }

  async function act(article, url, next, extra) {
    // A second tap while the first is still finding the location is the same action: queue it once.
    if (article.dataset.pending === next) return;
    article.dataset.pending = next;
    const stamp = new Date().toISOString();
    document.getElementById("sync-state").textContent = root.dataset.locatingText;
    const where = await locate();
    const id = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).slice(0, 40);
    show(article, next);
    queue.push({ order: article.dataset.order, url: url, next: next,
                 body: Object.assign({ device_at: stamp, client_action: id }, where, extra) });
  }

  root.querySelectorAll("article.visit").forEach((article) => {
    article.querySelector(".check-in").addEventListener("click", () => act(article, article.dataset.checkIn, "in_service", {}));
    article.querySelector(".check-out").addEventListener("click", () => {
      const tasks = Array.from(article.querySelectorAll(".task input[type=checkbox]:checked:not(.confirmed)")).map((i) => i.value);
      const confirmed = article.querySelector(".confirmed").checked;
      const warning = article.querySelector("[data-test=check-out-warning]");
      // A tap with nothing ticked is more often a slip than a visit without service: ask once more.
      if ((tasks.length === 0 || !confirmed) && warning.hidden) {
        warning.hidden = false;
        return;
      }
      warning.hidden = true;
      act(article, article.dataset.checkOut, "completed", {
        tasks_done: tasks,
        notes: article.querySelector(".notes").value,
        recipient_confirmed: confirmed,
      });
    });
  });
  state();
  queue.flush();
})();
