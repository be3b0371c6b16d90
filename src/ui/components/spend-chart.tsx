import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { UiSpend } from "../../protocols/ui-api.js";

// Distinct in light and dark themes (Okabe–Ito, readable by most colour-blind people).
const PALETTE = [
  "#0072b2",
  "#e69f00",
  "#009e73",
  "#cc79a7",
  "#56b4e9",
  "#d55e00",
  "#f0e442",
  "#999999",
];

interface SpendChartProps {
  readonly spend: UiSpend;
  /** The chart's text alternative (the table below holds the numbers). */
  readonly label: string;
  readonly formatCredits: (credits: number) => string;
}

function cssColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value === "" ? fallback : value;
}

function useColorScheme(): "light" | "dark" {
  const query = matchMedia("(prefers-color-scheme: dark)");
  const [scheme, setScheme] = useState<"light" | "dark">(query.matches ? "dark" : "light");
  useEffect(() => {
    const update = (): void => setScheme(query.matches ? "dark" : "light");
    query.addEventListener("change", update);
    return () => query.removeEventListener("change", update);
  }, [query]);
  return scheme;
}

/**
 * Credits per day as stacked bars. uPlot does not stack: series i is drawn as the sum of
 * series 0..i, tallest first, so each shorter bar covers the bottom of the one before it; the
 * legend shows each series' own value.
 */
export function SpendChart({ spend, label, formatCredits }: SpendChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const scheme = useColorScheme();
  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    const times = spend.days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
    const own = spend.series.map((series) => series.nanoCredits.map((nano) => nano / 1e9));
    const stacked: number[][] = [];
    own.forEach((values, index) => {
      const below = stacked[index - 1];
      stacked.push(values.map((value, day) => value + (below?.[day] ?? 0)));
    });
    const order = spend.series.map((_, index) => index).reverse();
    const foreground = cssColor("--fg", scheme === "dark" ? "#e6e6e6" : "#1a1a1a");
    const grid = cssColor("--border", scheme === "dark" ? "#3a3a3a" : "#dddddd");
    const axis = { stroke: foreground, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    const bars = uPlot.paths.bars?.({ size: [0.7, 40] });
    const options: uPlot.Options = {
      width: Math.max(280, element.clientWidth),
      height: 280,
      scales: {
        x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        { ...axis, space: 60 },
        { ...axis, size: 60, values: (_u, ticks) => ticks.map((tick) => formatCredits(tick)) },
      ],
      legend: { live: true },
      cursor: { points: { show: false } },
      series: [
        {
          value: (_u, value) =>
            value === null ? "" : new Date(value * 1000).toISOString().slice(0, 10),
        },
        ...order.map((index) => {
          const color = PALETTE[index % PALETTE.length] ?? "#999999";
          return {
            label: spend.series[index]?.name ?? "",
            stroke: color,
            fill: color,
            width: 0,
            points: { show: false },
            ...(bars === undefined ? {} : { paths: bars }),
            value: (_u: uPlot, _value: number | null, _series: number, day: number | null) =>
              day === null ? "" : formatCredits(own[index]?.[day] ?? 0),
          };
        }),
      ],
    };
    const data: uPlot.AlignedData = [times, ...order.map((index) => stacked[index] ?? [])];
    const plot = new uPlot(options, data, element);
    const observer = new ResizeObserver(() => {
      plot.setSize({ width: Math.max(280, element.clientWidth), height: 280 });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [spend, scheme, formatCredits]);
  return <figure class="chart" ref={container} role="img" aria-label={label} />;
}
