(() => {
  "use strict";
  // Highlights name the claims they support in data-claims (innermost first). Each claim's card is
  // built from the JSON data block with textContent only: nothing here turns data into markup.
  const popup = document.getElementById("popup");
  const claims = JSON.parse(document.getElementById("claims-data").textContent);
  let pinned = null;
  let shown = null; // the highlight whose cards the popup shows

  const partsOf = (id) => document.querySelectorAll('mark[data-claims~="' + CSS.escape(id) + '"]');
  const claimIds = (mark) => (mark.dataset.claims || "").split(" ").filter(Boolean);

  function flash(elements) {
    for (const element of elements) {
      element.classList.remove("flash");
      void element.offsetWidth; // restart the animation
      element.classList.add("flash");
    }
  }

  function place(anchor) {
    const box = anchor.getBoundingClientRect();
    const width = popup.offsetWidth;
    const height = popup.offsetHeight;
    const left = Math.max(8, Math.min(box.left, window.innerWidth - width - 8));
    const below = box.bottom + 6;
    const top = below + height > window.innerHeight - 8 ? Math.max(8, box.top - height - 6) : below;
    popup.style.left = left + "px";
    popup.style.top = top + "px";
  }

  function element(tag, className, text) {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  function card(id) {
    const claim = claims[id];
    if (!claim) return null;
    const box = element("div", "card k-" + claim.kind + (claim.flagged ? " flagged" : ""));
    const head = element("div", "card-head");
    head.append(element("span", "kind", claim.label));
    if (claim.status) head.append(element("span", "st st-" + claim.status, claim.status));
    if (claim.verdict) head.append(element("span", "verdict verdict-" + claim.verdictClass, claim.verdict));
    const rows = element("dl");
    for (const [label, value] of claim.rows) {
      rows.append(element("dt", "", label), element("dd", label === "Verdict" ? "verdict-text" : "", value));
    }
    const back = element("button", "to-claim", "Show in the " + claim.back);
    back.type = "button";
    back.dataset.back = id;
    box.append(head, rows, back);
    return box;
  }

  function show(mark) {
    const cards = claimIds(mark).map(card).filter(Boolean);
    if (!cards.length) return;
    popup.replaceChildren(...cards);
    popup.hidden = false;
    shown = mark;
    place(mark);
  }

  function hide() {
    popup.hidden = true;
    popup.replaceChildren();
    shown = null;
  }

  function unpin() {
    if (pinned) pinned.classList.remove("pinned");
    pinned = null;
    for (const row of document.querySelectorAll(".claim.peer")) row.classList.remove("peer");
  }

  function goToSource(id) {
    const anchor = document.getElementById("src-" + id);
    if (!anchor) return;
    unpin();
    hide();
    const parts = partsOf(id);
    (parts[0] || anchor).scrollIntoView({ block: "center", inline: "nearest" });
    flash(parts);
  }

  function goToClaim(id) {
    const row = document.getElementById("claim-" + id);
    if (!row) return;
    unpin();
    hide();
    row.scrollIntoView({ block: "center", inline: "nearest" });
    flash([row]);
  }

  function peers(id, on) {
    for (const part of partsOf(id)) part.classList.toggle("peer", on);
  }

  document.addEventListener("mouseover", (event) => {
    const mark = event.target.closest("mark[data-claims]");
    if (mark && !pinned) show(mark);
    const claim = event.target.closest(".claim[data-goto]");
    if (claim) peers(claim.dataset.goto, true);
  });

  document.addEventListener("mouseout", (event) => {
    const mark = event.target.closest("mark[data-claims]");
    if (mark && !pinned && !(event.relatedTarget && popup.contains(event.relatedTarget))) hide();
    const claim = event.target.closest(".claim[data-goto]");
    if (claim && !(event.relatedTarget && claim.contains(event.relatedTarget))) peers(claim.dataset.goto, false);
  });

  document.addEventListener("click", (event) => {
    const back = event.target.closest("[data-back]");
    if (back) {
      event.preventDefault();
      goToClaim(back.dataset.back);
      return;
    }
    const claim = event.target.closest("[data-goto]");
    if (claim) {
      event.preventDefault();
      goToSource(claim.dataset.goto);
      return;
    }
    const mark = event.target.closest("mark[data-claims]");
    if (mark) {
      unpin();
      pinned = mark;
      mark.classList.add("pinned");
      for (const id of claimIds(mark)) {
        const row = document.getElementById("claim-" + id);
        if (row) row.classList.add("peer");
      }
      show(mark);
      return;
    }
    if (!popup.contains(event.target)) {
      unpin();
      hide();
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      unpin();
      hide();
    }
  });

  window.addEventListener(
    "scroll",
    () => {
      // A pinned popup follows its highlight; a hover popup too while the pointer is still on it.
      if (shown && (shown === pinned || shown.matches(":hover"))) place(shown);
      else if (shown) hide();
    },
    { passive: true, capture: true },
  );
})();
