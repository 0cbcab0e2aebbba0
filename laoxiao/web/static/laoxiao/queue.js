// The one offline queue, for the pages used where the signal comes and goes (the caregiver's day, the
// on-site assessment form). Actions are kept on the device (localStorage) and sent in order; a lost
// connection only delays them. A refusal (400 or 422) is handed back with its errors and dropped, so one
// bad action never blocks those after it; any other failure keeps the queue to be tried again.
window.laoxiaoQueue = function (key, options) {
  const items = JSON.parse(localStorage.getItem(key) || "[]");
  let sending = false;

  function persist() { localStorage.setItem(key, JSON.stringify(items)); }

  async function flush() {
    if (sending) return;
    sending = true;
    try {
      while (items.length) {
        const item = items[0];
        const response = await fetch(options.url(item), {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": options.csrf },
          body: JSON.stringify(options.body(item)),
        });
        if (response.status === 422 || response.status === 400) {
          options.refused(item, (await response.json()).errors || {});
        } else if (!response.ok) {
          throw new Error("HTTP " + response.status);
        } else if (options.sent) {
          options.sent(item, await response.json());
        }
        items.shift();
        persist();
        options.changed();
      }
    } catch (e) {
      // offline or server unreachable: the queue stays on the device and is retried
    } finally {
      sending = false;
      options.changed();
    }
  }

  window.addEventListener("online", flush);
  setInterval(flush, options.every || 15000);
  return {
    items: items,
    push(item) { items.push(item); persist(); options.changed(); flush(); },
    flush: flush,
  };
};
