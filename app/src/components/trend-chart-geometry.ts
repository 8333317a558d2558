/**
 * Pure geometry for <sprout-trend-chart>: turns a measured series into SVG coordinates. No DOM, no clock, no locale —
 * the element formats labels; this module only decides where things go, so it can be reasoned about (and tested)
 * on its own. Total: an empty or degenerate series gives an empty plot, never a throw or a NaN.
 */

export interface TrendPointInput {
  /** ISO 8601 date or instant of the measurement. */
  readonly at: string;
  readonly value: number;
}

export interface TrendRangeInput {
  readonly low?: number;
  readonly high?: number;
}

export interface PlottedPoint {
  readonly x: number;
  readonly y: number;
  readonly at: string;
  readonly value: number;
}

export interface YTick {
  readonly y: number;
  readonly value: number;
}

export interface TrendGeometry {
  readonly width: number;
  readonly height: number;
  /** The plotting area inside the axis margins. */
  readonly plot: { readonly left: number; readonly top: number; readonly right: number; readonly bottom: number };
  readonly points: readonly PlottedPoint[];
  /** SVG path data joining the points in time order ('' when fewer than two points). */
  readonly path: string;
  /** The reference-range band, clipped to the plot; undefined when the series has no usable range. */
  readonly band?: { readonly y: number; readonly height: number };
  readonly yTicks: readonly YTick[];
  /** Reference curves (growth percentiles) in the same scales, clipped to the series' time span. */
  readonly curves: ReadonlyArray<{ readonly path: string; readonly end?: { readonly x: number; readonly y: number } }>;
}

export const CHART_SIZE = { width: 640, height: 260, left: 56, right: 16, top: 16, bottom: 36 } as const;

/** 1, 2, 2.5 or 5 × 10^n: the step a person would choose for an axis with about `count` ticks. */
export function chooseTickStep(span: number, count: number): number {
  if (!(span > 0) || !(count > 0)) return 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const residual = raw / magnitude;
  const factor = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 2.5 ? 2.5 : residual <= 5 ? 5 : 10;
  return factor * magnitude;
}

function timeOf(at: string): number {
  // Date-only strings parse as UTC midnight; both ends of the axis use the same rule, so spacing stays true.
  return Date.parse(at);
}

/**
 * Lays out `points` at `drawnWidth` CSS pixels (default CHART_SIZE.width) (any order; entries with an unparseable date or a non-finite value are dropped) and the optional
 * reference range. The y domain covers the values and the range, padded so that no point sits on the frame.
 */
export function layoutTrend(
  points: readonly TrendPointInput[],
  range?: TrendRangeInput,
  drawnWidth?: number,
  curveInputs: ReadonlyArray<readonly TrendPointInput[]> = [],
): TrendGeometry {
  const { height, left, right, top, bottom } = CHART_SIZE;
  // Drawn at its real pixel width (one SVG unit = one CSS pixel), labels keep their size on a phone; never narrower
  // than the margins need.
  const width = drawnWidth !== undefined && Number.isFinite(drawnWidth) && drawnWidth > 0 ? Math.max(200, Math.round(drawnWidth)) : CHART_SIZE.width;
  const plot = { left, top, right: width - right, bottom: height - bottom };
  const usable = points
    .map((p) => ({ ...p, t: timeOf(p.at) }))
    .filter((p) => Number.isFinite(p.t) && Number.isFinite(p.value))
    .sort((a, b) => a.t - b.t);
  if (usable.length === 0) return { width, height, plot, points: [], path: '', yTicks: [], curves: [] };

  const low = range?.low !== undefined && Number.isFinite(range.low) ? range.low : undefined;
  const high = range?.high !== undefined && Number.isFinite(range.high) ? range.high : undefined;
  const tFirst = usable[0]!.t;
  const tLast = usable[usable.length - 1]!.t;
  const curvesIn = curveInputs.map((curve) =>
    curve
      .map((p) => ({ ...p, t: timeOf(p.at) }))
      .filter((p) => Number.isFinite(p.t) && Number.isFinite(p.value) && p.t >= tFirst && p.t <= tLast)
      .sort((a, b) => a.t - b.t),
  );
  const domainValues = [
    ...usable.map((p) => p.value),
    ...(low !== undefined ? [low] : []),
    ...(high !== undefined ? [high] : []),
    ...curvesIn.flatMap((curve) => curve.map((p) => p.value)),
  ];
  let min = Math.min(...domainValues);
  let max = Math.max(...domainValues);
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    min -= pad;
    max += pad;
  }
  const step = chooseTickStep(max - min, 4);
  const yMin = Math.floor(min / step) * step;
  const yMax = Math.ceil(max / step) * step;

  const tMin = usable[0]!.t;
  const tMax = usable[usable.length - 1]!.t;
  const xOf = (t: number): number =>
    tMax === tMin ? (plot.left + plot.right) / 2 : plot.left + ((t - tMin) / (tMax - tMin)) * (plot.right - plot.left);
  const yOf = (v: number): number => plot.bottom - ((v - yMin) / (yMax - yMin)) * (plot.bottom - plot.top);
  const round = (n: number): number => Math.round(n * 100) / 100;

  const plotted = usable.map((p) => ({ x: round(xOf(p.t)), y: round(yOf(p.value)), at: p.at, value: p.value }));
  const path = plotted.length < 2 ? '' : plotted.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' ');

  const yTicks: YTick[] = [];
  for (let v = yMin, i = 0; v <= yMax + step / 2 && i < 20; v += step, i++) {
    yTicks.push({ y: round(yOf(v)), value: Number(v.toPrecision(12)) });
  }

  const curves = curvesIn.map((curve) => {
    const drawn = curve.map((p) => ({ x: round(xOf(p.t)), y: round(yOf(p.value)) }));
    const end = drawn[drawn.length - 1];
    return { path: drawn.length < 2 ? '' : drawn.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' '), ...(end !== undefined && { end }) };
  });

  let band: TrendGeometry['band'];
  if (low !== undefined || high !== undefined) {
    const bandTop = high !== undefined ? yOf(high) : plot.top;
    const bandBottom = low !== undefined ? yOf(low) : plot.bottom;
    const y = Math.max(plot.top, Math.min(bandTop, bandBottom));
    const yEnd = Math.min(plot.bottom, Math.max(bandTop, bandBottom));
    if (yEnd > y) band = { y: round(y), height: round(yEnd - y) };
  }
  return band ? { width, height, plot, points: plotted, path, band, yTicks, curves } : { width, height, plot, points: plotted, path, yTicks, curves };
}
