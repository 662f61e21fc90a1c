// Markdown building blocks shared by the generated docs, so every doc escapes and lays out alike.
import { GENERATED_HEADER, textFile, type OutputFile } from '../base/file-text';

/** The generated-file notice as an HTML comment (a leading `#` would be a Markdown heading). */
const MD_HEADER = `<!-- ${GENERATED_HEADER.replace(/^#\s*/, '').trim()} -->\n`;

export const markdownFile = (path: string, lines: string[]): OutputFile => textFile(path, `${MD_HEADER}${lines.join('\n')}\n`);

/** A table cell: pipes escaped, line breaks (\n, \r: Markdown ends a line at either) flattened. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r\n|\r|\n/g, ' ');

export function table(headers: string[], rows: string[][]): string[] {
  return [
    `| ${headers.map(cell).join(' | ')} |`,
    `|${headers.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

/**
 * A free-text name (an Authentik application, provider or group name: docs/names.md) as inline
 * Markdown text: what Markdown would read as emphasis, a link, a code span, HTML or an entity is
 * backslash-escaped, and a line break (which would end the line or the table row) becomes a space.
 * `|` is left to `table` (a cell escapes it; prose does not need it).
 */
export const mdText = (s: string) => s.replace(/[\\`*_[\]<>&~]/g, '\\$&').replace(/\r\n|\r|\n/g, ' ');

/** Inline code; a double-backtick span when the text holds a backtick itself. */
export const code = (s: string) => (s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``);

/** A fenced block. */
export const fence = (lang: string, body: string): string[] => ['```' + lang, ...body.replace(/\n$/, '').split('\n'), '```'];
