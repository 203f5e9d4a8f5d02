import classes from './stars.module.css';

const STAR_PATH = 'M12 2.5l2.9 6.1 6.6.8-4.9 4.6 1.3 6.6L12 17.3l-5.9 3.3 1.3-6.6-4.9-4.6 6.6-.8z';

/** One star outline, filled when `filled`. Decorative: the surrounding element carries the words. */
export function StarGlyph({ size = 18, filled }: { size?: number; filled: boolean }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden focusable="false" data-filled={filled || undefined}>
      <path
        d={STAR_PATH}
        fill={filled ? 'currentColor' : 'none'}
        stroke="currentColor"
        strokeWidth={1.5}
        strokeLinejoin="round"
      />
    </svg>
  );
}

/**
 * A rating drawn as five stars (rounded to the nearest whole star), read out as
 * "4 out of 5 stars" (or `label` when given).
 */
export function Stars({ value, size = 16, label }: { value: number; size?: number; label?: string }) {
  const filled = Math.round(value);
  return (
    <span role="img" aria-label={label ?? `${value} out of 5 stars`} className={classes.display}>
      {[1, 2, 3, 4, 5].map((n) => (
        <span key={n} data-filled={n <= filled || undefined} style={{ display: 'inline-flex' }}>
          <StarGlyph size={size} filled={n <= filled} />
        </span>
      ))}
    </span>
  );
}
