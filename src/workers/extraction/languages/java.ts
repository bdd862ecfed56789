// Java: classes, interfaces, enums, records (nested too), methods and constructors,
// method invocations with their receivers, `new`, type uses, package and imports.
import type { Node } from 'web-tree-sitter';
import type { DefinitionKind, NodeLabel, ReferenceKind } from '../../../shared/graph-model.js';
import { ExtractionBuilder, forEachNamedChild } from '../extraction-builder.js';

const TYPE_DECLARATIONS: Record<string, { label: Exclude<NodeLabel, 'FILE'>; kind: DefinitionKind }> = {
  class_declaration: { label: 'CLASS', kind: 'class' },
  record_declaration: { label: 'CLASS', kind: 'class' },
  enum_declaration: { label: 'CLASS', kind: 'enum' },
  interface_declaration: { label: 'INTERFACE', kind: 'interface' },
  annotation_type_declaration: { label: 'INTERFACE', kind: 'interface' },
};

/** Every node type `visit` below handles itself; the walk descends through all others unseen. */
export const JAVA_VISITED_TYPES = [
  ...Object.keys(TYPE_DECLARATIONS), 'method_declaration', 'constructor_declaration', 'compact_constructor_declaration',
  'method_invocation', 'object_creation_expression', 'type_identifier', 'scoped_type_identifier', 'generic_type',
  'local_variable_declaration', 'field_declaration', 'formal_parameter', 'package_declaration', 'import_declaration',
] as const;

export function walkJava(root: Node, out: ExtractionBuilder): void {
  const visit = (node: Node): void => {
    const typeDeclaration = TYPE_DECLARATIONS[node.type];
    if (typeDeclaration) {
      const name = node.childForFieldName('name')?.text;
      if (!name) return;
      out.define(typeDeclaration.label, typeDeclaration.kind, name, node, () => {
        forEachNamedChild(node, (child) => {
          if (child.type === 'superclass' || child.type === 'super_interfaces' || child.type === 'extends_interfaces') {
            inheritReferences(child);
          } else if (child.type !== 'identifier') visit(child);
        });
      });
      return;
    }
    switch (node.type) {
      case 'method_declaration':
      case 'constructor_declaration':
      case 'compact_constructor_declaration': {
        const name = node.childForFieldName('name')?.text ?? enclosingTypeName();
        if (!name) return;
        const kind = node.type === 'method_declaration' ? 'method' : 'constructor';
        out.define('FUNCTION', kind, name, node, () => forEachNamedChild(node, visit));
        return;
      }
      case 'method_invocation': {
        const object = node.childForFieldName('object');
        const name = node.childForFieldName('name');
        if (name) {
          const chain = object ? nameChain(object) : [];
          if (object && chain === null) visit(object);
          out.reference(name.text, chain ?? ['?'], 'call', name);
        }
        const args = node.childForFieldName('arguments');
        if (args) visit(args);
        return;
      }
      case 'object_creation_expression': {
        const type = node.childForFieldName('type');
        if (type) typeReference(type, 'call');
        forEachNamedChild(node, (child) => {
          if (child.type === 'argument_list' || child.type === 'class_body') visit(child);
        });
        return;
      }
      case 'type_identifier':
      case 'scoped_type_identifier':
      case 'generic_type':
        typeReference(node, 'type');
        return;
      case 'local_variable_declaration':
      case 'field_declaration':
      case 'formal_parameter': {
        const typeName = simpleTypeName(node.childForFieldName('type'));
        if (typeName) {
          if (node.type === 'formal_parameter') {
            const name = node.childForFieldName('name')?.text;
            if (name) out.setReceiverType(name, typeName);
          } else {
            for (const declarator of node.childrenForFieldName('declarator')) {
              const name = declarator?.childForFieldName('name')?.text;
              if (name) out.setReceiverType(name, typeName);
            }
          }
        }
        forEachNamedChild(node, visit);
        return;
      }
      case 'package_declaration':
        out.packageName = node.namedChild(0)?.text ?? null;
        return;
      case 'import_declaration': {
        const path = node.namedChildren.find((child) => child?.type === 'scoped_identifier' || child?.type === 'identifier');
        if (!path) return;
        const wildcard = node.namedChildren.some((child) => child?.type === 'asterisk');
        const isStatic = node.children.some((child) => child?.type === 'static');
        const segments = path.text.split('.');
        const last = segments[segments.length - 1]!;
        out.imports.push({
          module: path.text,
          names: wildcard ? [] : [{ name: last, alias: last }],
          moduleAlias: null,
          wildcard,
          isStatic,
          line: node.startPosition.row + 1,
        });
        return;
      }
      default:
        out.descend(node, visit);
    }
  };

  const enclosingTypeName = (): string | null => {
    const type = out.enclosingType();
    return type === -1 ? null : out.definitions[type]!.name;
  };

  const inheritReferences = (clause: Node): void => {
    forEachNamedChild(clause, (child) => {
      if (child.type === 'type_list') forEachNamedChild(child, (type) => typeReference(type, 'inherit'));
      else typeReference(child, 'inherit');
    });
  };

  const typeReference = (type: Node, kind: ReferenceKind): void => {
    if (type.type === 'type_identifier') out.reference(type.text, [], kind, type);
    else if (type.type === 'scoped_type_identifier') {
      const chain = type.text.split('.').map((part) => part.trim());
      out.reference(chain[chain.length - 1]!, chain.slice(0, -1), kind, type);
    } else if (type.type === 'generic_type') {
      forEachNamedChild(type, (child) => {
        if (child.type === 'type_arguments') visit(child);
        else typeReference(child, kind);
      });
    } else visit(type);
  };

  visit(root);
}

function nameChain(node: Node): string[] | null {
  switch (node.type) {
    case 'identifier':
    case 'this':
    case 'super':
      return [node.text];
    case 'field_access': {
      const object = node.childForFieldName('object');
      const field = node.childForFieldName('field');
      if (!object || !field) return null;
      const head = nameChain(object);
      return head === null ? null : [...head, field.text];
    }
    default:
      return null;
  }
}

function simpleTypeName(type: Node | null): string | null {
  if (!type) return null;
  if (type.type === 'type_identifier') return type.text;
  if (type.type === 'generic_type') return simpleTypeName(type.namedChild(0));
  return null;
}
