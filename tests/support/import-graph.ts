import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The project's static import graph, read with the TypeScript parser: for the tests that hold the
 * folder boundaries (lib/ free of Next and React; no TensorFlow.js in pages that do not generate).
 * Type-only imports and dynamic `import()` are left out: neither loads a module when the file loads.
 */
export const repoRoot = path.resolve(__dirname, '..', '..');

const EXTENSIONS = ['.ts', '.tsx', '/index.ts', '/index.tsx'];

/** Every .ts/.tsx file under `dir` (relative to the repository), skipping generated code. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const full = path.join(abs, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'generated' && !entry.name.startsWith('.')) walk(full);
      } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path.relative(repoRoot, full).split(path.sep).join('/'));
    }
  };
  walk(path.join(repoRoot, dir));
  return out.sort();
}

/** The module specifiers a file loads when it is evaluated (static, value imports and re-exports). */
const runtimeImportsCache = new Map<string, string[]>();
export function runtimeImports(file: string): string[] {
  const cached = runtimeImportsCache.get(file);
  if (cached) return cached;
  const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const typeOnly =
        clause?.isTypeOnly ||
        (clause && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly) {
      const clause = statement.exportClause;
      const typeOnly = clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
      if (!typeOnly) specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  runtimeImportsCache.set(file, specifiers);
  return specifiers;
}

/** A project file for a specifier ('@/…' or relative), or null for a package. */
export function resolveLocal(fromFile: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith('@/')) base = specifier.slice(2);
  else if (specifier.startsWith('.')) base = path.posix.join(path.posix.dirname(fromFile), specifier);
  else return null;
  base = path.posix.normalize(base);
  for (const candidate of [base, ...EXTENSIONS.map((e) => base + e)]) {
    const abs = path.join(repoRoot, candidate);
    if (fs.existsSync(abs) && fs.statSync(abs).isFile()) return candidate;
  }
  throw new Error(`${fromFile}: cannot resolve "${specifier}"`);
}

/** The npm package a bare specifier names ('@scope/name' or 'name'). */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Everything `entry` loads, transitively: each reached package with one chain of files that leads to
 * it (for a readable failure).
 */
export function reachablePackages(entry: string): Map<string, string[]> {
  const packages = new Map<string, string[]>();
  const seen = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift()!;
    const chain = seen.get(file)!;
    for (const specifier of runtimeImports(file)) {
      const local = resolveLocal(file, specifier);
      if (local === null) {
        const name = packageName(specifier);
        if (!packages.has(name)) packages.set(name, [...chain, specifier]);
      } else if (!seen.has(local) && /\.tsx?$/.test(local)) {
        seen.set(local, [...chain, local]);
        queue.push(local);
      }
    }
  }
  return packages;
}

/** Every module specifier a file names, type-only and dynamic imports included. */
export function allImports(file: string): string[] {
  const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}
