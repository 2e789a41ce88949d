export { EXIT_CODES, ERROR_CODES, exitCodeOf } from './codes.js';
export type { ErrorCode, FailureClass } from './codes.js';
export { PrescoreError, isPrescoreError } from './prescore-error.js';
export type { ErrorData, ErrorPosition, PrescoreErrorOptions } from './prescore-error.js';
export type { RejectedRow } from './rejected-row.js';
