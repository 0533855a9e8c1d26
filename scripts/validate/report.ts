/**
 * What `npm run validate` prints: every error whole, naming its stack and resource; warnings grouped by
 * message (one line each, with where they occur), so the default estate fits on one screen.
 */
import type { StackDiagnostic } from './one-pass';

/** Places listed per grouped warning before "and N more". */
const PLACES_SHOWN = 4;

export function diagnosticLines(diagnostics: readonly StackDiagnostic[]): string[] {
  const lines: string[] = [];
  for (const error of diagnostics.filter((d) => d.severity === 'error')) {
    lines.push(`ERROR  ${where(error)}`, `    ${message(error)}`);
  }
  const warnings = new Map<string, StackDiagnostic[]>();
  for (const warning of diagnostics.filter((d) => d.severity === 'warning')) {
    const key = message(warning);
    warnings.set(key, [...(warnings.get(key) ?? []), warning]);
  }
  for (const [text, group] of warnings) {
    const places = group.map(where);
    const more = places.length > PLACES_SHOWN ? `, and ${places.length - PLACES_SHOWN} more` : '';
    lines.push(
      `warning (${group.length}x)  ${text}`,
      `    in ${places.slice(0, PLACES_SHOWN).join('; ')}${more}`,
    );
  }
  return lines;
}

/** `dev-network aws_vpc.main (dev-network/network/vpc) cdk.tf.json:8` */
export function where(diagnostic: StackDiagnostic): string {
  const parts = [
    diagnostic.stack ?? '(no stack)',
    diagnostic.address,
    diagnostic.constructPath === undefined ? undefined : `(${diagnostic.constructPath})`,
    diagnostic.location,
  ];
  return parts.filter((part) => part !== undefined).join(' ');
}

/** The summary and the first paragraph of the detail, on one line. */
function message(diagnostic: StackDiagnostic): string {
  const detail = diagnostic.detail.split('\n\n')[0].replace(/\s*\n\s*/g, ' ');
  return detail === '' ? diagnostic.summary : `${diagnostic.summary}: ${detail}`;
}
