import { cn } from "@/lib/cn";

/**
 * Residency (data outside its cluster's allowed jurisdictions: an instance there, or a link
 * replicating into there): a small flag with its count, in rose. A flag, not the drift diamond
 * or a health dot, so it reads apart without colour; shape + number + title, never colour alone.
 */
export function ResidencyGlyph({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 10 10" width="10" height="10" aria-hidden="true" className={cn("shrink-0", className)}>
      <path d="M2 0.8V9.4" className="stroke-rose-700 dark:stroke-rose-300" strokeWidth={1.4} strokeLinecap="round" />
      <path d="M2.6 1.2H8.8L7.2 3.4 8.8 5.6H2.6Z" className="fill-rose-100 stroke-rose-600 dark:fill-rose-950 dark:stroke-rose-400" strokeWidth={1.2} strokeLinejoin="round" />
    </svg>
  );
}

export function residencyTitle(count: number): string {
  return `${count} open residency finding${count === 1 ? "" : "s"}: data outside its cluster's allowed jurisdictions`;
}

export function ResidencyMark({ count, className }: { count: number; className?: string }) {
  if (count <= 0) return null;
  return (
    <span
      data-testid="residency-mark"
      title={residencyTitle(count)}
      className={cn("inline-flex items-center gap-0.5 text-[10.5px] font-semibold text-rose-700 tabular-nums dark:text-rose-300", className)}
    >
      <ResidencyGlyph />
      {count}
      <span className="sr-only"> residency</span>
    </span>
  );
}
