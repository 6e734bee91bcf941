// Checked allocations on the wasm backend (internal; `prepareWasmBackend` and the backend start
// apply it).
import { TfjsInternalsError, WasmOutOfMemoryError } from './errors.js';
import type { WasmModule } from './_internals.js';

/**
 * The backend allocates every tensor with `malloc` and never checks the result. Near the 4 GB
 * limit two things go wrong: malloc returns 0 (the tensor is then written over the start of the
 * heap), or, when the heap break would pass 2^32, its 32-bit arithmetic wraps and malloc returns
 * a block that ends past the heap, leaving the allocator corrupt (the threaded build then spins
 * forever in the next `free`). This check throws a {@link WasmOutOfMemoryError} instead: for a 0
 * the backend stays usable; for a block past the heap it is marked unusable (later allocations
 * throw the same error, frees do nothing) so that the error reaches the caller instead of a hang.
 * (The module's `_malloc`/`_free` are stubs that replace themselves with the exports on first
 * call, so the exports themselves are wrapped.)
 */
export function checkWasmAllocations(module: WasmModule): void {
  const { malloc, free } = module.asm ?? {};
  const disposeData = module.tfjs?.disposeData;
  if (checkedModules.has(module)) return;
  if (typeof malloc !== 'function' || typeof free !== 'function') {
    throw new TfjsInternalsError(
      'module.asm.malloc',
      'the wasm module exports no asm.malloc/asm.free to check allocations with',
    );
  }
  if (typeof disposeData !== 'function') {
    throw new TfjsInternalsError(
      'module.tfjs.disposeData',
      'the wasm module has no tfjs.disposeData to guard',
    );
  }
  checkedModules.add(module);
  let unusable = false;
  module._malloc = (size: number): number => {
    if (unusable) throw new WasmOutOfMemoryError(size, module.HEAPU8.length, false);
    const pointer = malloc(size) >>> 0;
    if (pointer === 0 && size > 0) throw new WasmOutOfMemoryError(size, module.HEAPU8.length, true);
    const heap = module.wasmMemory?.buffer.byteLength ?? module.HEAPU8.length;
    if (pointer + size > heap) {
      unusable = true;
      throw new WasmOutOfMemoryError(size, heap, false);
    }
    return pointer;
  };
  module._free = (pointer: number): void => {
    if (!unusable) free(pointer);
  };
  // The backend's own bookkeeping frees memory too (a C++ map erase).
  module.tfjs!.disposeData = (id: number): void => {
    if (!unusable) disposeData(id);
  };
}

const checkedModules = new WeakSet<WasmModule>();
