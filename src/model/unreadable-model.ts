import { PrescoreError } from '../errors/index.js';
import { WireError } from './proto-wire.js';

/** File formats a model path turns out to hold, by their first bytes, and what to do about each. */
const KNOWN_FORMATS: readonly { readonly test: (b: Uint8Array) => boolean; readonly what: string; readonly hint: string }[] = [
  { test: (b) => b[0] === 0x1f && b[1] === 0x8b, what: 'a gzip file', hint: 'Decompress it (gunzip) and pass the .onnx inside' },
  { test: (b) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04, what: 'a zip archive (a PyTorch checkpoint, a Keras .keras file, or a zipped model)', hint: 'Export the model to ONNX (torch.onnx.export, tf2onnx, skl2onnx) or unzip the .onnx inside' },
  { test: (b) => b[0] === 0x80 && b[1] !== undefined && b[1] >= 2 && b[1] <= 5, what: 'a Python pickle (joblib, pickle)', hint: 'Convert the estimator with skl2onnx or onnxmltools and pass the .onnx file' },
  { test: (b) => b[0] === 0x89 && b[1] === 0x48 && b[2] === 0x44 && b[3] === 0x46, what: 'an HDF5 file (a Keras .h5 model)', hint: 'Convert it with tf2onnx and pass the .onnx file' },
  { test: (b) => isText(b) && /^\s*</.test(ascii(b)), what: 'HTML or XML (often an error page saved in place of the download)', hint: 'Download the model again and check the URL' },
  { test: (b) => isText(b) && /^\s*[[{]/.test(ascii(b)), what: 'JSON', hint: 'Pass the .onnx file itself, not its description' },
  { test: (b) => isText(b), what: 'text (a CSV? check that --model and --input are not swapped)', hint: 'Pass the .onnx model file to --model' },
];

/** Exporters write ir_version (field 1, varint) first: a file that starts so and breaks off is a cut ONNX file. */
const IR_VERSION_TAG = 0x08;

/**
 * Explains bytes that are not a readable model: MODEL_TRUNCATED when they
 * start as an ONNX model does and stop short (an interrupted copy or
 * download), MODEL_NOT_ONNX otherwise, naming the format they look like and
 * what to do.
 */
export function unreadableModel(bytes: Uint8Array, file: string, cause: unknown): PrescoreError {
  if (bytes.length === 0) {
    return new PrescoreError('MODEL_NOT_ONNX', 'The model file is empty', { file, hint: 'Check the path, or download the model again', cause });
  }
  const known = KNOWN_FORMATS.find((f) => f.test(bytes));
  if (known) return new PrescoreError('MODEL_NOT_ONNX', `The model file is not ONNX: it looks like ${known.what}`, { file, hint: known.hint, cause });
  if (bytes[0] === IR_VERSION_TAG && cause instanceof WireError && cause.kind === 'truncated') {
    return new PrescoreError('MODEL_TRUNCATED', `The model file is cut short: it starts as an ONNX model but ends inside it after ${bytes.length} bytes`, {
      file,
      hint: 'Copy or download it again (compare its size and sha256 with the original; --model-sha256 pins it)',
      cause,
    });
  }
  return new PrescoreError('MODEL_NOT_ONNX', 'The model file is not an ONNX model (its bytes are not an ONNX ModelProto)', {
    file,
    hint: 'Pass a .onnx file exported by skl2onnx, onnxmltools, tf2onnx or torch.onnx.export',
    cause,
  });
}

/** Whether the first bytes are printable ASCII or UTF-8 text. */
function isText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 512);
  for (const b of head) if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) return false;
  return true;
}

function ascii(bytes: Uint8Array): string {
  return Buffer.from(bytes.subarray(0, 64)).toString('latin1');
}
