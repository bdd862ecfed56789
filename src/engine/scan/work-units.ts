// Step 2 of the pipeline: divide the scanned files into work units by directory, so that a
// unit is a neighbourhood of code (most references resolve inside it) of a bounded size.
import type { FileRecord } from '../../shared/session.js';
import { compareStrings } from '../../shared/order.js';

export interface PlannedUnit {
  index: number;
  /** Readable label of what the unit covers: `src/a`, `src/{a,b}`, `src/*` (files directly in src). */
  path: string;
  files: FileRecord[];
}

export interface WorkUnitSizing {
  /** A hard limit: no unit holds more files. */
  maxFilesPerUnit: number;
  /** In files of the repo's mean cost (see `fileWeights`): units are balanced by work, not file count. */
  targetFilesPerUnit: number;
  workers: number;
}

/**
 * What a file costs beyond its bytes (a read, a tree, its FILE node and state row), in bytes.
 * Measured on django: a unit's parse time follows bytes + ~1 KiB per file far better than its
 * file count (`{core..views}`, 355 files and 3.4 MB, took twice as long as `contrib`, 360 files
 * and 1.4 MB).
 */
const PER_FILE_COST_BYTES = 1024;

/** Below this a unit costs more in process start-up than it saves; smaller only for tiny repos. */
export const MIN_FILES_PER_UNIT = 20;

/**
 * A repo smaller than workers x target is cut into about this many units per worker: files
 * differ in cost, and with one unit per worker the run waits on the slowest one. A unit costs
 * a process start (~0.2 s) and resolves fewer references inside itself, so not more, and not
 * below 500 files. Measured on Go's source with 2 workers, units balanced by bytes: 4 units
 * took 25-28 s of CPU, 8 units 28-30 s (interleaved runs; the largest units run first).
 */
export const UNITS_PER_WORKER = 2;
const BALANCING_MIN_FILES = 500;
const TINY_UNIT_FRACTION = 4;

interface Directory {
  path: string;
  /** Files directly inside, sorted by path. */
  files: FileRecord[];
  children: Map<string, Directory>;
  /** Files in the whole subtree. */
  count: number;
  /** Their summed weight. */
  weight: number;
}

/** A run of files that becomes a unit, alone or packed with its siblings. */
interface Piece {
  /** Name inside the parent directory: a child directory's name, or '*' for its own files. */
  name: string;
  label: string;
  files: FileRecord[];
  weight: number;
  /** Only whole small directories and a directory's own files are packed with siblings. */
  packable: boolean;
}

/**
 * Divides files into work units (DESIGN.md step 2). Every file lands in exactly one unit, no
 * unit exceeds `maxFilesPerUnit`, and the same set of files gives the same units in any order.
 */
export function divideIntoWorkUnits(files: readonly FileRecord[], options: WorkUnitSizing): PlannedUnit[] {
  if (files.length === 0) return [];
  const max = Math.max(1, Math.floor(options.maxFilesPerUnit));
  const workers = Math.max(1, Math.floor(options.workers));
  const weightOf = fileWeights(files);
  const tree = buildTree(files, weightOf);

  // A small repo gets smaller units so that every worker has several.
  const floor = Math.min(MIN_FILES_PER_UNIT, files.length);
  let target = Math.min(max, Math.max(1, Math.floor(options.targetFilesPerUnit)), Math.max(floor, balancedTarget(files.length, workers)));
  target = evenRounds(files.length, workers, target);
  // A run under a quarter of the target joins a neighbour when they fit: a unit of 40 files costs
  // a process start (~0.2 s) for half a second of parsing.
  const sizing = (target: number): Sizing => ({
    target,
    split: splitThreshold(target, options.targetFilesPerUnit, max),
    floor: Math.max(floor, Math.floor(target / TINY_UNIT_FRACTION)),
    maxFiles: max,
    weightOf,
  });
  let pieces = planDirectory(tree, sizing(target));
  // Directory shapes can still leave fewer units than workers (one big leaf folder): shrink until not.
  while (pieces.length < workers && target > floor) {
    target = Math.max(floor, Math.floor(target / 2));
    pieces = planDirectory(tree, sizing(target));
  }
  // Whole rounds (one unit per worker, or as many for each): the heaviest unit of a round sets
  // its length, and in the last round no later unit evens it out.
  if (workers > 1 && (pieces.length <= workers || pieces.length % workers === 0)) pieces = evenNeighbours(pieces, sizing(target));
  return pieces.map((piece, index) => ({ index, path: piece.label, files: [...piece.files].sort((a, b) => compareStrings(a.path, b.path)) }));
}

/** Several units per worker, but not below BALANCING_MIN_FILES where one unit per worker is larger than that. */
function balancedTarget(files: number, workers: number): number {
  const perWorker = Math.ceil(files / workers);
  if (workers === 1) return perWorker; // nothing to balance: units would only add process starts
  return Math.max(Math.ceil(perWorker / UNITS_PER_WORKER), Math.min(perWorker, BALANCING_MIN_FILES));
}

/**
 * A repo of more files than one round of units (workers x target) gets a unit count that is a
 * multiple of the workers, each unit as large as that allows: with 5 units of ~3,000 files
 * for 2 workers, the fifth runs alone while the other worker idles (OpenJDK's source, 15,143
 * files: 18 of its 71 s), while 6 units of ~2,500 make three full rounds.
 */
function evenRounds(files: number, workers: number, target: number): number {
  if (workers === 1 || files <= workers * target) return target;
  const rounds = Math.ceil(files / (workers * target));
  return Math.ceil(files / (workers * rounds));
}

/** A directory above this is split; it keeps the configured max:target ratio as target shrinks. */
function splitThreshold(target: number, configuredTarget: number, max: number): number {
  const ratio = configuredTarget > 0 ? max / configuredTarget : 1;
  return Math.min(max, Math.max(target, Math.round(target * Math.max(1, ratio))));
}

/**
 * Each file's weight: its bytes plus a fixed per-file cost, scaled so that the mean file
 * weighs 1. The sizes in files of the plan (target, floors) then read as "that many files
 * of average cost", and a repo of equal files is divided exactly as by file count.
 */
function fileWeights(files: readonly FileRecord[]): (file: FileRecord) => number {
  let bytes = 0;
  for (const file of files) bytes += Math.max(0, file.size);
  const meanCost = bytes / files.length + PER_FILE_COST_BYTES;
  return (file) => (Math.max(0, file.size) + PER_FILE_COST_BYTES) / meanCost;
}

function buildTree(files: readonly FileRecord[], weightOf: (file: FileRecord) => number): Directory {
  const root = newDirectory('');
  const seen = new Set<string>();
  for (const file of [...files].sort((a, b) => compareStrings(a.path, b.path))) {
    if (seen.has(file.path)) throw new Error(`Cannot plan work units: ${file.path} is listed twice.`);
    seen.add(file.path);
    const weight = weightOf(file);
    const segments = file.path.split('/');
    let directory = root;
    for (const segment of segments.slice(0, -1)) {
      let child = directory.children.get(segment);
      if (child === undefined) {
        child = newDirectory(directory.path === '' ? segment : `${directory.path}/${segment}`);
        directory.children.set(segment, child);
      }
      directory.count++;
      directory.weight += weight;
      directory = child;
    }
    directory.count++;
    directory.weight += weight;
    directory.files.push(file);
  }
  return root;
}

function newDirectory(path: string): Directory {
  return { path, files: [], children: new Map(), count: 0, weight: 0 };
}

/** Sizes are weights (files of mean cost), except `maxFiles`. */
interface Sizing {
  /** Packed siblings stop growing at this weight. */
  target: number;
  /** A directory above this weight is split into its children. */
  split: number;
  /** Runs lighter than this are merged with a neighbour when possible. */
  floor: number;
  /** No unit holds more files than this, whatever their weight. */
  maxFiles: number;
  weightOf(file: FileRecord): number;
}

/** The units for one directory, in path order; each weighs at most `split` (or is one file) and holds at most `maxFiles`. */
function planDirectory(directory: Directory, plan: Sizing): Piece[] {
  const { split, maxFiles } = plan;
  const name = directory.path.slice(directory.path.lastIndexOf('/') + 1);
  if (directory.weight <= split && directory.count <= maxFiles) {
    return [{ name, label: directory.path === '' ? '.' : directory.path, files: allFiles(directory), weight: directory.weight, packable: true }];
  }
  const pieces: Piece[] = [];
  // Files directly inside a split directory form a piece of their own: never dropped.
  const own = directory.files;
  const ownLabel = directory.path === '' ? '*' : `${directory.path}/*`;
  const ownWeight = sumWeights(own, plan.weightOf);
  if (ownWeight > split || own.length > maxFiles) {
    const parts = splitRun(own, ownWeight, plan);
    parts.forEach(({ files, weight }, part) => {
      pieces.push({ name: '*', label: `${ownLabel} (part ${part + 1} of ${parts.length})`, files, weight, packable: false });
    });
  } else if (own.length > 0) {
    pieces.push({ name: '*', label: ownLabel, files: own, weight: ownWeight, packable: true });
  }
  const childNames = [...directory.children.keys()].sort(compareStrings);
  for (const childName of childNames) {
    // A split child's units come back final (not packable); a whole child may join siblings.
    pieces.push(...planDirectory(directory.children.get(childName)!, plan));
  }
  return packSiblings(directory.path, pieces, plan);
}

/**
 * Cuts a run of files (in path order) into parts of about equal weight near `target`, none
 * holding more than `maxFiles`; each part with its weight.
 */
function splitRun(files: readonly FileRecord[], weight: number, plan: Sizing): { files: FileRecord[]; weight: number }[] {
  const parts = Math.max(Math.ceil(weight / plan.target), Math.ceil(files.length / plan.maxFiles));
  const perPart = weight / parts;
  const out: { files: FileRecord[]; weight: number }[] = [];
  let current: FileRecord[] = [];
  let currentWeight = 0;
  for (const file of files) {
    const fileWeight = plan.weightOf(file);
    // A file goes to the next part when more than half of it would overflow this one.
    if (current.length > 0 && (currentWeight + fileWeight / 2 > perPart || current.length >= plan.maxFiles)) {
      out.push({ files: current, weight: currentWeight });
      current = [];
      currentWeight = 0;
    }
    current.push(file);
    currentWeight += fileWeight;
  }
  if (current.length > 0) out.push({ files: current, weight: currentWeight });
  return out;
}

/** A move of files between neighbours must even them by more than this share of the heavier, or it is not worth a less tidy unit. */
const MIN_EVENING_GAIN = 0.02;

/**
 * Whole folders are coarse: django's top level leaves its two units 17% apart in weight, and
 * in time (2.36 s and 2.77 s). Moves the boundary between neighbouring units (in tree order,
 * see compareInTree) to the folder boundary that evens the two best, so a unit stays a run of
 * neighbouring folders (django: `*..db/backends/base` and `db/backends/dummy..views/generic`).
 * Wherever the units make whole rounds: a folder kept whole below the split threshold can
 * weigh 1.6 times the target (Go's `cmd`: 41% of the source in one of 4 units, whose last one
 * then ran alone for about 2 s of 11), and evened units took 6% less wall time on Go's source
 * (4 interleaved pairs, each faster). With a partial last round, uneven units let the
 * largest-first order fill the gaps. Deterministic: the moves depend only on the plan.
 */
function evenNeighbours(pieces: readonly Piece[], plan: Sizing): Piece[] {
  // Each file's folder, found once: the cuts below look at every file of two units per pass.
  const folders = new Map<FileRecord, string>();
  for (const piece of pieces) for (const file of piece.files) folders.set(file, folderOf(file.path));
  const units = pieces.map((piece) => ({ ...piece, files: sortedInTree(piece.files, folders), moved: false }));
  for (let pass = 0; pass < units.length; pass++) {
    let changed = false;
    for (let i = 0; i + 1 < units.length; i++) {
      const left = units[i]!;
      const right = units[i + 1]!;
      const run = [...left.files, ...right.files];
      const cut = bestCut(run, left.files.length, plan, folders);
      if (cut === left.files.length) continue;
      left.files = run.slice(0, cut);
      right.files = run.slice(cut);
      left.weight = sumWeights(left.files, plan.weightOf);
      right.weight = sumWeights(right.files, plan.weightOf);
      left.moved = right.moved = true;
      changed = true;
    }
    if (!changed) break;
  }
  return units.map(({ moved, ...piece }) => (moved ? { ...piece, label: rangeLabel(piece.files) } : piece));
}

/**
 * Where to cut a run of two neighbours' files: at a change of folder, both sides within the
 * file limit, the heavier side as light as possible; `current` unless that gains enough.
 */
function bestCut(run: readonly FileRecord[], current: number, plan: Sizing, folders: ReadonlyMap<FileRecord, string>): number {
  const before = [0];
  for (const file of run) before.push(before[before.length - 1]! + plan.weightOf(file));
  const total = before[run.length]!;
  const heavier = (cut: number): number => Math.max(before[cut]!, total - before[cut]!);
  let best = current;
  for (let cut = 1; cut < run.length; cut++) {
    if (cut > plan.maxFiles || run.length - cut > plan.maxFiles) continue;
    if (folders.get(run[cut - 1]!) === folders.get(run[cut]!)) continue;
    if (heavier(cut) < heavier(best)) best = cut;
  }
  return heavier(best) < heavier(current) * (1 - MIN_EVENING_GAIN) ? best : current;
}

/**
 * The planner's order: a folder's own files, then its subfolders one after another. In plain
 * path order a folder's own files can come on both sides of a subfolder (`reflect/abi.go`,
 * `reflect/internal/...`, `reflect/value.go`), and a cut there would split one Go package
 * over two units, which then resolve its calls without seeing all of it.
 */
function sortedInTree(files: readonly FileRecord[], folders: ReadonlyMap<FileRecord, string>): FileRecord[] {
  // Each folder split into its names once, not at every comparison.
  const keyed = files.map((file) => {
    const folder = folders.get(file)!;
    return { file, folder, names: folder === '' ? [] : folder.split('/') };
  });
  keyed.sort(compareInTree);
  return keyed.map((entry) => entry.file);
}

interface InTree {
  file: FileRecord;
  folder: string;
  names: string[];
}

function compareInTree(a: InTree, b: InTree): number {
  if (a.folder === b.folder) return compareStrings(a.file.path, b.file.path);
  for (let i = 0; i < Math.min(a.names.length, b.names.length); i++) {
    const order = compareStrings(a.names[i]!, b.names[i]!);
    if (order !== 0) return order;
  }
  // One folder holds the other: its own files come first.
  return a.names.length - b.names.length;
}

function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** `db/backends/mysql..views`: the folders of a unit's first and last file ('*' for the root's own files). */
function rangeLabel(files: readonly FileRecord[]): string {
  const first = folderOf(files[0]!.path) || '*';
  const last = folderOf(files[files.length - 1]!.path) || '*';
  return first === last ? first : `${first}..${last}`;
}

function sumWeights(files: readonly FileRecord[], weightOf: (file: FileRecord) => number): number {
  let weight = 0;
  for (const file of files) weight += weightOf(file);
  return weight;
}

interface Group {
  members: Piece[];
  size: number;
  files: number;
  /** A split child's unit or an oversized run of own files: never merged with anything. */
  fixed: boolean;
}

/**
 * Packs runs of adjacent small siblings into units of up to `target` files. A run still under
 * `floor` may grow up to `split` rather than stay a tiny unit of its own.
 */
function packSiblings(parentPath: string, pieces: Piece[], plan: Sizing): Piece[] {
  const groups: Group[] = [];
  for (const piece of pieces) {
    const last = groups[groups.length - 1];
    const size = piece.weight;
    const fits = last !== undefined && !last.fixed && last.files + piece.files.length <= plan.maxFiles &&
      (last.size + size <= plan.target || (last.size < plan.floor && last.size + size <= plan.split));
    if (piece.packable && fits) {
      last.members.push(piece);
      last.size += size;
      last.files += piece.files.length;
    } else {
      groups.push({ members: [piece], size, files: piece.files.length, fixed: !piece.packable });
    }
  }
  // A tiny run left at the end of a stretch joins the run before it when both fit in one unit.
  for (let i = groups.length - 1; i > 0; i--) {
    const group = groups[i]!;
    const previous = groups[i - 1]!;
    if (!group.fixed && !previous.fixed && group.size < plan.floor && previous.size + group.size <= plan.split && previous.files + group.files <= plan.maxFiles) {
      previous.members.push(...group.members);
      previous.size += group.size;
      previous.files += group.files;
      groups.splice(i, 1);
    }
  }
  return groups.map((group) =>
    group.members.length === 1
      ? { ...group.members[0]!, packable: false }
      : { name: '', label: packLabel(parentPath, group.members), files: group.members.flatMap((piece) => piece.files), weight: group.size, packable: false },
  );
}

function packLabel(parentPath: string, run: readonly Piece[]): string {
  const names = run.map((piece) => piece.name);
  const listed = names.length <= 3 ? names.join(',') : `${names[0]}..${names[names.length - 1]}`;
  return parentPath === '' ? `{${listed}}` : `${parentPath}/{${listed}}`;
}

/** Every file at or below `directory`, in path order (sorted once, not again at every level). */
function allFiles(directory: Directory): FileRecord[] {
  const files: FileRecord[] = [];
  const collect = (at: Directory): void => {
    for (const file of at.files) files.push(file);
    for (const child of at.children.values()) collect(child);
  };
  collect(directory);
  return files.sort((a, b) => compareStrings(a.path, b.path));
}
