// The tool's version, from package.json (bundled in, so `--version` needs no file at run time).
import pkg from '../../package.json';

export const VERSION: string = pkg.version;

/** What `--version` prints: the same line for every command. */
export const versionLine = (): string => `unified-auth ${VERSION}`;
