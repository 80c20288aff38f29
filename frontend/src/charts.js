// The city statistics dashboard's charts (apps/insights): ECharts, tree-shaken to the bar and
// line charts and the components they use, drawn on canvas. The page holds
//   <div data-zhijian-insights data-url="/api/v1/insights/city?…" data-labels-script="ID">
//     … <div data-chart="states"></div> … (states, review_months, standards, rules,
//     districts, grades, prefab_months)
// and a json_script with the labels in the page's language. The numbers come from the API;
// the same numbers are in the page's tables, so nothing depends on the canvas to be read.
// The root carries data-state (loading, ready, error); each chart container data-rendered.
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

const GRADE_COLOURS = { not_recognised: "#b42318", recognised: "#f5b700", A: "#84caff", AA: "#2e90fa", AAA: "#0b6e4f" };
const GRADE_ORDER = ["not_recognised", "recognised", "A", "AA", "AAA"];

function readLabels(root) {
  const id = root.dataset.labelsScript;
  const node = id && document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

function base(labels, empty) {
  return {
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 48, right: 48, top: 36, bottom: 56, containLabel: true },
    title: empty ? { text: labels.empty, left: "center", top: "middle", textStyle: { color: "#616e7c", fontSize: 14 } } : undefined,
  };
}

const categoryAxis = (data, rotate = 0) => ({ type: "category", data, axisLabel: { rotate, interval: 0, hideOverlap: true } });
const valueAxis = (extra = {}) => ({ type: "value", minInterval: 1, ...extra });

function options(data, labels) {
  const s = labels.series;
  const review = data.review;
  const prefab = data.prefab;
  const district = (key) => labels.districts[key] ?? key;
  const rules = [...review.top_rules].reverse(); // largest at the top of a horizontal bar chart
  const districts = new Map();
  for (const d of review.districts) districts.set(d.district, { submissions: d.submissions, installed: 0 });
  for (const d of prefab.districts) {
    districts.set(d.district, { submissions: 0, ...districts.get(d.district), installed: d.installed });
  }
  const grades = data.grades.districts;
  return {
    states: {
      ...base(labels, review.submissions === 0),
      legend: { show: false },
      xAxis: categoryAxis(review.by_state.map((r) => labels.states[r.state] ?? r.state)),
      yAxis: valueAxis(),
      series: [{ type: "bar", name: s.submissions, data: review.by_state.map((r) => r.count), itemStyle: { color: "#0b6e4f" } }],
    },
    review_months: {
      ...base(labels, review.months.length === 0),
      xAxis: categoryAxis(review.months.map((m) => m.month)),
      yAxis: valueAxis(),
      series: [
        { type: "line", name: s.submitted, data: review.months.map((m) => m.submitted) },
        { type: "line", name: s.approved, data: review.months.map((m) => m.approved) },
      ],
    },
    standards: {
      ...base(labels, review.by_standard.length === 0),
      xAxis: categoryAxis(review.by_standard.map((r) => r.standard), 20),
      yAxis: valueAxis(),
      series: [
        { type: "bar", name: s.failed, data: review.by_standard.map((r) => r.failed) },
        { type: "bar", name: s.mandatory_failed, data: review.by_standard.map((r) => r.mandatory_failed), itemStyle: { color: "#b42318" } },
        { type: "bar", name: s.missing_data, data: review.by_standard.map((r) => r.missing_data), itemStyle: { color: "#f5b700" } },
      ],
    },
    rules: {
      ...base(labels, rules.length === 0),
      legend: { show: false },
      grid: { left: 8, right: 32, top: 16, bottom: 24, containLabel: true },
      xAxis: valueAxis(),
      yAxis: categoryAxis(rules.map((r) => (r.mandatory ? `★ ${r.rule_id}` : r.rule_id))),
      series: [{
        type: "bar", name: s.failed, data: rules.map((r) => ({ value: r.failed, itemStyle: { color: r.mandatory ? "#b42318" : "#2e90fa" } })),
      }],
    },
    districts: {
      ...base(labels, districts.size === 0),
      xAxis: categoryAxis([...districts.keys()].map(district)),
      yAxis: [valueAxis({ name: s.submissions }), valueAxis({ name: s.installed, position: "right" })],
      series: [
        { type: "bar", name: s.submissions, data: [...districts.values()].map((d) => d.submissions) },
        { type: "bar", name: s.installed, yAxisIndex: 1, data: [...districts.values()].map((d) => d.installed), itemStyle: { color: "#0b8a3e" } },
      ],
    },
    grades: {
      ...base(labels, grades.length === 0),
      xAxis: categoryAxis(grades.map((d) => district(d.district))),
      yAxis: valueAxis(),
      series: GRADE_ORDER.map((cls) => ({
        type: "bar", stack: "grades", name: labels.grades[cls], itemStyle: { color: GRADE_COLOURS[cls] },
        data: grades.map((d) => d.counts[cls]),
      })),
    },
    prefab_months: {
      ...base(labels, prefab.months.length === 0),
      xAxis: categoryAxis(prefab.months.map((m) => m.month)),
      yAxis: valueAxis(),
      series: ["produced", "shipped", "installed"].map((key) => ({ type: "line", name: s[key], data: prefab.months.map((m) => m[key]) })),
    },
  };
}

function fail(root, message) {
  root.dataset.state = "error";
  const note = document.createElement("p");
  note.className = "messages error";
  note.setAttribute("role", "alert");
  note.textContent = message;
  root.prepend(note);
}

export async function mount(root) {
  if (root.dataset.state) return root; // mounted already
  root.dataset.state = "loading";
  const lang = (root.dataset.lang || document.documentElement.lang || "zh").startsWith("en") ? "EN" : "ZH";
  let data;
  try {
    const response = await fetch(root.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    data = await response.json();
  } catch (error) {
    const labels = readLabels(root);
    fail(root, `${labels ? labels.error : "The charts could not be loaded."} (${error.message})`);
    return root;
  }
  const labels = readLabels(root) || data.labels;
  const all = options(data, labels);
  const charts = [];
  for (const node of root.querySelectorAll("[data-chart]")) {
    const option = all[node.dataset.chart];
    if (!option) continue;
    const chart = echarts.init(node, null, { renderer: "canvas", locale: lang });
    chart.setOption(option);
    node.dataset.rendered = "true";
    charts.push(chart);
  }
  window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
  root.dataset.state = "ready";
  return root;
}

function mountAll(scope = document) {
  for (const root of scope.querySelectorAll("[data-zhijian-insights]")) mount(root);
}

window.ZhijianCharts = { mount, mountAll };
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => mountAll());
else mountAll();
document.addEventListener("htmx:load", (event) => mountAll(event.target));
