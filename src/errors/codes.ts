/**
 * The error catalogue: every stable error code, the class of failure it belongs
 * to, and through that class the process exit code. Codes are API (scripts and
 * tests match on them); message wording is not.
 */

/** Exit code of each class of failure. Documented in README.md, "Exit codes". */
export const EXIT_CODES = {
  ok: 0,
  internal: 1,
  usage: 2,
  input: 3,
  model: 4,
  source: 5,
  sink: 6,
  locked: 7,
  gate: 8,
  interrupted: 130,
  terminated: 143,
} as const;

export type FailureClass = keyof typeof EXIT_CODES;

/** Every error code and its failure class, prefixed by the stage that raises it. */
export const ERROR_CODES = {
  INTERNAL: 'internal',

  USAGE_INVALID_OPTION: 'usage',
  USAGE_MISSING_OPTION: 'usage',
  CONFIG_FILE_UNREADABLE: 'usage',
  CONFIG_INVALID: 'usage',

  SOURCE_NOT_FOUND: 'source',
  SOURCE_READ_FAILED: 'source',
  SOURCE_UNSUPPORTED_URI: 'source',
  SOURCE_INTEGRITY: 'source',
  SOURCE_FORBIDDEN: 'source',

  CSV_EMPTY: 'input',
  CSV_NO_ROWS: 'input',
  CSV_UNCLOSED_QUOTE: 'input',
  CSV_INVALID_QUOTE: 'input',
  CSV_COLUMN_COUNT: 'input',
  CSV_NOT_A_NUMBER: 'input',
  CSV_MISSING_ID_COLUMN: 'input',
  CSV_DUPLICATE_HEADER: 'input',
  CSV_EMPTY_ID: 'input',
  CSV_FIELD_TOO_LONG: 'input',
  CSV_RECORD_TOO_LONG: 'input',
  CSV_INVALID_UTF8: 'input',
  CSV_DUPLICATE_ID: 'input',
  CSV_TOO_MANY_REJECTS: 'input',
  CSV_MISSING_VALUE: 'input',
  CSV_NOT_AN_INTEGER: 'input',
  CSV_NOT_A_BOOLEAN: 'input',
  CSV_DTYPE_MISMATCH: 'input',
  CSV_HEADER_MISMATCH: 'input',

  MODEL_LOAD_FAILED: 'model',
  MODEL_NOT_ONNX: 'model',
  MODEL_UNSUPPORTED_INPUT: 'model',
  MODEL_FEATURES_REQUIRED: 'model',
  MODEL_MISSING_COLUMN: 'model',
  MODEL_OUTPUT_NOT_FOUND: 'model',
  MODEL_OUTPUT_AMBIGUOUS: 'model',
  MODEL_OUTPUT_COLUMN: 'model',
  MODEL_RUN_FAILED: 'model',
  MODEL_SHA256_MISMATCH: 'model',
  MODEL_FEATURE_COUNT: 'model',
  MODEL_BATCH_CONFLICT: 'model',
  MODEL_NO_INPUTS: 'model',
  MODEL_TRUNCATED: 'model',
  MODEL_UNSUPPORTED_OPSET: 'model',
  MODEL_LOCALE_MISSING: 'model',

  SINK_FAILED: 'sink',
  SINK_INVALID_NAME: 'sink',
  SINK_NO_PREVIOUS_VERSION: 'sink',
  SINK_LOCKED: 'locked',

  GATE_FAILED: 'gate',

  INTERRUPTED: 'interrupted',
  TERMINATED: 'terminated',
} as const satisfies Record<string, FailureClass>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The exit code a given error code ends the process with. */
export function exitCodeOf(code: ErrorCode): number {
  return EXIT_CODES[ERROR_CODES[code]];
}
