// Errors cross process and IPC boundaries as plain data, never as prototyped objects.

export type ErrorCode =
  | 'INVALID_INPUT'
  | 'FOLDER_NOT_FOUND'
  | 'NOT_A_FOLDER'
  | 'FOLDER_UNREADABLE'
  | 'NOTHING_TO_PARSE'
  | 'SESSION_NOT_FOUND'
  | 'PROJECT_NOT_FOUND'
  | 'NOTHING_TO_RESUME'
  | 'NEO4J_AUTH'
  | 'NEO4J_UNREACHABLE'
  | 'NEO4J_DATABASE'
  | 'NEO4J_TLS'
  | 'NEO4J_ERROR'
  | 'WORKER_START_FAILED'
  | 'WORKER_PROTOCOL'
  | 'INTERNAL';

export interface ErrorData {
  name: string;
  code: ErrorCode;
  message: string;
}

/** An error the user can act on: the message says what happened, to what, and what to do. */
export class RepographError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RepographError';
    this.code = code;
  }
}

export function toErrorData(error: unknown): ErrorData {
  if (error instanceof RepographError) return { name: error.name, code: error.code, message: error.message };
  if (error instanceof Error) return { name: error.name, code: 'INTERNAL', message: error.message };
  return { name: 'Error', code: 'INTERNAL', message: String(error) };
}

export function fromErrorData(data: ErrorData): RepographError {
  return new RepographError(data.code, data.message);
}
