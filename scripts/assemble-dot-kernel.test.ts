import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOT_KERNEL_WASM_BASE64 } from '@/lib/privacy/dot-kernel-wasm';
import { GENERATED_MODULE, assembleDotKernel, generatedModuleText } from './assemble-dot-kernel';

describe('the dot-product kernel', () => {
  it('committed bytes are exactly the assembly of lib/privacy/dot-kernel.wat (run scripts/assemble-dot-kernel.ts after editing it)', async () => {
    const assembled = await assembleDotKernel();
    expect(Buffer.from(DOT_KERNEL_WASM_BASE64, 'base64').equals(Buffer.from(assembled))).toBe(true);
    expect(fs.readFileSync(GENERATED_MODULE, 'utf8')).toBe(generatedModuleText(assembled));
  }, 60_000);

  it('is a valid module that imports memory and exports dots', () => {
    const module = new WebAssembly.Module(Buffer.from(DOT_KERNEL_WASM_BASE64, 'base64'));
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    expect(WebAssembly.Module.exports(module)).toEqual([{ name: 'dots', kind: 'function' }]);
  });
});
