// The standalone development and test page: ?model=URL&findings=URL&lang=zh|en.
// Every event the viewer emits is kept in window.zhijianEvents for the browser tests.
// The built page loads the built zhijian-viewer.js as a separate file, exactly as a Django
// template does, so the tests exercise the file the platform serves.
const viewerModule = import.meta.env.DEV ? "./viewer.js" : "./zhijian-viewer.js";
const { mount, normaliseFindings } = await import(/* @vite-ignore */ viewerModule);

const params = new URLSearchParams(location.search);
const lang = params.get("lang") || "zh";
const findingsUrl = params.get("findings");
const root = document.getElementById("viewer");
const list = document.getElementById("findings");
const selected = document.getElementById("selected");

window.zhijianEvents = [];
for (const name of ["zhijian:element-selected", "zhijian:selection-cleared", "zhijian:viewer-ready", "zhijian:viewer-error"]) {
  root.addEventListener(name, (event) => window.zhijianEvents.push({ type: name, detail: event.detail }));
}
root.addEventListener("zhijian:element-selected", (event) => {
  selected.textContent = `${event.detail.guid} (${event.detail.ifcClass} ${event.detail.name})`;
});
root.addEventListener("zhijian:selection-cleared", () => {
  selected.textContent = "—";
});

if (!params.get("model")) document.getElementById("usage").hidden = false;

async function loadFindings() {
  if (!findingsUrl) return [];
  const response = await fetch(findingsUrl);
  if (!response.ok) throw new Error(`findings: HTTP ${response.status}`);
  return response.json();
}

const findings = await loadFindings().catch(() => null);
const viewer = mount(root, { modelUrl: params.get("model"), findings: findings ?? undefined, findingsUrl, lang });
window.viewer = viewer;

for (const f of normaliseFindings(findings || [], lang === "en" ? "en" : "zh")) {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.dataset.guid = f.guid;
  const rule = document.createElement("strong");
  rule.className = f.status;
  rule.textContent = f.rule_id;
  button.append(rule, document.createElement("br"), document.createTextNode(f.message));
  button.addEventListener("click", () => viewer.selectGuid(f.guid));
  item.append(button);
  list.append(item);
}
