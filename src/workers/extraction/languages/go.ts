// Go: functions, methods (qualified by receiver type), structs, interfaces and other named
// types, package-qualified calls and types, imports with their package names.
import type { Node } from 'web-tree-sitter';
import type { ReferenceKind } from '../../../shared/graph-model.js';
import { ExtractionBuilder, forEachNamedChild, stringContent } from '../extraction-builder.js';
import { FILE_SCOPE } from '../file-extraction.js';

/** Predeclared types: not references to anything in a repository. */
const PREDECLARED_TYPES = new Set([
  'bool', 'byte', 'complex64', 'complex128', 'error', 'float32', 'float64', 'int', 'int8', 'int16', 'int32',
  'int64', 'rune', 'string', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'any', 'comparable',
]);

/** Every node type `visit` below handles itself; the walk descends through all others unseen. */
export const GO_VISITED_TYPES = [
  'package_clause', 'import_spec', 'function_declaration', 'method_declaration', 'type_spec', 'type_alias', 'call_expression',
  'type_identifier', 'qualified_type', 'parameter_declaration', 'var_spec', 'short_var_declaration',
] as const;

export function walkGo(root: Node, out: ExtractionBuilder): void {
  /** Methods whose receiver type may be defined later in the file: attached to it afterwards. */
  const methods: { index: number; receiver: string }[] = [];

  const visit = (node: Node): void => {
    switch (node.type) {
      case 'package_clause':
        out.packageName = node.namedChild(0)?.text ?? null;
        return;
      case 'import_spec': {
        const path = node.childForFieldName('path');
        const name = node.childForFieldName('name');
        if (!path) return;
        const module = stringContent(path);
        const alias = name?.type === 'package_identifier' ? name.text : null;
        if (name?.type === 'blank_identifier') return;
        out.imports.push({
          module,
          names: [],
          moduleAlias: alias ?? module.slice(module.lastIndexOf('/') + 1),
          wildcard: name?.type === 'dot',
          isStatic: false,
          line: node.startPosition.row + 1,
        });
        return;
      }
      case 'function_declaration': {
        const name = node.childForFieldName('name')?.text;
        if (name) out.define('FUNCTION', 'function', name, node, () => forEachNamedChild(node, visitUnlessName));
        return;
      }
      case 'method_declaration': {
        const name = node.childForFieldName('name')?.text;
        const receiverNode = node.childForFieldName('receiver');
        const receiver = receiverNode ? receiverTypeOf(receiverNode) : null;
        if (!name) return;
        const qualifiedName = receiver ? `${receiver.type}.${name}` : name;
        const index = out.define('FUNCTION', 'method', name, node, () => {
          if (receiver?.variable) out.setReceiverType(receiver.variable, receiver.type);
          forEachNamedChild(node, visitUnlessName);
        }, qualifiedName);
        if (receiver) methods.push({ index, receiver: receiver.type });
        return;
      }
      case 'type_spec':
      case 'type_alias': {
        const name = node.childForFieldName('name')?.text;
        const type = node.childForFieldName('type');
        if (!name || !type) return;
        const span = node.parent?.type === 'type_declaration' && node.parent.namedChildCount === 1 ? node.parent : node;
        if (node.type === 'type_alias') out.define('INTERFACE', 'type', name, span, () => visit(type));
        else if (type.type === 'struct_type') out.define('CLASS', 'struct', name, span, () => structBody(type));
        else if (type.type === 'interface_type') out.define('INTERFACE', 'interface', name, span, () => interfaceBody(type));
        else out.define('CLASS', 'type', name, span, () => visit(type));
        return;
      }
      case 'call_expression': {
        const fn = node.childForFieldName('function');
        if (fn) expressionReference(fn, 'call');
        const args = node.childForFieldName('arguments');
        if (args) visit(args);
        return;
      }
      case 'type_identifier':
        if (!PREDECLARED_TYPES.has(node.text)) out.reference(node.text, [], 'type', node);
        return;
      case 'qualified_type': {
        const pkg = node.childForFieldName('package')?.text;
        const name = node.childForFieldName('name')?.text;
        if (pkg && name) out.reference(name, [pkg], 'type', node);
        return;
      }
      case 'parameter_declaration':
      case 'var_spec': {
        const typeName = namedType(node.childForFieldName('type'));
        if (typeName) {
          for (const name of node.childrenForFieldName('name')) if (name) out.setReceiverType(name.text, typeName);
        }
        forEachNamedChild(node, visit);
        return;
      }
      case 'short_var_declaration': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left?.namedChildCount === 1 && right?.namedChildCount === 1) {
          const typeName = literalType(right.namedChild(0));
          const variable = left.namedChild(0);
          if (typeName && variable?.type === 'identifier') out.setReceiverType(variable.text, typeName);
        }
        forEachNamedChild(node, visit);
        return;
      }
      default:
        out.descend(node, visit);
    }
  };

  const visitUnlessName = (child: Node): void => {
    if (child.type !== 'identifier' && child.type !== 'field_identifier') visit(child);
  };

  const structBody = (struct: Node): void => {
    const fields = struct.namedChild(0);
    if (!fields) return;
    forEachNamedChild(fields, (field) => {
      if (field.type !== 'field_declaration') return;
      const embedded = field.childForFieldName('name') === null;
      const type = field.childForFieldName('type');
      if (embedded && type) typeReference(type, 'inherit');
      else if (type) visit(type);
    });
  };

  const interfaceBody = (iface: Node): void => {
    forEachNamedChild(iface, (member) => {
      if (member.type === 'method_elem' || member.type === 'method_spec') {
        const name = member.childForFieldName('name')?.text;
        if (name) out.define('FUNCTION', 'method', name, member, () => forEachNamedChild(member, visitUnlessName));
      } else if (member.type === 'type_elem' || member.type === 'constraint_elem') {
        forEachNamedChild(member, (type) => typeReference(type, 'inherit'));
      }
    });
  };

  const typeReference = (type: Node, kind: ReferenceKind): void => {
    if (type.type === 'pointer_type') {
      const inner = type.namedChild(0);
      if (inner) typeReference(inner, kind);
    } else if (type.type === 'type_identifier') {
      if (!PREDECLARED_TYPES.has(type.text)) out.reference(type.text, [], kind, type);
    } else if (type.type === 'qualified_type') {
      const pkg = type.childForFieldName('package')?.text;
      const name = type.childForFieldName('name')?.text;
      if (pkg && name) out.reference(name, [pkg], kind, type);
    } else visit(type);
  };

  const expressionReference = (expression: Node, kind: ReferenceKind): void => {
    if (expression.type === 'identifier') {
      out.reference(expression.text, [], kind, expression);
      return;
    }
    if (expression.type !== 'selector_expression') {
      visit(expression);
      return;
    }
    const operand = expression.childForFieldName('operand');
    const field = expression.childForFieldName('field');
    if (!operand || !field) return;
    const chain = nameChain(operand);
    if (chain === null) visit(operand);
    out.reference(field.text, chain ?? ['?'], kind, field);
  };

  visit(root);

  // A method belongs to its receiver type when that type is declared in the same file.
  for (const { index, receiver } of methods) {
    const owner = out.definitions.findIndex((d) => d.parent === FILE_SCOPE && d.label !== 'FUNCTION' && d.name === receiver);
    if (owner !== -1) out.definitions[index]!.parent = owner;
  }
}

function receiverTypeOf(receiver: Node): { variable: string | null; type: string } | null {
  const parameter = receiver.namedChild(0);
  if (!parameter) return null;
  const type = namedType(parameter.childForFieldName('type'));
  if (!type) return null;
  return { variable: parameter.childForFieldName('name')?.text ?? null, type };
}

/** `T`, `*T`, `T[K]` -> `T`; `pkg.T` -> `pkg.T` (resolved through the package's import). */
function namedType(type: Node | null): string | null {
  if (!type) return null;
  if (type.type === 'type_identifier') return type.text;
  if (type.type === 'qualified_type') {
    const pkg = type.childForFieldName('package')?.text;
    const name = type.childForFieldName('name')?.text;
    return pkg && name ? `${pkg}.${name}` : null;
  }
  if (type.type === 'pointer_type') return namedType(type.namedChild(0));
  if (type.type === 'generic_type') return namedType(type.childForFieldName('type'));
  return null;
}

/** `T{...}` or `&T{...}` -> `T`. */
function literalType(expression: Node | null): string | null {
  if (!expression) return null;
  if (expression.type === 'unary_expression') return literalType(expression.childForFieldName('operand'));
  if (expression.type === 'composite_literal') return namedType(expression.childForFieldName('type'));
  return null;
}

function nameChain(node: Node): string[] | null {
  if (node.type === 'identifier' || node.type === 'package_identifier') return [node.text];
  if (node.type !== 'selector_expression') return null;
  const operand = node.childForFieldName('operand');
  const field = node.childForFieldName('field');
  if (!operand || !field) return null;
  const head = nameChain(operand);
  return head === null ? null : [...head, field.text];
}
