/** The part of the WebAssembly API used here: TypeScript declares it only in its DOM library. */
declare const WebAssembly: {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object) => { readonly exports: unknown };
};

/** The linear memory a module exports, as its callers use it. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

const WASM_PAGE = 64 << 10;

const compiled = new Map<string, object>();

/**
 * A new instance of the module whose binary `base64` carries (a `*-wasm.ts`
 * constant), compiled once per thread. Each thread instantiates its own: the
 * modules keep their state in their memory.
 */
export function instantiateWasm(base64: string): unknown {
  let module = compiled.get(base64);
  if (module === undefined) {
    module = new WebAssembly.Module(Buffer.from(base64, 'base64'));
    compiled.set(base64, module);
  }
  return new WebAssembly.Instance(module).exports;
}

/** Grows `memory` to at least `bytes`; true when it grew, which detaches every view on its old buffer. */
export function reserveWasmMemory(memory: WasmMemory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return false;
  memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
  return true;
}
