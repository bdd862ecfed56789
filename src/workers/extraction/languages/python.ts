// Python: classes, functions and methods (decorators inside the span), calls, bases,
// annotations, and `import` / `from ... import` bindings.
import type { Node } from 'web-tree-sitter';
import type { ReferenceKind } from '../../../shared/graph-model.js';
import { ExtractionBuilder, forEachNamedChild } from '../extraction-builder.js';

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

/** Types whose identifier children may not be names read: bound, declared or imported ones. */
const IDENTIFIER_PARENTS = new Set([...NON_VALUE_PARENTS, ...Object.keys(BINDING_FIELDS)]);

/**
 * Every node type `visit` below handles itself; the walk descends through all others unseen.
 * The parents of identifiers that are not names read are among them, so that `visit` sees each
 * identifier with its parent known: asking tree-sitter for a node's parent walks down from the
 * root, and a bare identifier is the commonest node the walk meets.
 */
export const PYTHON_VISITED_TYPES: readonly string[] = [
  ...new Set([
    'decorated_definition', 'class_definition', 'function_definition', 'call', 'type', 'import_statement',
    'import_from_statement', 'assignment', 'attribute', 'identifier', 'typed_parameter', 'typed_default_parameter',
    ...IDENTIFIER_PARENTS,
  ]),
];

export function walkPython(root: Node, out: ExtractionBuilder): void {
  // Each read of a node's type is a call into WASM: a caller that has read it passes it on.
  const visit = (node: Node): void => visitAs(node, node.type);
  const visitAs = (node: Node, type: string): void => {
    switch (type) {
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
        children(node, 'assignment');
        return;
      case 'attribute':
        expressionReference(node, 'other', type);
        return;
      // Its parent is none of the types below, whose identifier children `children` classifies.
      case 'identifier':
        out.reference(node.text, [], 'other', node);
        return;
      case 'typed_parameter':
      case 'typed_default_parameter': {
        const name = type === 'typed_parameter' ? node.namedChild(0) : node.childForFieldName('name');
        if (name?.type === 'identifier') out.bindLocal(name.text);
        const annotation = node.childForFieldName('type');
        if (name?.type === 'identifier' && annotation) {
          const typeName = simpleTypeName(annotation);
          if (typeName) out.setReceiverType(name.text, typeName);
        }
        children(node, type);
        return;
      }
      default:
        if (IDENTIFIER_PARENTS.has(type)) children(node, type);
        else out.descend(node, visit);
    }
  };

  /** Visits the named children of `node`, of type `type`, each identifier as what it is there. */
  const children = (node: Node, type: string): void => {
    const field = BINDING_FIELDS[type];
    const bound = field === undefined ? null : node.childForFieldName(field);
    forEachNamedChild(node, (child) => {
      const childType = child.type;
      if (childType !== 'identifier') {
        visitAs(child, childType);
        return;
      }
      const role = identifierRole(type, bound !== null && bound.id === child.id);
      if (role === 'value') out.reference(child.text, [], 'other', child);
      else if (role === 'binding') out.bindLocal(child.text);
    });
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
            const type = base.type;
            if (type === 'identifier' || type === 'attribute') expressionReference(base, 'inherit', type);
            else if (type !== 'keyword_argument') visitAs(base, type);
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
  const expressionReference = (expression: Node, kind: ReferenceKind, type = expression.type): void => {
    if (type === 'identifier') {
      out.reference(expression.text, [], kind, expression);
      return;
    }
    if (type !== 'attribute') {
      visitAs(expression, type);
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
    const type = node.type;
    if (type === 'identifier' || type === 'attribute') {
      expressionReference(node, 'type', type);
      return;
    }
    if (type === 'string') return;
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

/**
 * What an identifier child of a `parentType` node is: a name read ('value'), a local variable
 * bound by assignment, loop or parameter ('binding'), or neither (an import, a declared name).
 */
function identifierRole(parentType: string, inBindingField: boolean): 'value' | 'binding' | 'other' {
  if (!NON_VALUE_PARENTS.has(parentType) && !inBindingField) return 'value';
  if (BINDING_PARENTS.has(parentType)) return 'binding';
  return inBindingField && parentType !== 'keyword_argument' ? 'binding' : 'other';
}

/** ['a', 'b'] for `a.b`, null when the receiver is not a plain name chain. */
function nameChain(node: Node): string[] | null {
  const type = node.type;
  if (type === 'identifier') return [node.text];
  if (type === 'call' && node.childForFieldName('function')?.text === 'super') return ['super'];
  if (type !== 'attribute') return null;
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
