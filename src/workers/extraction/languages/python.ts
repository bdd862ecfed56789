// Python: classes, functions and methods (decorators inside the span), calls, bases,
// annotations, and `import` / `from ... import` bindings.
import type { Node } from 'web-tree-sitter';
import type { ReferenceKind } from '../../../shared/graph-model.js';
import { ExtractionBuilder, forEachNamedChild } from '../extraction-builder.js';

/** Every node type `visit` below handles itself; the walk descends through all others unseen. */
export const PYTHON_VISITED_TYPES = [
  'decorated_definition', 'class_definition', 'function_definition', 'call', 'type', 'import_statement',
  'import_from_statement', 'assignment', 'attribute', 'identifier', 'typed_parameter', 'typed_default_parameter',
] as const;

export function walkPython(root: Node, out: ExtractionBuilder): void {
  const visit = (node: Node): void => {
    switch (node.type) {
      case 'decorated_definition': {
        forEachNamedChild(node, (child) => {
          if (child.type === 'decorator') visit(child);
        });
        const definition = node.childForFieldName('definition');
        if (definition) defineFrom(definition, node);
        return;
      }
      case 'class_definition':
      case 'function_definition':
        defineFrom(node, node);
        return;
      case 'call':
        callReference(node);
        return;
      case 'type':
        typeReferences(node);
        return;
      case 'import_statement':
      case 'import_from_statement':
        importStatement(node);
        return;
      case 'assignment':
        recordConstructedType(node);
        forEachNamedChild(node, visit);
        return;
      case 'attribute':
        expressionReference(node, 'other');
        return;
      case 'identifier': {
        const role = identifierRole(node);
        if (role === 'value') out.reference(node.text, [], 'other', node);
        else if (role === 'binding') out.bindLocal(node.text);
        return;
      }
      case 'typed_parameter':
      case 'typed_default_parameter': {
        const name = node.type === 'typed_parameter' ? node.namedChild(0) : node.childForFieldName('name');
        if (name?.type === 'identifier') out.bindLocal(name.text);
        const type = node.childForFieldName('type');
        if (name?.type === 'identifier' && type) {
          const typeName = simpleTypeName(type);
          if (typeName) out.setReceiverType(name.text, typeName);
        }
        forEachNamedChild(node, visit);
        return;
      }
      default:
        out.descend(node, visit);
    }
  };

  const defineFrom = (definition: Node, span: Node): void => {
    const name = definition.childForFieldName('name')?.text;
    const body = definition.childForFieldName('body');
    if (!name) return;
    if (definition.type === 'class_definition') {
      const superclasses = definition.childForFieldName('superclasses');
      out.define('CLASS', 'class', name, span, () => {
        if (superclasses) {
          forEachNamedChild(superclasses, (base) => {
            if (base.type === 'identifier' || base.type === 'attribute') expressionReference(base, 'inherit');
            else if (base.type !== 'keyword_argument') visit(base);
          });
        }
        if (body) visit(body);
      });
      return;
    }
    const inClass = out.scope !== -1 && out.definitions[out.scope]!.label === 'CLASS';
    out.define('FUNCTION', inClass ? 'method' : 'function', name, span, () => {
      forEachNamedChild(definition, (child) => {
        if (child.type !== 'identifier') visit(child);
      });
    });
  };

  const callReference = (node: Node): void => {
    const fn = node.childForFieldName('function');
    if (fn) expressionReference(fn, 'call');
    const args = node.childForFieldName('arguments');
    if (args) visit(args);
  };

  /** Records `name`, `a.b.name` or `expr.name` and walks into any expression in the receiver. */
  const expressionReference = (expression: Node, kind: ReferenceKind): void => {
    if (expression.type === 'identifier') {
      out.reference(expression.text, [], kind, expression);
      return;
    }
    if (expression.type !== 'attribute') {
      visit(expression);
      return;
    }
    const object = expression.childForFieldName('object');
    const attribute = expression.childForFieldName('attribute');
    if (!object || !attribute) return;
    const chain = nameChain(object);
    if (chain === null) visit(object);
    out.reference(attribute.text, chain ?? ['?'], kind, attribute);
  };

  const typeReferences = (node: Node): void => {
    if (node.type === 'identifier' || node.type === 'attribute') {
      expressionReference(node, 'type');
      return;
    }
    if (node.type === 'string') return;
    forEachNamedChild(node, typeReferences);
  };

  const importStatement = (node: Node): void => {
    const line = node.startPosition.row + 1;
    if (node.type === 'import_statement') {
      forEachNamedChild(node, (child) => {
        if (child.type === 'dotted_name') {
          out.imports.push({ module: child.text, names: [], moduleAlias: null, wildcard: false, isStatic: false, line });
        } else if (child.type === 'aliased_import') {
          const module = child.childForFieldName('name')?.text;
          const alias = child.childForFieldName('alias')?.text ?? null;
          if (module) out.imports.push({ module, names: [], moduleAlias: alias, wildcard: false, isStatic: false, line });
        }
      });
      return;
    }
    const moduleNode = node.childForFieldName('module_name');
    if (!moduleNode) return;
    const names: { name: string; alias: string }[] = [];
    let wildcard = false;
    forEachNamedChild(node, (child) => {
      if (child.startIndex === moduleNode.startIndex) return;
      if (child.type === 'wildcard_import') wildcard = true;
      else if (child.type === 'dotted_name') names.push({ name: child.text, alias: child.text });
      else if (child.type === 'aliased_import') {
        const name = child.childForFieldName('name')?.text;
        const alias = child.childForFieldName('alias')?.text;
        if (name) names.push({ name, alias: alias ?? name });
      }
    });
    out.imports.push({ module: moduleNode.text, names, moduleAlias: null, wildcard, isStatic: false, line });
  };

  /** `x = Foo(...)` lets `x.method()` resolve to `Foo.method`. */
  const recordConstructedType = (node: Node): void => {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type !== 'identifier' || right?.type !== 'call') return;
    const fn = right.childForFieldName('function');
    if (fn?.type === 'identifier') out.setReceiverType(left.text, fn.text);
  };

  visit(root);
}

/** Parents whose identifier children name something being bound or declared, not read. */
const NON_VALUE_PARENTS = new Set([
  'parameters', 'lambda_parameters', 'global_statement', 'nonlocal_statement', 'dotted_name', 'aliased_import',
  'import_from_statement', 'import_statement', 'typed_parameter', 'list_splat_pattern', 'dictionary_splat_pattern',
  'pattern_list', 'tuple_pattern', 'list_pattern', 'as_pattern_target', 'class_definition', 'function_definition',
  'keyword_pattern', 'case_pattern', 'splat_pattern',
]);
/** Parents whose `name`/`left` field binds a name while other children are read. */
const BINDING_FIELDS: Record<string, string> = {
  keyword_argument: 'name', default_parameter: 'name', typed_default_parameter: 'name', for_statement: 'left',
  for_in_clause: 'left', assignment: 'left', augmented_assignment: 'left', named_expression: 'name',
};

/** Parents whose identifier children are local variables being bound. */
const BINDING_PARENTS = new Set(['parameters', 'lambda_parameters', 'pattern_list', 'tuple_pattern']);

/**
 * What a bare identifier is where it stands: a name read ('value'), a local variable bound by
 * assignment, loop or parameter ('binding'), or neither (an import, a declared name). Reads
 * the parent once: each node access is a call into WASM.
 */
function identifierRole(node: Node): 'value' | 'binding' | 'other' {
  const parent = node.parent;
  if (!parent) return 'other';
  const parentType = parent.type;
  const field = BINDING_FIELDS[parentType];
  const inBindingField = field !== undefined && parent.childForFieldName(field)?.id === node.id;
  if (!NON_VALUE_PARENTS.has(parentType) && !inBindingField) return 'value';
  if (BINDING_PARENTS.has(parentType)) return 'binding';
  return inBindingField && parentType !== 'keyword_argument' ? 'binding' : 'other';
}

/** ['a', 'b'] for `a.b`, null when the receiver is not a plain name chain. */
function nameChain(node: Node): string[] | null {
  if (node.type === 'identifier') return [node.text];
  if (node.type === 'call' && node.childForFieldName('function')?.text === 'super') return ['super'];
  if (node.type !== 'attribute') return null;
  const object = node.childForFieldName('object');
  const attribute = node.childForFieldName('attribute');
  if (!object || !attribute) return null;
  const head = nameChain(object);
  return head === null ? null : [...head, attribute.text];
}

function simpleTypeName(type: Node): string | null {
  const inner = type.namedChild(0);
  return inner?.type === 'identifier' ? inner.text : null;
}
