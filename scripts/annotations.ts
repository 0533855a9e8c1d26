/** An annotation as cdktf writes it into `manifest.json` (`Annotations.of(construct).addWarning(...)`). */
export interface ManifestAnnotation {
  readonly constructPath: string;
  readonly level: string;
  readonly message: string;
}

export interface SynthManifest {
  readonly stacks: Readonly<Record<string, { readonly annotations?: readonly ManifestAnnotation[] }>>;
}

const LEVELS: Readonly<Record<string, string>> = {
  '@cdktf/info': 'Info',
  '@cdktf/warn': 'Warning',
  '@cdktf/error': 'Error',
};

/**
 * One line per annotation of every stack, `Warning: <construct path>: <message>`. The cdktf CLI
 * prints these after a synth; the fast synth runs the app itself, so it prints them here.
 */
export function annotationLines(manifest: SynthManifest): string[] {
  return Object.values(manifest.stacks).flatMap((stack) =>
    (stack.annotations ?? []).map(
      (annotation) =>
        `${LEVELS[annotation.level] ?? annotation.level}: ${annotation.constructPath}: ${annotation.message}`,
    ),
  );
}
