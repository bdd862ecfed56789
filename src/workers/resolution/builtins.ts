// Names every file of a language sees without importing them: references to these point at
// the language runtime, so they are counted as external and never linked by name.
import type { Language } from '../../shared/graph-model.js';

const PYTHON = `abs all any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex
delattr dict dir divmod enumerate eval exec filter float format frozenset getattr globals hasattr hash help hex
id input int isinstance issubclass iter len list locals map max memoryview min next object oct open ord pow
print property range repr reversed round set setattr slice sorted staticmethod str sum super tuple type vars zip
Exception BaseException ValueError TypeError KeyError IndexError AttributeError RuntimeError NotImplementedError
StopIteration OSError IOError ImportError AssertionError NotImplemented Ellipsis`;

const JAVASCRIPT = `Array ArrayBuffer BigInt Boolean DataView Date Error EvalError Float32Array Float64Array Function
Int8Array Int16Array Int32Array Intl JSON Map Math Number Object Promise Proxy RangeError ReferenceError Reflect
RegExp Set String Symbol SyntaxError TypeError URIError Uint8Array Uint16Array Uint32Array WeakMap WeakSet
console document window globalThis process require module exports setTimeout clearTimeout setInterval
clearInterval queueMicrotask structuredClone fetch parseInt parseFloat isNaN isFinite encodeURIComponent
decodeURIComponent Buffer URL URLSearchParams TextEncoder TextDecoder AbortController Event EventTarget
Record Partial Required Readonly Pick Omit Exclude Extract NonNullable ReturnType Parameters InstanceType
Awaited Promise PromiseLike Iterable Iterator AsyncIterable Generator ReadonlyArray ReadonlyMap ReadonlySet`;

const JAVA = `Object String StringBuilder StringBuffer System Math Integer Long Short Byte Double Float Boolean
Character Number Void Thread Runnable Exception RuntimeException Error Throwable IllegalArgumentException
IllegalStateException NullPointerException UnsupportedOperationException IndexOutOfBoundsException
ClassCastException ArithmeticException InterruptedException CloneNotSupportedException Iterable Comparable
CharSequence AutoCloseable Override Deprecated SuppressWarnings FunctionalInterface SafeVarargs Class Enum Record`;

const GO = `append cap clear close complex copy delete imag len make max min new panic print println real recover
bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint uint8 uint16
uint32 uint64 uintptr any comparable iota nil true false`;

const BUILTINS: Record<Language, ReadonlySet<string>> = {
  python: words(PYTHON),
  javascript: words(JAVASCRIPT),
  typescript: words(JAVASCRIPT),
  java: words(JAVA),
  go: words(GO),
};

export function isBuiltin(language: Language, name: string): boolean {
  return BUILTINS[language].has(name);
}

/** Receivers that mean "the enclosing class's instance" (or its bases for `super`). */
export function isSelfReceiver(language: Language, name: string): boolean {
  if (language === 'python') return name === 'self' || name === 'cls';
  if (language === 'go') return false;
  return name === 'this';
}

export function isSuperReceiver(language: Language, name: string): boolean {
  return name === 'super' || (language === 'python' && name === 'super()');
}

function words(text: string): ReadonlySet<string> {
  return new Set(text.split(/\s+/).filter(Boolean));
}
