import { PrescoreError } from '../errors/index.js';
import type { ModelSignature } from './signature.js';

/** Where an input's ordered column list came from. */
export const FEATURE_SOURCES = ['flag', 'metadata', 'input-names'] as const;
export type FeatureSource = (typeof FEATURE_SOURCES)[number];

/** metadata_props keys read for a one-input model's ordered feature list, first match wins. */
export const FEATURE_METADATA_KEYS = ['prescore.features', 'feature_names'] as const;

/** The ordered column lists given for a model's inputs. */
export interface FeatureLists {
  /** Whether the model has one input (a bare list and metadata lists apply to it). */
  readonly single: boolean;
  /** The columns listed for `input`, in order, if any. */
  listFor(input: string): readonly string[] | undefined;
  /** Where the lists used by `inputs` came from: the flag wins over metadata; none means by name. */
  sourceOf(inputs: readonly string[]): FeatureSource;
}

/**
 * Reads `--features` into one ordered list per input. An item `INPUT=col`
 * (INPUT a declared input name) starts the list of that input, and the items
 * after it continue it: `--features input=sepal_length,sepal_width` feeds the
 * two-column input "input" of a model whose other inputs map by name. Items
 * before any `INPUT=` form a bare list, which goes to the model's only input,
 * or to its only [N, F] input. Without a flag list, a one-input model's list
 * comes from metadata_props (`FEATURE_METADATA_KEYS`). Throws
 * USAGE_INVALID_OPTION for a bare list no input can take, a repeated or empty group.
 */
export function featureLists(signature: ModelSignature, features: readonly string[] | undefined): FeatureLists {
  const inputs = signature.inputs;
  const names = new Set(inputs.map((i) => i.name));
  const groups = new Map<string, string[]>();
  const bare: string[] = [];
  let current = bare;
  for (const item of features ?? []) {
    const eq = item.indexOf('=');
    const input = eq > 0 ? item.slice(0, eq) : undefined;
    if (input === undefined || !names.has(input)) {
      current.push(item);
      continue;
    }
    if (groups.has(input)) throw new PrescoreError('USAGE_INVALID_OPTION', `--features gives the input "${input}" twice`, { value: features!.join(',') });
    current = [];
    groups.set(input, current);
    const first = item.slice(eq + 1).trim();
    if (first !== '') current.push(first);
  }
  for (const [input, list] of groups) {
    if (list.length === 0) throw new PrescoreError('USAGE_INVALID_OPTION', `--features ${input}= lists no columns`, { hint: `Write --features ${input}=col1,col2` });
  }
  if (bare.length > 0) {
    const wide = inputs.filter((i) => i.shape?.length === 2 && i.shape[1] !== 1 && !groups.has(i.name));
    const target = inputs.length === 1 ? inputs[0]! : wide.length === 1 ? wide[0]! : undefined;
    if (!target || groups.has(target.name)) {
      throw new PrescoreError('USAGE_INVALID_OPTION', `--features lists columns (${bare.join(', ')}) without saying which of the model's ${inputs.length} inputs they feed`, {
        hint: `Name the input: --features ${inputs[0]!.name}=col1,col2 (inputs: ${inputs.map((i) => i.name).join(', ')})`,
      });
    }
    groups.set(target.name, bare);
  }
  const fromFlag = new Set(groups.keys());
  const metadata = inputs.length === 1 && groups.size === 0 ? metadataList(signature) : undefined;
  if (metadata) groups.set(inputs[0]!.name, metadata);
  return {
    single: inputs.length === 1,
    listFor: (input) => groups.get(input),
    sourceOf: (used) => (used.some((i) => fromFlag.has(i)) ? 'flag' : metadata ? 'metadata' : 'input-names'),
  };
}

/** Parses a feature list written as a JSON array or a comma-separated string. */
export function parseFeatureList(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
    } catch {
      // Not JSON after all: read it as a comma list, which shows the user what went wrong.
    }
  }
  return trimmed.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function metadataList(signature: ModelSignature): string[] | undefined {
  for (const key of FEATURE_METADATA_KEYS) {
    const value = signature.metadata[key];
    if (value !== undefined) return parseFeatureList(value);
  }
  return undefined;
}
