/**
 * What `npm run synth` prints: one line per environment (stacks, resources, how many guardrail warnings,
 * exceptions and notes), then only what is new since the last synth into the same directory or wrong
 * (an unused suppression, a warning or note in a protected environment). `--verbose` prints every line.
 */
import { annotationLines, type SynthManifest } from './annotations';

/** One line of the guardrail summary or one annotation, attributed to its environment. */
export interface Notice {
  /** The environment of the stack it is about (`dev` of `dev-data/mysql`); undefined if none. */
  readonly environment?: string;
  readonly kind: 'warning' | 'suppressed' | 'allowed' | 'unused' | 'note';
  /** The line as `--verbose` prints it (and as the next synth compares it). */
  readonly text: string;
}

// The item lines of policy/guardrails.ts's summary: `  warning     GR-RDS-5 dev-data/mysql/instance: ...`.
const GUARDRAIL_ITEM = /^ {2}(warning|suppressed|allowed|unused) +\S+ ([^\s:/]+)[^\s:]*:/;
const GUARDRAIL_HEADER = /^Guardrails: /;

/**
 * Splits what the app printed into guardrail notices and anything else (printed as it is: nobody expects it).
 * @param stackEnvironment the environment of a stack id (`dev-data` -> `dev`)
 */
export function parseAppOutput(
  lines: readonly string[],
  stackEnvironment: (stack: string) => string | undefined,
): { notices: Notice[]; header?: string; other: string[] } {
  const notices: Notice[] = [];
  const other: string[] = [];
  let header: string | undefined;
  for (const line of lines) {
    const item = GUARDRAIL_ITEM.exec(line);
    if (item !== null) {
      notices.push({
        kind: item[1] as Notice['kind'],
        environment: stackEnvironment(item[2]),
        text: line,
      });
    } else if (GUARDRAIL_HEADER.test(line)) {
      header = line;
    } else if (line.trim() !== '') {
      other.push(line);
    }
  }
  return { notices, header, other };
}

/** The manifest's annotations (`Warning: dev-compute: no domain configured ...`) as notices. */
export function annotationNotices(
  manifest: SynthManifest,
  stackEnvironment: (stack: string) => string | undefined,
): Notice[] {
  return annotationLines(manifest).map((text) => ({
    kind: 'note',
    environment: stackEnvironment(text.replace(/^\w+: /, '').split(/[/:]/)[0]),
    text,
  }));
}

export interface EnvironmentFacts {
  readonly name: string;
  readonly stacks: number;
  readonly resources: number;
  /** Its stacks refuse what a warning tolerates elsewhere (`deletionProtection`). */
  readonly protected: boolean;
}

export interface SynthReportInput {
  readonly environments: readonly EnvironmentFacts[];
  readonly notices: readonly Notice[];
  /** The notice lines of the previous synth into the same directory; undefined when there was none. */
  readonly previous?: ReadonlySet<string>;
  readonly verbose: boolean;
  /** The guardrail summary's first line, printed with `verbose`. */
  readonly header?: string;
}

/** Why a notice is worth printing by default, or undefined if it is expected. */
export function attention(
  notice: Notice,
  protectedEnvironments: ReadonlySet<string>,
  previous: ReadonlySet<string> | undefined,
): 'wrong' | 'new' | undefined {
  if (notice.kind === 'unused') return 'wrong';
  const protectedEnvironment =
    notice.environment !== undefined && protectedEnvironments.has(notice.environment);
  if (protectedEnvironment && (notice.kind === 'warning' || notice.kind === 'note')) return 'wrong';
  if (previous !== undefined && !previous.has(notice.text)) return 'new';
  return undefined;
}

export function synthReport(input: SynthReportInput): string[] {
  if (input.verbose) {
    return [...(input.header === undefined ? [] : [input.header]), ...input.notices.map((n) => n.text)];
  }
  const protectedEnvironments = new Set(input.environments.filter((e) => e.protected).map((e) => e.name));
  const width = Math.max(0, ...input.environments.map((e) => e.name.length));
  const lines = input.environments.map((environment) => {
    const own = input.notices.filter((notice) => notice.environment === environment.name);
    const count = (kind: Notice['kind'], word: string): string | undefined => {
      const n = own.filter((notice) => notice.kind === kind).length;
      return n === 0 ? undefined : `${n} ${word}${n === 1 ? '' : 's'}`;
    };
    const counts = [
      count('warning', 'warning'),
      count('allowed', 'exception'),
      count('suppressed', 'suppression'),
      count('unused', 'unused suppression'),
      count('note', 'note'),
    ].filter((part) => part !== undefined);
    return (
      `${environment.name.padEnd(width)}  ${environment.stacks} stacks, ${environment.resources} resources; ` +
      `guardrails pass${counts.length > 0 ? ` (${counts.join(', ')})` : ''}`
    );
  });
  for (const notice of input.notices) {
    const why = attention(notice, protectedEnvironments, input.previous);
    if (why !== undefined) lines.push(`${why.padEnd(5)} ${notice.text.trim()}`);
  }
  return lines;
}
