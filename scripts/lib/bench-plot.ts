/**
 * The fleet plot as plain SVG (no browser, no image stack): time against N on log-log axes, the
 * engine's floor, and per latency the measured rotation (solid) and its bound (dashed) in one
 * colour, so a reader sees at a glance how the rotation scales and what limits it.
 */
import type { FleetResult } from "./bench-types";
import { median } from "./bench-stats";

/** One line of the plot. */
export interface Series {
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
  readonly points: ReadonlyArray<readonly [n: number, seconds: number]>;
}

const WIDTH = 760;
const HEIGHT = 440;
const PLOT = { left: 64, right: 540, top: 40, bottom: 380 };
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Ticks at 1, 2 and 5 times each power of ten inside [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let exp = Math.floor(Math.log10(lo)); exp <= Math.ceil(Math.log10(hi)); exp += 1) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** exp;
      if (v >= lo && v <= hi) out.push(v);
    }
  }
  return out;
}

/** Renders the series as an SVG document. */
export function renderPlot(title: string, series: readonly Series[]): string {
  const all = series.flatMap((s) => s.points).filter(([n, s]) => n > 0 && s > 0);
  if (all.length === 0) return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="60"><text x="10" y="30">${escape(title)}: no data</text></svg>\n`;
  const ns = all.map(([n]) => n);
  const ys = all.map(([, s]) => s);
  const [nLo, nHi] = [Math.min(...ns) / 1.3, Math.max(...ns) * 1.3];
  const [yLo, yHi] = [Math.min(...ys) / 1.5, Math.max(...ys) * 1.5];
  const x = (n: number) => PLOT.left + ((Math.log10(n) - Math.log10(nLo)) / (Math.log10(nHi) - Math.log10(nLo))) * (PLOT.right - PLOT.left);
  const y = (s: number) => PLOT.bottom - ((Math.log10(s) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo))) * (PLOT.bottom - PLOT.top);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${PLOT.left}" y="24" font-size="14" font-weight="bold">${escape(title)}</text>`,
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="#444"/>`,
  ];
  for (const n of [...new Set(ns)].sort((a, b) => a - b)) {
    parts.push(`<line x1="${x(n).toFixed(1)}" y1="${PLOT.top}" x2="${x(n).toFixed(1)}" y2="${PLOT.bottom}" stroke="#ddd"/>`);
    parts.push(`<text x="${x(n).toFixed(1)}" y="${PLOT.bottom + 16}" text-anchor="middle">${n}</text>`);
  }
  for (const s of ticks(yLo, yHi)) {
    parts.push(`<line x1="${PLOT.left}" y1="${y(s).toFixed(1)}" x2="${PLOT.right}" y2="${y(s).toFixed(1)}" stroke="#eee"/>`);
    parts.push(`<text x="${PLOT.left - 6}" y="${(y(s) + 4).toFixed(1)}" text-anchor="end">${s}</text>`);
  }
  parts.push(`<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 34}" text-anchor="middle">N (resources, log scale)</text>`);
  parts.push(`<text transform="translate(16 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle">seconds (log scale)</text>`);
  series.forEach((s, i) => {
    const points = s.points.filter(([n, sec]) => n > 0 && sec > 0);
    const dash = s.dashed ? ` stroke-dasharray="6 4"` : "";
    const path = points.map(([n, sec]) => `${x(n).toFixed(1)},${y(sec).toFixed(1)}`).join(" ");
    parts.push(`<polyline points="${path}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
    for (const [n, sec] of points) parts.push(`<circle cx="${x(n).toFixed(1)}" cy="${y(sec).toFixed(1)}" r="3" fill="${s.color}"/>`);
    const ly = PLOT.top + 8 + i * 20;
    parts.push(`<line x1="${PLOT.right + 16}" y1="${ly}" x2="${PLOT.right + 44}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`);
    parts.push(`<text x="${PLOT.right + 50}" y="${ly + 4}">${escape(s.label)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

/** The fleet's rotations of all: floor, and per latency rotation and bound. */
export function fleetSeries(fleet: readonly FleetResult[]): Series[] {
  const rotations = fleet.flatMap((f) => f.runs.filter((r) => r.operation === "rotate all"));
  const latencies = [...new Set(rotations.map((r) => r.latencyMs))].sort((a, b) => a - b);
  const series: Series[] = [{
    label: "floor (do-nothing update)", color: "#555",
    points: fleet.map((f) => [f.n, median(f.runs.filter((r) => r.operation === "rotate all").map((r) => r.floor.seconds))] as const),
  }];
  latencies.forEach((latency, i) => {
    const color = COLORS[i % COLORS.length];
    const at = rotations.filter((r) => r.latencyMs === latency);
    series.push({ label: `rotation, L = ${latency} ms`, color, points: at.map((r) => [r.n, r.rotation.seconds] as const) });
    series.push({ label: `bound, L = ${latency} ms`, color, dashed: true, points: at.map((r) => [r.n, r.bound?.seconds ?? 0] as const) });
  });
  return series;
}
