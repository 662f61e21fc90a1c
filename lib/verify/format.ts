// The findings as text (one line each), markdown (a pull-request comment) or JSON (machines).
import type { Finding } from './checks';

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
