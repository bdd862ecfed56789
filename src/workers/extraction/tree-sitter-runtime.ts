// Starts web-tree-sitter's WASM runtime for the workers.
import { Parser } from 'web-tree-sitter';

/** Emscripten's runtime as web-tree-sitter builds it: the options object given to `Parser.init` becomes the module. */
interface EmscriptenRuntime {
  HEAP32?: Int32Array;
  getValue?: (pointer: number, type?: string) => number;
  setValue?: (pointer: number, value: number, type?: string) => void;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Starts web-tree-sitter with faster 32-bit memory accessors. Every Node a walk touches is
 * copied to and from WASM memory through Emscripten's generic `getValue`/`setValue`, which
 * test the type string and go through a DataView on each call; on a little-endian machine
 * an `i32` is the same read or write on the module's own HEAP32 view (re-read on every call,
 * as memory growth replaces it). Other types keep the original path. Says which path is in use.
 */
export function initTreeSitter(): Promise<'fast' | 'generic'> {
  // Only the process's first `Parser.init` builds the module: later calls get the same answer.
  started ??= start();
  return started;
}

let started: Promise<'fast' | 'generic'> | null = null;

async function start(): Promise<'fast' | 'generic'> {
  const runtime: EmscriptenRuntime = {};
  await Parser.init(runtime);
  const { getValue, setValue } = runtime;
  if (!LITTLE_ENDIAN || !getValue || !setValue || !(runtime.HEAP32 instanceof Int32Array)) return 'generic';
  runtime.getValue = (pointer, type) => (type === 'i32' ? runtime.HEAP32![pointer >> 2]! : getValue(pointer, type));
  runtime.setValue = (pointer, value, type) => {
    if (type === 'i32') runtime.HEAP32![pointer >> 2] = value;
    else setValue(pointer, value, type);
  };
  return 'fast';
}
