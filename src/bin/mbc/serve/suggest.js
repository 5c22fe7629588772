// Suggestions for the word being typed, from /api/suggest, offered through the search box's
// datalist. The page works without this script; it only adds completions.
"use strict";
const input = document.getElementById("q");
const list = document.getElementById("suggestions");
let pending;
input.addEventListener("input", () => {
  clearTimeout(pending);
  pending = setTimeout(async () => {
    const word = input.value.split(/\s+/).pop();
    if (word.length < 2) return;
    const reply = await fetch("/api/suggest?q=" + encodeURIComponent(word));
    if (!reply.ok) return;
    const { suggestions } = await reply.json();
    const head = input.value.slice(0, input.value.length - word.length);
    list.replaceChildren(...suggestions.map((term) => {
      const option = document.createElement("option");
      option.value = head + term;
      return option;
    }));
  }, 120);
});
