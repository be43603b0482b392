// Layer toggles: switch a layer's marks on and off without reloading the page.
// Without JavaScript the same checkboxes submit the form and the server renders the layers.
"use strict";

function syncLayer(box, text) {
  const name = box.dataset.layer;
  text.classList.toggle("show-" + name, box.checked);
  const selector = { actors: "a.mention", techniques: "mark.tech[tabindex]" }[name];
  if (selector) {
    // Marks of a hidden layer leave the tab order; a shown layer's are reachable again.
    text.querySelectorAll(selector).forEach((el) => {
      if (box.checked) {
        if (el.dataset.tabindex !== undefined) { el.setAttribute("tabindex", el.dataset.tabindex); }
        else if (name === "actors") { el.removeAttribute("tabindex"); }
      } else {
        if (el.hasAttribute("tabindex") && el.dataset.tabindex === undefined) {
          el.dataset.tabindex = el.getAttribute("tabindex");
        }
        el.setAttribute("tabindex", "-1");
      }
    });
  }
}

function rememberLayers(form) {
  const url = new URL(window.location.href);
  url.searchParams.delete("layer");
  url.searchParams.set("layers", "1");
  form.querySelectorAll("input[data-layer]:checked").forEach((box) => {
    url.searchParams.append("layer", box.dataset.layer);
  });
  window.history.replaceState(null, "", url);
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.layers");
  const text = document.getElementById("article-text");
  if (!form || !text) { return; }
  form.classList.add("enhanced");
  form.querySelectorAll("input[data-layer]").forEach((box) => {
    syncLayer(box, text);
    box.addEventListener("change", () => {
      syncLayer(box, text);
      rememberLayers(form);
    });
  });
});
