// Ground truth for TypeScript/JavaScript: the TypeScript compiler's go-to-definition
// (checker.getSymbolAtLocation, through import aliases) at every identifier of every file.
import path from 'node:path';
import ts from 'typescript';
import type { DefinitionMap } from './definition-map.js';
import type { GroundTruth, TruthReference } from './truth.js';

export function typescriptTruth(root: string, files: readonly string[], definitions: DefinitionMap): GroundTruth {
  const absolute = files.map((file) => path.join(root, file));
  const program = ts.createProgram(absolute, {
    allowJs: true,
    checkJs: false,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ESNext,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.ReactJSX,
    allowImportingTsExtensions: true,
    experimentalDecorators: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const references: TruthReference[] = [];
  const resolvedSites = new Set<string>();
  const relativeOf = (fileName: string): string => path.relative(root, fileName).split(path.sep).join('/');

  for (const file of files) {
    const sourceFile = program.getSourceFile(path.join(root, file));
    if (!sourceFile) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) site(node);
      ts.forEachChild(node, visit);
    };
    const site = (node: ts.Identifier | ts.PrivateIdentifier): void => {
      let symbol = checker.getSymbolAtLocation(node);
      if (!symbol) return;
      if (symbol.flags & ts.SymbolFlags.Alias) {
        try {
          symbol = checker.getAliasedSymbol(symbol);
        } catch {
          return;
        }
      }
      const declarations = symbol.declarations ?? [];
      // The identifier that names a declaration is the definition, not a reference to it.
      if (declarations.some((declaration) => (declaration as ts.NamedDeclaration).name === node)) return;
      const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
      const name = node.text;
      if (declarations.length > 0) resolvedSites.add(`${file}:${line}:${name}`);
      const source = definitions.sourceAt(file, line);
      if (!source) return;
      const kind = kindOf(node);
      const seen = new Set<string>();
      for (const declaration of declarations) {
        const declaredIn = relativeOf(declaration.getSourceFile().fileName);
        if (!definitions.hasFile(declaredIn)) continue;
        const nameNode = (declaration as ts.NamedDeclaration).name ?? declaration;
        const declarationLine = declaration.getSourceFile().getLineAndCharacterOfPosition(nameNode.getStart()).line + 1;
        const target = definitions.targetAt(declaredIn, declarationLine, name) ?? definitions.targetAt(declaredIn, declarationLine, symbol.name);
        if (!target || target.node_id === source.node_id || seen.has(target.node_id)) continue;
        seen.add(target.node_id);
        references.push({ sourceId: source.node_id, targetId: target.node_id, kind, file, line, name });
      }
    };
    visit(sourceFile);
  }
  return { references, resolvedSites };
}

function kindOf(node: ts.Node): string {
  let at: ts.Node = node;
  // Climb `a.b.c` so the outermost access is what is called or extended.
  while (at.parent && ts.isPropertyAccessExpression(at.parent) && at.parent.name === at) at = at.parent;
  const parent = at.parent;
  if (!parent) return 'other';
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === at) return 'call';
  if (ts.isDecorator(parent)) return 'call';
  if (ts.isExpressionWithTypeArguments(parent) && parent.parent && ts.isHeritageClause(parent.parent)) return 'inherit';
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)) return 'import';
  if (ts.isTypeReferenceNode(parent) || ts.isQualifiedName(parent) || ts.isTypeQueryNode(parent) || ts.isExpressionWithTypeArguments(parent)) return 'type';
  return 'other';
}
