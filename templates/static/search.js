// The search page's script (templates/search.html): asks Pagefind's index of this page's language (the
// index follows <html lang>) and lists the matching pages. No inline script or style, no request that
// leaves the site; without this script the page keeps its form and its list of every page.
const form = document.querySelector("[data-search]");
const input = document.querySelector("[data-search-query]");
const status = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-results]");
const siteRoot = new URL("../", import.meta.url);   // this file is static/search.js

status.textContent = "";     // the message for browsers without script
let pagefind = null;
try {
  pagefind = await import(new URL("pagefind/pagefind.js", siteRoot).href);
  await pagefind.options({ excerptLength: 24 });
  await pagefind.init();
} catch (error) {
  pagefind = null;
  status.textContent = status.dataset.failed;
  console.warn("search could not start:", error);
}

// One result: the page's title as a link, and the excerpt with the matching words marked. The excerpt
// is Pagefind's HTML (text and <mark>); it is rebuilt from its text, never inserted as HTML.
function result(data) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = new URL(data.url.replace(/^\/+/, ""), siteRoot).href;
  link.textContent = data.meta.title;
  const excerpt = document.createElement("p");
  for (const node of new DOMParser().parseFromString(data.excerpt, "text/html").body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      excerpt.append(mark);
    } else {
      excerpt.append(node.textContent);
    }
  }
  item.append(link, excerpt);
  return item;
}

let asked = 0;
async function show(query, debounced) {
  if (pagefind === null) return;
  const mine = ++asked;
  if (!query.trim()) {
    list.replaceChildren();
    list.hidden = true;
    status.textContent = "";
    return;
  }
  const search = debounced ? await pagefind.debouncedSearch(query, {}, 250) : await pagefind.search(query);
  if (search === null || mine !== asked) return;     // a newer query is on its way
  const found = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
  if (mine !== asked) return;
  list.replaceChildren(...found.map(result));
  list.hidden = found.length === 0;
  status.textContent = found.length ? status.dataset.found : status.dataset.none;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(location.href);
  url.searchParams.set("q", input.value);
  history.replaceState(null, "", url);
  show(input.value, false);
});
input.addEventListener("input", () => show(input.value, true));

const query = new URLSearchParams(location.search).get("q");
if (query) {
  input.value = query;
  show(query, false);
} else if (input.value.trim()) {
  show(input.value, false);      // typed while the index was loading (a slow phone): no input event follows
}
