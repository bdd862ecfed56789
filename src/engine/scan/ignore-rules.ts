// Ignore rules as git applies them: each .gitignore (and .repographignore) governs its own
// folder and below, and the deepest file with a verdict on a path wins.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

export const IGNORE_FILE_NAMES = ['.gitignore', '.repographignore'] as const;

// Git matches case-sensitively unless the file system folds case (macOS, Windows defaults).
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

interface RuleLevel {
  /** Folder the rules belong to, root-relative, '' for the root. */
  base: string;
  rules: Ignore;
}

/** The ignore files in force for one folder: its own and those of every folder above it. */
export class IgnoreRules {
  private constructor(
    private readonly levels: readonly RuleLevel[],
    private readonly extra: Ignore | null,
  ) {}

  /** Rules for the scan root: `extraIgnore` patterns are root-relative and always win. */
  static forRoot(extraIgnore: readonly string[] | undefined): IgnoreRules {
    const patterns = (extraIgnore ?? []).filter((pattern) => pattern.trim() !== '');
    const extra = patterns.length > 0 ? ignore({ ignorecase: IGNORE_CASE }).add(patterns) : null;
    return new IgnoreRules([], extra);
  }

  /**
   * The rules for `folder` (root-relative), given the ignore files found in it. Returns `this`
   * when the folder has none, so folders without ignore files share their parent's rules.
   * Synchronous, like the scan's other reads: ignore files are small and usually cached.
   */
  enter(folder: string, absoluteFolder: string, entryNames: ReadonlySet<string>): IgnoreRules {
    const contents: string[] = [];
    for (const fileName of IGNORE_FILE_NAMES) {
      if (!entryNames.has(fileName)) continue;
      try {
        contents.push(readFileSync(join(absoluteFolder, fileName), 'utf8'));
      } catch {
        // An unreadable ignore file ignores nothing; the files it would hide are still code.
      }
    }
    if (contents.length === 0) return this;
    const rules = ignore({ ignorecase: IGNORE_CASE });
    // One string per file: `add` splits a string into lines, but not the items of an array.
    for (const content of contents) rules.add(content);
    return new IgnoreRules([...this.levels, { base: folder, rules }], this.extra);
  }

  /** Whether a root-relative path is ignored; folders are tested with their trailing '/'. */
  ignores(relativePath: string, isFolder: boolean): boolean {
    const suffix = isFolder ? '/' : '';
    if (this.extra !== null && safeTest(this.extra, relativePath + suffix).ignored) return true;
    for (let i = this.levels.length - 1; i >= 0; i--) {
      const level = this.levels[i]!;
      const local = level.base === '' ? relativePath : relativePath.slice(level.base.length + 1);
      const verdict = safeTest(level.rules, local + suffix);
      if (verdict.ignored) return true;
      if (verdict.unignored) return false;
    }
    return false;
  }
}

function safeTest(rules: Ignore, path: string): { ignored: boolean; unignored: boolean } {
  try {
    return rules.test(path);
  } catch {
    // `ignore` rejects some names git accepts (e.g. with backslashes): treat them as not ignored.
    return { ignored: false, unignored: false };
  }
}
