// Step 1 of the pipeline: one walk of the folder, recording every parseable file and every
// skipped one with its reason (DESIGN.md "Pipeline").
import type { Dirent, Stats } from 'node:fs';
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ScanProgress } from '../../shared/events.js';
import type { FileRecord, SkippedFile } from '../../shared/session.js';
import { BUILD_OUTPUT_FOLDER, EXCLUDED_FOLDER, exclusionReason } from './excluded-folders.js';
import { IgnoreRules } from './ignore-rules.js';
import { isDeclarationFile, languageOf } from './languages.js';
import { compareStrings } from '../../shared/order.js';

export { languageOf } from './languages.js';

export interface ScanOptions {
  maxFileBytes: number;
  extraIgnore?: string[];
  /** After each folder read: what the walk has seen so far. */
  onProgress?: (progress: ScanProgress) => void;
  /** Asked between batches of folders: true ends the scan with a ScanStopped error. */
  shouldStop?: () => boolean;
}

/** The scan was stopped by its `shouldStop` before it finished. */
export class ScanStopped extends Error {
  constructor() {
    super('the scan was stopped');
  }
}

export interface ScanResult {
  /** Sorted by path. */
  files: FileRecord[];
  /** Sorted by path. */
  skipped: SkippedFile[];
}

const UNREADABLE_FOLDER = 'unreadable folder';
const EXCLUDED_FOLDER_REASONS = new Set([EXCLUDED_FOLDER, BUILD_OUTPUT_FOLDER]);

/**
 * Whether a skipped entry is a folder that was not descended into (its files are not listed
 * one by one), rather than a single file or link.
 */
export function isSkippedFolder(skipped: SkippedFile): boolean {
  return EXCLUDED_FOLDER_REASONS.has(skipped.reason) || skipped.reason.startsWith(UNREADABLE_FOLDER);
}

const BINARY_SNIFF_BYTES = 8 * 1024;
/** Folders read between turns of the event loop (a cancel, progress, IPC), as all reads are synchronous. */
const FOLDERS_PER_TURN = 64;

interface Folder {
  /** Root-relative, '' for the root. */
  path: string;
  absolute: string;
  /** Canonical path, to recognise a folder reached again through a symlink. */
  real: string;
  rules: IgnoreRules;
}

interface PendingLink {
  path: string;
  absolute: string;
  rules: IgnoreRules;
}

/**
 * Walks `root` once and returns the parseable files and the skipped ones, both sorted by path.
 * Throws only when the root itself cannot be read; anything below it that fails is skipped.
 */
export async function scanFolder(root: string, options: ScanOptions): Promise<ScanResult> {
  let realRoot: string;
  try {
    realRoot = await realpath(root);
    if (!(await stat(realRoot)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (error) {
    throw new Error(`Cannot scan ${root}: ${describeError(error)}. Choose an existing folder you can read.`);
  }
  const walk = new FolderWalk(realRoot, options);
  await walk.run(root);
  return walk.result();
}

class FolderWalk {
  private readonly files: FileRecord[] = [];
  private readonly skipped: SkippedFile[] = [];
  private readonly visitedFolders = new Set<string>();
  private readonly skippedFolders = new Set<string>();
  private readonly recordedFiles = new Map<string, string>();
  private readonly pendingLinks: PendingLink[] = [];
  private foldersSinceTurn = 0;
  private readonly sniff = Buffer.alloc(BINARY_SNIFF_BYTES);
  private seen = 0;

  constructor(
    private readonly realRoot: string,
    private readonly options: ScanOptions,
  ) {}

  async run(root: string): Promise<void> {
    await this.walkTree({ path: '', absolute: root, real: this.realRoot, rules: IgnoreRules.forRoot(this.options.extraIgnore) });
    // Links are followed after the plain tree, in path order, so that the plain path of a
    // file or folder always wins over a link to it and the outcome does not depend on timing.
    while (this.pendingLinks.length > 0) {
      const batch = this.pendingLinks.splice(0).sort((a, b) => compareStrings(a.path, b.path));
      for (const link of batch) await this.followLink(link);
    }
  }

  result(): ScanResult {
    return {
      files: this.files.sort((a, b) => compareStrings(a.path, b.path)),
      skipped: this.skipped.sort((a, b) => compareStrings(a.path, b.path)),
    };
  }

  /**
   * Walks `top` and every folder below it, depth first, from a stack of folders still to read:
   * reading a folder is synchronous, and a promise per folder (an async recursion) was a fifth
   * of the scan's time on django's 2,364 folders.
   */
  private async walkTree(top: Folder): Promise<void> {
    const toRead = [top];
    for (let folder = toRead.pop(); folder !== undefined; folder = toRead.pop()) {
      if (++this.foldersSinceTurn >= FOLDERS_PER_TURN) {
        this.foldersSinceTurn = 0;
        await nextTurn();
        if (this.options.shouldStop?.()) throw new ScanStopped();
      }
      this.readFolder(folder, toRead);
    }
  }

  /** Records the folder's files and skipped entries, and pushes its subfolders onto `toRead`. */
  private readFolder(folder: Folder, toRead: Folder[]): void {
    this.visitedFolders.add(folder.real);
    let entries: Dirent[];
    try {
      // Synchronous, like the file reads: from the page cache it is half the CPU of a promise per folder.
      entries = readdirSync(folder.absolute, { withFileTypes: true });
    } catch (error) {
      if (folder.path === '') throw new Error(`Cannot read ${folder.absolute}: ${describeError(error)}.`);
      this.skip(folder.path, `${UNREADABLE_FOLDER} (${errorCode(error)})`);
      return;
    }
    const names = new Set(entries.map((entry) => entry.name));
    const rules = folder.rules.enter(folder.path, folder.absolute, names);
    // Absolute and canonical paths only for entries that need them: most files in a tree are
    // not code (translations, images, data), and joining paths was a third of the walk's own time.
    const absoluteBase = withTrailingSeparator(folder.absolute);
    const realBase = withTrailingSeparator(folder.real);
    for (const entry of entries) {
      const path = folder.path === '' ? entry.name : `${folder.path}/${entry.name}`;
      if (entry.isSymbolicLink()) {
        if (!rules.ignores(path, false)) this.pendingLinks.push({ path, absolute: absoluteBase + entry.name, rules });
      } else if (entry.isDirectory()) {
        const real = realBase + entry.name;
        const reason = exclusionReason(entry.name, names);
        if (reason !== null) {
          this.skippedFolders.add(real);
          this.skip(path, reason);
        } else if (rules.ignores(path, true)) {
          this.skippedFolders.add(real);
        } else if (this.visitedFolders.has(real)) {
          // Only inside a followed link: the folder was already reached by another path.
          this.skip(path, `same folder as ${this.displayPath(real)}, scanned there`);
        } else {
          toRead.push({ path, absolute: absoluteBase + entry.name, real, rules });
        }
      } else if (isCandidate(path) && !rules.ignores(path, false)) {
        if (entry.isFile()) this.inspectFile(path, absoluteBase + entry.name, realBase + entry.name);
        // Opening a FIFO would block the scan; sockets and devices are not source either.
        else this.skip(path, 'not a regular file');
      }
    }
    this.seen += entries.length;
    this.options.onProgress?.({ entriesSeen: this.seen, filesFound: this.files.length });
  }

  private async followLink(link: PendingLink): Promise<void> {
    let real: string;
    try {
      real = await realpath(link.absolute);
    } catch (error) {
      if (isCandidate(link.path)) this.skip(link.path, `broken symlink (${errorCode(error)})`);
      return;
    }
    let target: Stats;
    try {
      target = await stat(real);
    } catch (error) {
      if (isCandidate(link.path)) this.skip(link.path, `unreadable symlink target (${errorCode(error)})`);
      return;
    }
    const isFolder = target.isDirectory();
    if (!isFolder && !isCandidate(link.path)) return;
    if (!isFolder && !target.isFile()) {
      this.skip(link.path, 'not a regular file');
      return;
    }
    if (real !== this.realRoot && !real.startsWith(this.realRoot + sep)) {
      this.skip(link.path, 'symlink outside the folder');
      return;
    }
    if (this.insideSkippedFolder(real)) {
      this.skip(link.path, 'symlink into an excluded folder');
      return;
    }
    if (!isFolder) {
      this.inspectFile(link.path, link.absolute, real);
      return;
    }
    const name = link.path.slice(link.path.lastIndexOf('/') + 1);
    const exclusion = exclusionReason(name, new Set());
    if (exclusion !== null) {
      this.skip(link.path, exclusion);
    } else if (this.visitedFolders.has(real)) {
      // Also what stops symlink loops: a link back to an ancestor points at a visited folder.
      this.skip(link.path, `symlink to ${this.displayPath(real)}, scanned there`);
    } else if (!link.rules.ignores(link.path, true)) {
      await this.walkTree({ path: link.path, absolute: link.absolute, real, rules: link.rules });
    }
  }

  private inspectFile(path: string, absolute: string, real: string): void {
    const scannedAs = this.recordedFiles.get(real);
    if (scannedAs !== undefined) {
      this.skip(path, `same file as ${scannedAs}, scanned there`);
      return;
    }
    // Claimed whatever the read finds: a second path to the file is reported against this one.
    this.recordedFiles.set(real, path);
    const declaration = isDeclarationFile(path);
    const outcome = declaration ? 'declaration file' : this.readFileFacts(path, absolute);
    if (typeof outcome === 'string') {
      this.skip(path, outcome);
      return;
    }
    this.files.push(outcome);
  }

  /**
   * The file's record, or the reason it is skipped. Synchronous: four system calls on a file
   * the page cache usually holds cost less than the promises and thread-pool hops of async
   * ones (the scan of Go's source took 1.2 s of CPU that way).
   */
  private readFileFacts(path: string, absolute: string): FileRecord | string {
    const language = languageOf(path)!;
    let fd: number;
    try {
      fd = openSync(absolute, 'r');
    } catch (error) {
      return `unreadable file (${errorCode(error)})`;
    }
    try {
      const facts = fstatSync(fd);
      if (facts.size > this.options.maxFileBytes) return `larger than ${formatBytes(this.options.maxFileBytes)}`;
      const bytesRead = readSync(fd, this.sniff, 0, Math.min(facts.size, BINARY_SNIFF_BYTES), 0);
      if (this.sniff.subarray(0, bytesRead).includes(0)) return 'binary file';
      return { path, language, size: facts.size, mtimeMs: facts.mtimeMs };
    } catch (error) {
      return `unreadable file (${errorCode(error)})`;
    } finally {
      closeSync(fd);
    }
  }

  private insideSkippedFolder(real: string): boolean {
    for (let at = real; at.length > this.realRoot.length; at = at.slice(0, at.lastIndexOf(sep))) {
      if (this.skippedFolders.has(at)) return true;
    }
    return false;
  }

  private displayPath(real: string): string {
    const path = relative(this.realRoot, real).split(sep).join('/');
    return path === '' ? 'the folder root' : path;
  }

  private skip(path: string, reason: string): void {
    this.skipped.push({ path, reason });
  }
}

/** A folder path ready for an entry name to be appended (a directory entry's name holds no separator). */
function withTrailingSeparator(folder: string): string {
  return folder.endsWith(sep) ? folder : folder + sep;
}

function isCandidate(path: string): boolean {
  return languageOf(path) !== null || isDeclarationFile(path);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : String(error);
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
