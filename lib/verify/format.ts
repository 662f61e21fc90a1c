// The findings as text (one line each), markdown (a pull-request comment) or JSON (machines).

/** One difference between the output and the live Authentik, as every comparison (checks, objects, outpost) reports it. */
export interface Finding {
  /** The object: `blueprint mounted/cm-x/y.yaml`, `issuer https://…/`. */
  object: string;
  expected: string;
  found: string;
  fix: string;
}

export const VERIFY_FORMATS = ['text', 'markdown', 'json'] as const;
export type VerifyFormat = (typeof VERIFY_FORMATS)[number];

const line = (f: Finding) => `${f.object}: expected ${f.expected}, found ${f.found}; ${f.fix}`;

const FORMATTERS: Readonly<Record<VerifyFormat, (fs: ReadonlyArray<Finding>, title: string) => string>> = {
  text: (fs, title) => (fs.length ? fs.map((f) => `verify: ${line(f)}\n`).join('') : `${title}: the cluster matches the output\n`),
  markdown: (fs, title) =>
    `### ${title}\n\n` +
    (fs.length ? fs.map((f) => `- ${line(f).replace(/[|<>]/g, (c) => `\\${c}`)}\n`).join('') : 'The cluster matches the output.\n'),
  json: (fs) => `${JSON.stringify({ findings: fs }, null, 2)}\n`,
};

export const formatFindings = (fs: ReadonlyArray<Finding>, format: VerifyFormat, title: string): string => FORMATTERS[format](fs, title);
