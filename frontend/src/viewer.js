// Zhijian 3D IFC viewer: web-ifc (That Open Engine's IFC reader) turns the model into
// triangle meshes, three.js draws them. One mesh per IFC element, keyed by GlobalId, coloured
// by review status: failing elements red, missing-data amber, everything else translucent grey.
//
//   const viewer = ZhijianViewer.mount(element, {modelUrl, findings, findingsUrl, lang});
//   await viewer.ready;            // resolves when the model is drawn, rejects on failure
//   viewer.selectGuid(guid);       // highlight and frame one element
//   viewer.setColours({guid: "#1f77b4"}, [{colour: "#1f77b4", label: "…"}]);  // any grouping
//   element.addEventListener("zhijian:element-selected", (e) => e.detail.guid);
//
// Nothing is fetched from anywhere but the URLs given and this script's own directory
// (web-ifc.wasm is copied next to it by the build).

import * as THREE from "three";
import { OrbitControls } from "three/addons/controls/OrbitControls.js";
import {
  IFCBUILDINGSTOREY,
  IFCRELAGGREGATES,
  IFCRELCONTAINEDINSPATIALSTRUCTURE,
  IFCSPACE,
  IfcAPI,
} from "web-ifc";
import css from "./viewer.css?inline";

export const VERSION = "0.1.0";

// The directory this module was served from; web-ifc.wasm sits beside it.
const DEFAULT_WASM_PATH = new URL("./", import.meta.url).href;

const COLORS = {
  fail: 0xd93025,
  missing_data: 0xf29900,
  neutral: 0xa3acb9,
  selected: 0x1a73e8,
};

const TEXT = {
  zh: {
    loading: "正在加载模型…",
    error: "模型加载失败",
    http: (status) => `服务器返回 HTTP ${status}`,
    network: "无法获取模型文件",
    notIfc: "文件不是可读取的 IFC 模型",
    noGeometry: "模型中没有可显示的几何体",
    noWebgl: "此浏览器无法显示三维视图（WebGL 不可用）",
    noModelUrl: "未指定模型地址",
    engine: "IFC 解析组件加载失败",
    findingsFailed: "审查问题列表加载失败",
    allStoreys: "全部楼层",
    fit: "全景",
    fitTitle: "显示整个模型",
    storeyTitle: "只显示一个楼层",
    fail: "不符合",
    missing_data: "缺少数据",
    other: "其他构件",
    close: "关闭",
    noFindings: "此构件没有审查问题",
    storey: "楼层",
    unmatched: (n) => `另有 ${n} 条问题的构件在模型中无几何体`,
    uncoloured: (n) => `另有 ${n} 个着色构件在模型中无几何体`,
  },
  en: {
    loading: "Loading the model…",
    error: "The model could not be loaded",
    http: (status) => `the server answered HTTP ${status}`,
    network: "the model file could not be fetched",
    notIfc: "the file is not a readable IFC model",
    noGeometry: "the model has no geometry to show",
    noWebgl: "This browser cannot show 3D views (WebGL is unavailable)",
    noModelUrl: "no model URL was given",
    engine: "the IFC engine could not be loaded",
    findingsFailed: "The findings could not be loaded",
    allStoreys: "All storeys",
    fit: "Fit",
    fitTitle: "Show the whole model",
    storeyTitle: "Show one storey only",
    fail: "Fail",
    missing_data: "Missing data",
    other: "Other elements",
    close: "Close",
    noFindings: "No findings on this element",
    storey: "Storey",
    unmatched: (n) => `${n} more findings are on elements without geometry`,
    uncoloured: (n) => `${n} more coloured elements have no geometry`,
  },
};

class ViewerError extends Error {}

function pickLang(lang) {
  const value = String(lang || document.documentElement.lang || "zh").toLowerCase();
  return value.startsWith("en") ? "en" : "zh";
}

function injectStyles() {
  if (document.getElementById("zhijian-viewer-css")) return;
  const style = document.createElement("style");
  style.id = "zhijian-viewer-css";
  style.textContent = css;
  document.head.appendChild(style);
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// One web-ifc engine per page, shared by every viewer on it.
let enginePromise = null;
function engine(wasmPath) {
  if (!enginePromise) {
    enginePromise = (async () => {
      const api = new IfcAPI();
      api.SetWasmPath(wasmPath, true);
      await api.Init(undefined, true); // single-threaded: no cross-origin isolation needed
      return api;
    })();
    enginePromise.catch(() => {
      enginePromise = null;
    });
  }
  return enginePromise;
}

/** Findings as given (an array, or a report with .findings) → [{guid, status, rule_id, message, …}]. */
export function normaliseFindings(input, lang) {
  const list = Array.isArray(input) ? input : (input && input.findings) || [];
  const out = [];
  for (const f of list) {
    if (!f || !f.guid) continue;
    const message =
      f.message ?? (lang === "en" ? f.message_en ?? f.message_zh : f.message_zh ?? f.message_en) ?? "";
    out.push({ ...f, status: f.status === "fail" ? "fail" : "missing_data", message });
  }
  return out;
}

function statusOf(findings) {
  if (!findings || findings.length === 0) return "neutral";
  return findings.some((f) => f.status === "fail") ? "fail" : "missing_data";
}

function hex(color) {
  return `#${color.getHexString()}`;
}

/** A colour map {guid: "#rrggbb"} → Map(guid → "#rrggbb"), lower-case, invalid entries dropped. */
export function normaliseColours(input) {
  const out = new Map();
  for (const [guid, value] of Object.entries(input || {})) {
    const colour = String(value || "").trim().toLowerCase();
    if (guid && /^#[0-9a-f]{6}$/.test(colour)) out.set(guid, colour);
  }
  return out;
}

class Viewer {
  constructor(root, options) {
    this.root = root;
    this.options = options;
    this.lang = pickLang(options.lang);
    this.t = TEXT[this.lang];
    this.elements = new Map(); // guid → {guid, expressId, ifcClass, name, storeyGuid, mesh, findings, isSpace}
    this.meshes = [];
    this.storeys = [];
    this.findings = [];
    this.unmatched = 0;
    this.colours = normaliseColours(options.colours);
    this.colourLegend = Array.isArray(options.legend) ? options.legend : [];
    this.uncoloured = 0;
    this.selected = null;
    this.isolated = null;
    this.disposed = false;
    this._frame = 0;
    this._buildDom();
    this.ready = this._start();
    // Callers who never await still see the error in the element; keep the console quiet.
    this.ready.catch(() => {});
  }

  // -- DOM ---------------------------------------------------------------------------
  _buildDom() {
    injectStyles();
    const root = this.root;
    root.classList.add("zjv");
    root.dataset.state = "loading";
    root.lang = this.lang === "en" ? "en" : "zh-Hans";
    this.status = el("div", "zjv-status");
    this.statusBox = el("div", "zjv-status-box");
    this.statusTitle = el("div", "zjv-status-title", this.t.loading);
    this.statusDetail = el("div", "zjv-status-detail");
    this.statusBox.append(this.statusTitle, this.statusDetail);
    this.status.append(this.statusBox);
    this.status.setAttribute("role", "status");

    this.toolbar = el("div", "zjv-toolbar");
    this.toolbar.hidden = true;
    this.fitButton = el("button", "zjv-fit", this.t.fit);
    this.fitButton.type = "button";
    this.fitButton.title = this.t.fitTitle;
    this.fitButton.addEventListener("click", () => this.fitAll());
    this.storeySelect = el("select", "zjv-storeys");
    this.storeySelect.title = this.t.storeyTitle;
    this.storeySelect.addEventListener("change", () => this.isolateStorey(this.storeySelect.value || null));
    this.toolbar.append(this.fitButton, this.storeySelect);

    this.legend = el("div", "zjv-legend");
    this.legend.hidden = true;

    this.panel = el("div", "zjv-panel");
    this.panel.hidden = true;
    this.panel.setAttribute("aria-live", "polite");

    root.append(this.status, this.toolbar, this.legend, this.panel);
  }

  _showError(reason) {
    this.root.dataset.state = "error";
    this.root.dataset.error = reason;
    this.status.hidden = false;
    this.status.classList.add("zjv-error");
    this.status.setAttribute("role", "alert");
    this.statusTitle.textContent = reason === this.t.noWebgl ? reason : this.t.error;
    this.statusDetail.textContent = reason === this.t.noWebgl ? "" : reason;
    if (this.canvas) this.canvas.hidden = true;
  }

  _renderLegend() {
    this.legend.replaceChildren();
    const swatchItem = (className, colour, text) => {
      const item = el("span", className);
      const swatch = el("span", "zjv-swatch");
      swatch.style.background = colour;
      item.append(swatch, document.createTextNode(text));
      this.legend.append(item);
    };
    const coloured = this.colours.size > 0;
    if (coloured) {
      // The caller's groups first (e.g. the items of an assembly-rate evaluation), with counts.
      const counts = new Map();
      for (const element of this.elements.values())
        if (element.status === "coloured") counts.set(element.colour, (counts.get(element.colour) || 0) + 1);
      this.colourLegend.forEach((entry, i) => {
        const colour = String(entry.colour || "").toLowerCase();
        swatchItem(`zjv-legend-colour zjv-legend-colour-${i}`, colour, `${entry.label ?? colour} ${counts.get(colour) || 0}`);
      });
    }
    for (const [key, color] of [
      ["fail", COLORS.fail],
      ["missing_data", COLORS.missing_data],
      ["other", COLORS.neutral],
    ]) {
      const n = this._countStatus(key);
      if (coloured && key !== "other" && n === 0) continue; // findings are not the subject here
      const count = key === "other" ? "" : ` ${n}`;
      swatchItem(`zjv-legend-${key}`, `#${color.toString(16).padStart(6, "0")}`, `${this.t[key]}${count}`);
    }
    if (this.unmatched) this.legend.append(el("span", "zjv-note", this.t.unmatched(this.unmatched)));
    if (this.uncoloured) this.legend.append(el("span", "zjv-note", this.t.uncoloured(this.uncoloured)));
    if (this.findingsError) this.legend.append(el("span", "zjv-note", this.t.findingsFailed));
    this.legend.hidden = false;
  }

  _countStatus(status) {
    let n = 0;
    for (const element of this.elements.values()) if (element.status === status) n += 1;
    return n;
  }

  _renderStoreys() {
    this.storeySelect.replaceChildren(el("option", "", this.t.allStoreys));
    this.storeySelect.firstChild.value = "";
    for (const storey of this.storeys) {
      const option = el("option", "", storey.name || storey.guid);
      option.value = storey.guid;
      this.storeySelect.append(option);
    }
    this.storeySelect.hidden = this.storeys.length < 2;
  }

  _showPanel(element) {
    const panel = this.panel;
    panel.replaceChildren();
    const close = el("button", "zjv-panel-close", "×");
    close.type = "button";
    close.title = this.t.close;
    close.setAttribute("aria-label", this.t.close);
    close.addEventListener("click", () => this.clearSelection());
    const ifcClass = element.findings[0]?.ifc_class || element.ifcClass;
    const title = el("div", "zjv-panel-title", element.name ? `${ifcClass} · ${element.name}` : ifcClass);
    const meta = el("div", "zjv-panel-meta", `GlobalId ${element.guid}`);
    panel.append(close, title, meta);
    if (element.storeyName) panel.append(el("div", "zjv-panel-meta", `${this.t.storey} ${element.storeyName}`));
    if (element.colour) {
      const group = el("div", "zjv-panel-meta zjv-panel-group");
      const swatch = el("span", "zjv-swatch");
      swatch.style.background = element.colour;
      group.append(swatch, document.createTextNode(this._colourLabel(element.colour)));
      panel.append(group);
    }
    if (element.findings.length === 0 && element.colour) {
      // A coloured element without findings: the group line above says what it is.
    } else if (element.findings.length === 0) {
      panel.append(el("div", "zjv-empty", this.t.noFindings));
    } else {
      const list = el("ul");
      for (const f of element.findings) {
        const item = el("li");
        item.append(
          el("span", `zjv-badge zjv-badge-${f.status}`, this.t[f.status]),
          el("span", "zjv-rule", f.rule_id || ""),
          el("div", "zjv-message", f.message || ""),
        );
        list.append(item);
      }
      panel.append(list);
    }
    panel.hidden = false;
  }

  // -- loading -----------------------------------------------------------------------
  async _start() {
    const started = performance.now();
    try {
      this._setupScene();
      const timings = (this.timings = {}); // ms since mount, per phase
      const timed = (name, promise) =>
        promise.finally(() => (timings[name] = Math.round(performance.now() - started)));
      const [api, data] = await Promise.all([
        timed("engine", engine(this.options.wasmPath || DEFAULT_WASM_PATH)).catch(() => {
          throw new ViewerError(this.t.engine);
        }),
        timed("fetched", this._fetchModel()),
        this._loadFindings(),
      ]);
      if (this.disposed) return this;
      this._buildModel(api, data, () => Math.round(performance.now() - started));
      this._applyFindings();
      this._renderStoreys();
      this._renderLegend();
      this.fitAll();
      this.status.hidden = true;
      this.toolbar.hidden = false;
      const loadMs = Math.round(performance.now() - started);
      this.timings.ready = loadMs;
      Object.assign(this.root.dataset, {
        state: "ready",
        meshCount: String(this.meshes.length),
        elementCount: String(this.elements.size),
        loadMs: String(loadMs),
        // Since the page started loading: includes parsing this script and web-ifc's engine.
        readyAtMs: String(Math.round(performance.now())),
      });
      this.loadMs = loadMs;
      this._emit("zhijian:viewer-ready", { meshCount: this.meshes.length, loadMs });
      return this;
    } catch (error) {
      const reason = error instanceof ViewerError ? error.message : `${this.t.notIfc} (${error?.message || error})`;
      this._showError(reason);
      this._emit("zhijian:viewer-error", { reason });
      throw error instanceof ViewerError ? error : new ViewerError(reason);
    }
  }

  async _fetchModel() {
    const url = this.options.modelUrl;
    if (!url) throw new ViewerError(this.t.noModelUrl);
    let response;
    try {
      response = await fetch(url, { credentials: "same-origin" });
    } catch {
      throw new ViewerError(this.t.network);
    }
    if (!response.ok) throw new ViewerError(this.t.http(response.status));
    return new Uint8Array(await response.arrayBuffer());
  }

  async _loadFindings() {
    let input = this.options.findings;
    if (!input && this.options.findingsUrl) {
      try {
        const response = await fetch(this.options.findingsUrl, { credentials: "same-origin" });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        input = await response.json();
      } catch {
        this.findingsError = true; // the model is still worth showing
        input = [];
      }
    }
    this.findings = normaliseFindings(input || [], this.lang);
  }

  _setupScene() {
    const canvas = el("canvas", "zjv-canvas");
    canvas.tabIndex = 0;
    this.root.prepend(canvas);
    this.canvas = canvas;
    try {
      this.renderer = new THREE.WebGLRenderer({ canvas, antialias: true });
    } catch {
      throw new ViewerError(this.t.noWebgl);
    }
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
    this.scene = new THREE.Scene();
    this.scene.background = new THREE.Color(0xf4f6f9);
    this.scene.add(new THREE.HemisphereLight(0xffffff, 0x8d96a0, 2.2));
    const sun = new THREE.DirectionalLight(0xffffff, 1.6);
    sun.position.set(0.6, 1, 0.4);
    this.scene.add(sun);
    this.camera = new THREE.PerspectiveCamera(45, 1, 0.05, 5000);
    this.camera.position.set(20, 15, 20);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = false;
    this.controls.addEventListener("change", () => this.requestRender());
    this.materials = {
      neutral: new THREE.MeshLambertMaterial({
        color: COLORS.neutral,
        transparent: true,
        opacity: 0.28,
        depthWrite: false,
        side: THREE.DoubleSide,
      }),
      fail: new THREE.MeshLambertMaterial({ color: COLORS.fail, side: THREE.DoubleSide }),
      missing_data: new THREE.MeshLambertMaterial({ color: COLORS.missing_data, side: THREE.DoubleSide }),
      // Rooms (IfcSpace) with findings: tinted volumes, so the walls around them stay visible.
      space_fail: new THREE.MeshLambertMaterial({
        color: COLORS.fail, transparent: true, opacity: 0.45, depthWrite: false, side: THREE.DoubleSide,
      }),
      space_missing_data: new THREE.MeshLambertMaterial({
        color: COLORS.missing_data, transparent: true, opacity: 0.45, depthWrite: false, side: THREE.DoubleSide,
      }),
      selected: new THREE.MeshLambertMaterial({
        color: COLORS.selected, emissive: 0x0b3d91, side: THREE.DoubleSide,
      }),
    };
    this._resize();
    this._observer = new ResizeObserver(() => this._resize());
    this._observer.observe(this.root);
    let down = null;
    canvas.addEventListener("pointerdown", (e) => {
      down = { x: e.clientX, y: e.clientY };
    });
    canvas.addEventListener("pointerup", (e) => {
      if (down && Math.hypot(e.clientX - down.x, e.clientY - down.y) < 5) this._pick(e.clientX, e.clientY);
      down = null;
    });
  }

  _buildModel(api, data, now) {
    let modelId;
    try {
      modelId = api.OpenModel(data, { COORDINATE_TO_ORIGIN: true });
    } catch (error) {
      throw new ViewerError(`${this.t.notIfc} (${error?.message || error})`);
    }
    if (modelId < 0) throw new ViewerError(this.t.notIfc);
    this.timings.opened = now();
    try {
      const storeyOf = this._spatialIndex(api, modelId);
      this.timings.indexed = now();
      const add = (flat, isSpace) => this._addElement(api, modelId, flat, isSpace, storeyOf);
      api.StreamAllMeshes(modelId, (flat) => add(flat, false));
      // web-ifc leaves rooms out of StreamAllMeshes; findings are often on rooms.
      api.StreamAllMeshesWithTypes(modelId, [IFCSPACE], (flat) => add(flat, true));
      this.timings.meshed = now();
    } finally {
      api.CloseModel(modelId);
    }
    if (this.meshes.length === 0) throw new ViewerError(this.t.noGeometry);
  }

  // expressID → storey expressID, and the storeys sorted by elevation.
  _spatialIndex(api, modelId) {
    const parent = new Map();
    const each = (vector, fn) => {
      for (let i = 0; i < vector.size(); i += 1) fn(vector.get(i));
    };
    each(api.GetLineIDsWithType(modelId, IFCRELCONTAINEDINSPATIALSTRUCTURE), (id) => {
      const rel = api.GetLine(modelId, id);
      for (const child of rel.RelatedElements || []) parent.set(child.value, rel.RelatingStructure.value);
    });
    each(api.GetLineIDsWithType(modelId, IFCRELAGGREGATES), (id) => {
      const rel = api.GetLine(modelId, id);
      for (const child of rel.RelatedObjects || []) if (!parent.has(child.value)) parent.set(child.value, rel.RelatingObject.value);
    });
    const storeys = new Map();
    each(api.GetLineIDsWithType(modelId, IFCBUILDINGSTOREY), (id) => {
      const line = api.GetLine(modelId, id);
      storeys.set(id, {
        guid: line.GlobalId.value,
        name: line.Name?.value || "",
        elevation: Number(line.Elevation?.value ?? 0),
      });
    });
    this.storeys = [...storeys.values()].sort((a, b) => a.elevation - b.elevation);
    return (expressId) => {
      let id = expressId;
      for (let depth = 0; depth < 32 && id !== undefined; depth += 1) {
        if (storeys.has(id)) return storeys.get(id);
        id = parent.get(id);
      }
      return null;
    };
  }

  _addElement(api, modelId, flat, isSpace, storeyOf) {
    const expressId = flat.expressID;
    const placed = flat.geometries;
    const parts = [];
    let vertexCount = 0;
    let indexCount = 0;
    for (let i = 0; i < placed.size(); i += 1) {
      const item = placed.get(i);
      const geometry = api.GetGeometry(modelId, item.geometryExpressID);
      // Views into the wasm heap: copy before the next call can move it.
      const vertices = api.GetVertexArray(geometry.GetVertexData(), geometry.GetVertexDataSize()).slice();
      const indices = api.GetIndexArray(geometry.GetIndexData(), geometry.GetIndexDataSize()).slice();
      geometry.delete();
      if (indices.length === 0) continue;
      parts.push({ vertices, indices, matrix: new THREE.Matrix4().fromArray(item.flatTransformation) });
      vertexCount += vertices.length / 6;
      indexCount += indices.length;
    }
    if (parts.length === 0) return;
    const line = api.GetLine(modelId, expressId);
    const guid = line.GlobalId?.value;
    if (!guid || this.elements.has(guid)) return;
    const positions = new Float32Array(vertexCount * 3);
    const normals = new Float32Array(vertexCount * 3);
    const index = vertexCount > 65535 ? new Uint32Array(indexCount) : new Uint16Array(indexCount);
    const p = new THREE.Vector3();
    const n = new THREE.Vector3();
    const normalMatrix = new THREE.Matrix3();
    let v = 0;
    let k = 0;
    for (const part of parts) {
      normalMatrix.getNormalMatrix(part.matrix);
      const base = v;
      for (let j = 0; j < part.vertices.length; j += 6) {
        p.set(part.vertices[j], part.vertices[j + 1], part.vertices[j + 2]).applyMatrix4(part.matrix);
        n.set(part.vertices[j + 3], part.vertices[j + 4], part.vertices[j + 5]).applyMatrix3(normalMatrix).normalize();
        const o = v * 3;
        positions[o] = p.x;
        positions[o + 1] = p.y;
        positions[o + 2] = p.z;
        normals[o] = n.x;
        normals[o + 1] = n.y;
        normals[o + 2] = n.z;
        v += 1;
      }
      for (let j = 0; j < part.indices.length; j += 1) index[k++] = part.indices[j] + base;
    }
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute("position", new THREE.BufferAttribute(positions, 3));
    geometry.setAttribute("normal", new THREE.BufferAttribute(normals, 3));
    geometry.setIndex(new THREE.BufferAttribute(index, 1));
    geometry.computeBoundingBox();
    geometry.computeBoundingSphere();
    const mesh = new THREE.Mesh(geometry, this.materials.neutral);
    mesh.matrixAutoUpdate = false;
    mesh.userData.guid = guid;
    const storey = storeyOf(expressId);
    const element = {
      guid,
      expressId,
      ifcClass: api.GetNameFromTypeCode(api.GetLineType(modelId, expressId)),
      name: line.Name?.value || "",
      storeyGuid: storey?.guid || null,
      storeyName: storey?.name || "",
      isSpace,
      mesh,
      findings: [],
      colour: null,
      status: "neutral",
    };
    this.elements.set(guid, element);
    this.meshes.push(mesh);
    this.scene.add(mesh);
  }

  // -- findings and colours ----------------------------------------------------------
  _applyFindings() {
    for (const element of this.elements.values()) element.findings = [];
    let unmatched = 0;
    for (const f of this.findings) {
      const element = this.elements.get(f.guid);
      if (element) element.findings.push(f);
      else unmatched += 1;
    }
    this.unmatched = unmatched;
    let uncoloured = 0;
    for (const guid of this.colours.keys()) if (!this.elements.has(guid)) uncoloured += 1;
    this.uncoloured = uncoloured;
    for (const element of this.elements.values()) {
      element.colour = this.colours.get(element.guid) || null;
      // Findings win over a colour: a failing element stays red whatever group it is in.
      element.status = statusOf(element.findings);
      if (element.status === "neutral" && element.colour) element.status = "coloured";
      this._paint(element);
    }
    this._updateVisibility();
  }

  _colourMaterial(colour, isSpace) {
    this.colourMaterials = this.colourMaterials || new Map();
    const key = `${colour}${isSpace ? ":space" : ""}`;
    if (!this.colourMaterials.has(key)) {
      const material = isSpace
        ? new THREE.MeshLambertMaterial({ color: colour, transparent: true, opacity: 0.45, depthWrite: false, side: THREE.DoubleSide })
        : new THREE.MeshLambertMaterial({ color: colour, side: THREE.DoubleSide });
      this.colourMaterials.set(key, material);
    }
    return this.colourMaterials.get(key);
  }

  _colourLabel(colour) {
    const entry = this.colourLegend.find((e) => String(e.colour || "").toLowerCase() === colour);
    return entry?.label ?? colour;
  }

  _paint(element) {
    const m = this.materials;
    if (this.selected === element) element.mesh.material = m.selected;
    else if (element.status === "neutral") element.mesh.material = m.neutral;
    else if (element.status === "coloured") element.mesh.material = this._colourMaterial(element.colour, element.isSpace);
    else element.mesh.material = element.isSpace ? m[`space_${element.status}`] : m[element.status];
    // Opaque first, translucent after (three.js sorts these within each pass).
    element.mesh.renderOrder = element.mesh.material.transparent ? 1 : 0;
    this.requestRender();
  }

  _updateVisibility() {
    for (const element of this.elements.values()) {
      // Rooms are drawn only when a finding is on them (else they hide the walls).
      const relevant = !element.isSpace || element.status !== "neutral" || this.selected === element;
      const onStorey = !this.isolated || element.storeyGuid === this.isolated;
      element.mesh.visible = relevant && onStorey;
    }
    this.requestRender();
  }

  /**
   * Colour elements by any grouping the page chooses (assembly-rate items, installation
   * progress, …): `colours` maps GlobalId → "#rrggbb", `legend` lists [{colour, label}] in the
   * order shown, each with the number of elements drawn in it. Elements with findings keep
   * their finding colour; everything else stays translucent grey. `setColours({})` clears.
   */
  setColours(colours, legend = []) {
    this.colours = normaliseColours(colours);
    this.colourLegend = Array.isArray(legend) ? legend : [];
    if (this.root.dataset.state !== "ready") return; // applied when the model is drawn
    this._applyFindings();
    this._renderLegend();
    if (this.selected) this._showPanel(this.selected);
  }

  /** Replace the findings (e.g. after a new check run) and recolour. */
  setFindings(findings) {
    this.findings = normaliseFindings(findings, this.lang);
    this._applyFindings();
    this._renderLegend();
    if (this.selected) this._showPanel(this.selected);
  }

  // -- selection ---------------------------------------------------------------------
  _pick(clientX, clientY) {
    const hit = this._raycast(clientX, clientY);
    if (!hit) {
      this.clearSelection();
      this._emit("zhijian:selection-cleared", {});
      return;
    }
    const element = this.elements.get(hit.object.userData.guid);
    this._select(element, { frame: false });
    this._emit("zhijian:element-selected", this._detail(element));
  }

  _raycast(clientX, clientY) {
    const rect = this.canvas.getBoundingClientRect();
    const ndc = new THREE.Vector2(
      ((clientX - rect.left) / rect.width) * 2 - 1,
      -((clientY - rect.top) / rect.height) * 2 + 1,
    );
    this._raycaster = this._raycaster || new THREE.Raycaster();
    this._raycaster.setFromCamera(ndc, this.camera);
    const visible = this.meshes.filter((mesh) => mesh.visible);
    return this._raycaster.intersectObjects(visible, false)[0] || null;
  }

  _detail(element) {
    return {
      guid: element.guid,
      ifcClass: element.ifcClass,
      name: element.name,
      storey: element.storeyName,
      status: element.status,
      colour: element.colour,
      group: element.colour ? this._colourLabel(element.colour) : null,
      findings: element.findings.map((f) => ({ ...f })),
    };
  }

  _select(element, { frame }) {
    const previous = this.selected;
    this.selected = element;
    if (previous && previous !== element) this._paint(previous);
    this._paint(element);
    this._updateVisibility();
    this.root.dataset.selectedGuid = element.guid;
    this._showPanel(element);
    if (frame) this.frameGuid(element.guid);
  }

  /** Highlight the element and fit the camera to it. Returns false if it has no geometry. */
  selectGuid(guid) {
    const element = this.elements.get(guid);
    if (!element) return false;
    if (this.isolated && element.storeyGuid !== this.isolated) this.isolateStorey(null, { fit: false });
    this._select(element, { frame: true });
    return true;
  }

  clearSelection() {
    const previous = this.selected;
    this.selected = null;
    if (previous) this._paint(previous);
    this._updateVisibility();
    delete this.root.dataset.selectedGuid;
    this.panel.hidden = true;
  }

  // -- camera ------------------------------------------------------------------------
  _fitBox(box, minRadius = 0) {
    if (box.isEmpty()) return;
    const sphere = box.getBoundingSphere(new THREE.Sphere());
    const radius = Math.max(sphere.radius, minRadius, 0.1);
    const vfov = THREE.MathUtils.degToRad(this.camera.fov);
    const hfov = 2 * Math.atan(Math.tan(vfov / 2) * this.camera.aspect);
    const distance = (radius / Math.sin(Math.min(vfov, hfov) / 2)) * 1.05;
    const direction = this.camera.position.clone().sub(this.controls.target);
    if (direction.lengthSq() < 1e-9) direction.set(1, 0.8, 1.2);
    direction.normalize();
    this.controls.target.copy(sphere.center);
    this.camera.position.copy(sphere.center).addScaledVector(direction, distance);
    this.camera.near = Math.max(distance / 1000, 0.01);
    this.camera.far = distance * 100 + radius * 10;
    this.camera.updateProjectionMatrix();
    this.controls.update();
    this.requestRender();
  }

  _visibleBox() {
    const box = new THREE.Box3();
    for (const mesh of this.meshes) if (mesh.visible) box.expandByObject(mesh);
    return box;
  }

  /** Fit the camera to everything visible (the whole model, or the isolated storey). */
  fitAll() {
    if (!this.camera) return;
    // A fresh view looks from the south-east, above.
    this.camera.position.copy(this.controls.target).add(new THREE.Vector3(1, 0.75, 1.25));
    this._fitBox(this._visibleBox());
  }

  frameGuid(guid) {
    const element = this.elements.get(guid);
    if (!element) return false;
    // At least a few metres around it, so a small element is shown with its surroundings.
    this._fitBox(new THREE.Box3().setFromObject(element.mesh), 3);
    return true;
  }

  isolateStorey(storeyGuid, { fit = true } = {}) {
    this.isolated = storeyGuid || null;
    this.storeySelect.value = this.isolated || "";
    if (this.isolated) this.root.dataset.isolatedStorey = this.isolated;
    else delete this.root.dataset.isolatedStorey;
    this._updateVisibility();
    if (fit) this.fitAll();
  }

  // -- rendering ---------------------------------------------------------------------
  _resize() {
    if (!this.renderer) return;
    const width = Math.max(this.root.clientWidth, 1);
    const height = Math.max(this.root.clientHeight, 1);
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.requestRender();
  }

  requestRender() {
    if (this._frame || !this.renderer || this.disposed) return;
    this._frame = requestAnimationFrame(() => {
      this._frame = 0;
      this.renderer.render(this.scene, this.camera);
      this.root.dataset.frames = String(Number(this.root.dataset.frames || 0) + 1);
    });
  }

  _emit(name, detail) {
    this.root.dispatchEvent(new CustomEvent(name, { bubbles: true, detail }));
  }

  // -- read-back for pages and tests ------------------------------------------------
  /** The colour an element is drawn in, "#rrggbb", or null if it has no geometry. */
  getElementColor(guid) {
    const element = this.elements.get(guid);
    return element ? hex(element.mesh.material.color) : null;
  }

  /** What the viewer knows of an element: detail, visibility, colour, bounding box (scene metres). */
  getElement(guid) {
    const element = this.elements.get(guid);
    if (!element) return null;
    const box = new THREE.Box3().setFromObject(element.mesh);
    return {
      ...this._detail(element),
      visible: element.mesh.visible,
      color: hex(element.mesh.material.color),
      opacity: element.mesh.material.opacity,
      box: { min: box.min.toArray(), max: box.max.toArray() },
    };
  }

  getCameraTarget() {
    return this.controls ? this.controls.target.toArray() : null;
  }

  /** A point in client (CSS pixel) coordinates where a click lands on this element first, or null. */
  screenPointOf(guid) {
    const element = this.elements.get(guid);
    if (!element || !element.mesh.visible) return null;
    const rect = this.canvas.getBoundingClientRect();
    const box = new THREE.Box3().setFromObject(element.mesh);
    const corners = [];
    for (const x of [box.min.x, box.max.x])
      for (const y of [box.min.y, box.max.y])
        for (const z of [box.min.z, box.max.z]) corners.push(new THREE.Vector3(x, y, z).project(this.camera));
    const xs = corners.map((c) => rect.left + ((c.x + 1) / 2) * rect.width);
    const ys = corners.map((c) => rect.top + ((1 - c.y) / 2) * rect.height);
    const [x0, x1] = [Math.max(Math.min(...xs), rect.left + 1), Math.min(Math.max(...xs), rect.right - 1)];
    const [y0, y1] = [Math.max(Math.min(...ys), rect.top + 1), Math.min(Math.max(...ys), rect.bottom - 1)];
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    const candidates = [];
    const steps = 16;
    for (let i = 0; i <= steps; i += 1)
      for (let j = 0; j <= steps; j += 1) candidates.push([x0 + ((x1 - x0) * i) / steps, y0 + ((y1 - y0) * j) / steps]);
    candidates.sort((a, b) => Math.hypot(a[0] - cx, a[1] - cy) - Math.hypot(b[0] - cx, b[1] - cy));
    for (const [x, y] of candidates) {
      const hit = this._raycast(x, y);
      if (hit && hit.object === element.mesh) return { x, y };
    }
    return null;
  }

  dispose() {
    this.disposed = true;
    if (this._frame) cancelAnimationFrame(this._frame);
    this._observer?.disconnect();
    this.controls?.dispose();
    for (const mesh of this.meshes) mesh.geometry.dispose();
    for (const material of Object.values(this.materials || {})) material.dispose();
    for (const material of this.colourMaterials?.values() || []) material.dispose();
    this.renderer?.dispose();
    this.root.replaceChildren();
    this.root.classList.remove("zjv");
    delete this.root.zhijianViewer;
  }
}

/**
 * Mount a viewer in `element`. Options: modelUrl (required), findings (array or report
 * object) or findingsUrl (JSON: report.json or an array), colours ({guid: "#rrggbb"}) and
 * legend ([{colour, label}]) (see setColours), lang ("zh" | "en"), wasmPath (directory of
 * web-ifc.wasm; defaults to this script's directory). Returns the viewer; `viewer.ready`
 * resolves once the model is drawn.
 */
export function mount(element, options = {}) {
  if (!(element instanceof HTMLElement)) throw new TypeError("ZhijianViewer.mount needs an element");
  if (element.zhijianViewer) element.zhijianViewer.dispose();
  const viewer = new Viewer(element, options);
  element.zhijianViewer = viewer;
  return viewer;
}

/** Mount every `[data-zhijian-viewer]` element not mounted yet (read from its data- attributes). */
export function autoMount(scope = document) {
  const viewers = [];
  const nodes = [...scope.querySelectorAll("[data-zhijian-viewer]")];
  if (scope.matches?.("[data-zhijian-viewer]")) nodes.unshift(scope);
  for (const node of nodes) {
    if (node.zhijianViewer) continue;
    const d = node.dataset;
    let findings;
    if (d.findingsScript) {
      const script = document.getElementById(d.findingsScript);
      findings = script ? JSON.parse(script.textContent || "[]") : [];
    }
    // data-colours-script="ID": a json_script element holding {"colours": {guid: hex}, "legend": [...]}.
    let colours;
    let legend;
    if (d.coloursScript) {
      const script = document.getElementById(d.coloursScript);
      const parsed = script ? JSON.parse(script.textContent || "{}") : {};
      colours = parsed.colours || {};
      legend = parsed.legend || [];
    }
    viewers.push(
      mount(node, { modelUrl: d.modelUrl, findingsUrl: d.findingsUrl, findings, colours, legend, lang: d.lang, wasmPath: d.wasmPath }),
    );
  }
  return viewers;
}

const api = { mount, autoMount, normaliseFindings, normaliseColours, VERSION };
window.ZhijianViewer = api;
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => autoMount());
else autoMount();
// Content swapped in by htmx (the platform's pages) is mounted as it arrives.
document.addEventListener("htmx:load", (event) => autoMount(event.target));

export default api;
