interface MeterProps {
  /** What the bar measures, for assistive technology. */
  readonly label: string;
  /** 0–100; drawn clamped. */
  readonly percent: number;
  readonly valueText: string;
  /** "used" bars turn amber at 80% and red at 100%; "left" bars the other way round. */
  readonly kind: "used" | "left";
}

/** A horizontal bar; the width is set through the CSSOM (allowed by the CSP's style-src). */
export function Meter({ label, percent, valueText, kind }: MeterProps) {
  const clamped = Math.max(0, Math.min(100, percent));
  const used = kind === "used" ? clamped : 100 - clamped;
  const level = used >= 100 ? "full" : used >= 80 ? "high" : "ok";
  return (
    <div
      class={`meter meter-${level}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(clamped)}
      aria-valuetext={valueText}
    >
      <div class="meter-fill" style={{ width: `${clamped}%` }} />
    </div>
  );
}
