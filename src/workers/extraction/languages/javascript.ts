// JavaScript, TypeScript and TSX (one walk: the TypeScript grammars extend JavaScript's).
// Functions assigned to a const and class fields holding functions are definitions too.
import type { Node } from 'web-tree-sitter';
import type { ReferenceKind } from '../../../shared/graph-model.js';
import { ExtractionBuilder, forEachNamedChild, stringContent } from '../extraction-builder.js';
import type { ImportedName } from '../file-extraction.js';

const FUNCTION_VALUES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);
const CLASS_DECLARATIONS = new Set(['class_declaration', 'abstract_class_declaration', 'class']);

export function walkJavaScript(root: Node, out: ExtractionBuilder): void {
  const visit = (node: Node): void => {
    switch (node.type) {
      case 'class_declaration':
      case 'abstract_class_declaration':
      case 'class': {
        const name = node.childForFieldName('name')?.text;
        if (name) defineClass(node, name, node);
        else forEachNamedChild(node, visit);
        return;
      }
      case 'function_declaration':
      case 'generator_function_declaration': {
        const name = node.childForFieldName('name')?.text;
        if (name) defineFunction(node, name, 'function', node);
        else forEachNamedChild(node, visit);
        return;
      }
      case 'variable_declarator':
        variableDeclarator(node);
        return;
      case 'interface_declaration':
        defineInterface(node);
        return;
      case 'type_alias_declaration': {
        const name = node.childForFieldName('name')?.text;
        const value = node.childForFieldName('value');
        if (!name) return;
        out.define('INTERFACE', 'type', name, node, () => {
          if (value) visit(value);
        });
        return;
      }
      case 'enum_declaration': {
        const name = node.childForFieldName('name')?.text;
        if (name) out.define('CLASS', 'enum', name, node, () => undefined);
        return;
      }
      case 'call_expression':
        callExpression(node);
        return;
      case 'new_expression': {
        const constructor = node.childForFieldName('constructor');
        if (constructor) expressionReference(constructor, 'call');
        const args = node.childForFieldName('arguments');
        if (args) visit(args);
        return;
      }
      case 'type_identifier':
        out.reference(node.text, [], 'type', node);
        return;
      case 'nested_type_identifier': {
        const chain = nameChain(node);
        if (chain && chain.length > 1) out.reference(chain[chain.length - 1]!, chain.slice(0, -1), 'type', node);
        return;
      }
      case 'jsx_opening_element':
      case 'jsx_self_closing_element': {
        const name = node.childForFieldName('name');
        if (name && (name.type === 'member_expression' || /^[A-Z]/.test(name.text))) expressionReference(name, 'call');
        forEachNamedChild(node, (child) => {
          if (child !== name && child.startIndex !== name?.startIndex) visit(child);
        });
        return;
      }
      case 'decorator':
        forEachNamedChild(node, (child) => {
          if (child.type === 'call_expression') callExpression(child);
          else expressionReference(child, 'call');
        });
        return;
      case 'import_statement':
        importStatement(node);
        return;
      case 'export_statement': {
        const source = node.childForFieldName('source');
        if (source) reExport(node, source);
        else forEachNamedChild(node, visit);
        return;
      }
      case 'required_parameter':
      case 'optional_parameter': {
        const pattern = node.childForFieldName('pattern');
        const type = typeName(node.childForFieldName('type')?.namedChild(0) ?? null);
        if (pattern?.type === 'identifier' && type) out.setReceiverType(pattern.text, type);
        forEachNamedChild(node, visit);
        return;
      }
      default:
        forEachNamedChild(node, visit);
    }
  };

  const defineClass = (node: Node, name: string, span: Node): void => {
    out.define('CLASS', 'class', name, span, () => {
      forEachNamedChild(node, (child) => {
        if (child.type === 'class_heritage') heritage(child);
        else if (child.type === 'class_body') classBody(child);
        else if (child.type !== 'type_identifier' && child.type !== 'identifier') visit(child);
      });
    });
  };

  const heritage = (node: Node): void => {
    forEachNamedChild(node, (clause) => {
      if (clause.type === 'extends_clause' || clause.type === 'implements_clause') {
        forEachNamedChild(clause, (base) => inheritReference(base));
      } else inheritReference(clause);
    });
  };

  const inheritReference = (base: Node): void => {
    if (base.type === 'generic_type') {
      const name = base.childForFieldName('name');
      if (name) inheritReference(name);
      const args = base.childForFieldName('type_arguments');
      if (args) visit(args);
    } else if (base.type === 'type_identifier') out.reference(base.text, [], 'inherit', base);
    else if (base.type === 'nested_type_identifier') {
      const chain = nameChain(base);
      if (chain && chain.length > 1) out.reference(chain[chain.length - 1]!, chain.slice(0, -1), 'inherit', base);
    } else if (base.type === 'type_arguments') visit(base);
    else expressionReference(base, 'inherit');
  };

  const classBody = (body: Node): void => {
    forEachNamedChild(body, (member) => {
      switch (member.type) {
        case 'method_definition':
        case 'method_signature':
        case 'abstract_method_signature': {
          const name = member.childForFieldName('name')?.text;
          if (!name) return;
          defineFunction(member, name, name === 'constructor' ? 'constructor' : 'method', member);
          return;
        }
        case 'public_field_definition':
        case 'field_definition': {
          const nameNode = member.childForFieldName('name') ?? member.childForFieldName('property');
          const value = member.childForFieldName('value');
          if (nameNode && value && FUNCTION_VALUES.has(value.type)) defineFunction(value, nameNode.text, 'method', member);
          else forEachNamedChild(member, (child) => (child === nameNode ? undefined : visit(child)));
          return;
        }
        default:
          visit(member);
      }
    });
  };

  const defineFunction = (node: Node, name: string, kind: 'function' | 'method' | 'constructor', span: Node): void => {
    out.define('FUNCTION', kind, name, span, () => {
      const nameNode = node.childForFieldName('name');
      forEachNamedChild(node, (child) => {
        if (nameNode === null || child.startIndex !== nameNode.startIndex || child.type !== nameNode.type) visit(child);
      });
    });
  };

  const defineInterface = (node: Node): void => {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    out.define('INTERFACE', 'interface', name, node, () => {
      forEachNamedChild(node, (child) => {
        if (child.type === 'extends_type_clause') forEachNamedChild(child, inheritReference);
        else if (child.type === 'interface_body' || child.type === 'object_type') classBody(child);
        else if (child.type !== 'type_identifier') visit(child);
      });
    });
  };

  const variableDeclarator = (node: Node): void => {
    const nameNode = node.childForFieldName('name');
    const value = node.childForFieldName('value');
    if (nameNode?.type === 'identifier' && value) {
      if (FUNCTION_VALUES.has(value.type)) {
        defineFunction(value, nameNode.text, 'function', declarationSpan(node));
        return;
      }
      if (CLASS_DECLARATIONS.has(value.type)) {
        defineClass(value, nameNode.text, declarationSpan(node));
        return;
      }
      if (value.type === 'new_expression') {
        const constructor = value.childForFieldName('constructor');
        if (constructor?.type === 'identifier') out.setReceiverType(nameNode.text, constructor.text);
      }
    }
    if (value && isRequire(value)) {
      requireImport(nameNode, value);
      return;
    }
    const type = typeName(node.childForFieldName('type')?.namedChild(0) ?? null);
    if (nameNode?.type === 'identifier' && type) out.setReceiverType(nameNode.text, type);
    forEachNamedChild(node, (child) => (child === nameNode ? undefined : visit(child)));
  };

  const callExpression = (node: Node): void => {
    const fn = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    if (isRequire(node)) {
      requireImport(null, node);
      return;
    }
    if (fn && fn.type !== 'import') expressionReference(fn, 'call');
    if (args) visit(args);
  };

  const expressionReference = (expression: Node, kind: ReferenceKind): void => {
    if (expression.type === 'identifier') {
      out.reference(expression.text, [], kind, expression);
      return;
    }
    if (expression.type !== 'member_expression') {
      visit(expression);
      return;
    }
    const object = expression.childForFieldName('object');
    const property = expression.childForFieldName('property');
    if (!object || !property) return;
    const chain = nameChain(object);
    if (chain === null) visit(object);
    out.reference(property.text, chain ?? ['?'], kind, property);
  };

  const importStatement = (node: Node): void => {
    const source = node.childForFieldName('source');
    if (!source) return;
    const names: ImportedName[] = [];
    let moduleAlias: string | null = null;
    const clause = node.namedChildren.find((child) => child?.type === 'import_clause');
    if (clause) {
      forEachNamedChild(clause, (part) => {
        if (part.type === 'identifier') names.push({ name: 'default', alias: part.text });
        else if (part.type === 'namespace_import') moduleAlias = part.namedChild(0)?.text ?? null;
        else if (part.type === 'named_imports') names.push(...specifiers(part));
      });
    }
    out.imports.push({ module: stringContent(source), names, moduleAlias, wildcard: false, isStatic: false, line: node.startPosition.row + 1 });
  };

  const reExport = (node: Node, source: Node): void => {
    const clause = node.namedChildren.find((child) => child?.type === 'export_clause');
    const names = clause ? specifiers(clause) : [];
    out.imports.push({ module: stringContent(source), names, moduleAlias: null, wildcard: !clause, isStatic: false, line: node.startPosition.row + 1 });
  };

  const requireImport = (binding: Node | null, call: Node): void => {
    const argument = call.childForFieldName('arguments')?.namedChild(0);
    if (!argument || argument.type !== 'string') return;
    const names: ImportedName[] = [];
    let moduleAlias: string | null = null;
    if (binding?.type === 'identifier') moduleAlias = binding.text;
    else if (binding?.type === 'object_pattern') {
      forEachNamedChild(binding, (property) => {
        if (property.type === 'shorthand_property_identifier_pattern') names.push({ name: property.text, alias: property.text });
        else if (property.type === 'pair_pattern') {
          const key = property.childForFieldName('key')?.text;
          const value = property.childForFieldName('value');
          if (key && value?.type === 'identifier') names.push({ name: key, alias: value.text });
        }
      });
    }
    out.imports.push({ module: stringContent(argument), names, moduleAlias, wildcard: false, isStatic: false, line: call.startPosition.row + 1 });
  };

  visit(root);
}

function specifiers(node: Node): ImportedName[] {
  const names: ImportedName[] = [];
  forEachNamedChild(node, (specifier) => {
    if (specifier.type !== 'import_specifier' && specifier.type !== 'export_specifier') return;
    const name = specifier.childForFieldName('name')?.text;
    const alias = specifier.childForFieldName('alias')?.text;
    if (name) names.push({ name, alias: alias ?? name });
  });
  return names;
}

function isRequire(node: Node): boolean {
  if (node.type !== 'call_expression') return false;
  const fn = node.childForFieldName('function');
  return fn?.type === 'identifier' && fn.text === 'require';
}

/** `export const f = () => ...` spans the whole declaration statement, `export` included. */
function declarationSpan(declarator: Node): Node {
  const declaration = declarator.parent;
  if (!declaration || declaration.namedChildCount !== 1) return declarator;
  const exported = declaration.parent;
  return exported?.type === 'export_statement' ? exported : declaration;
}

function nameChain(node: Node): string[] | null {
  switch (node.type) {
    case 'identifier':
    case 'this':
    case 'super':
    case 'type_identifier':
    case 'property_identifier':
      return [node.text];
    case 'member_expression':
    case 'nested_type_identifier': {
      const object = node.childForFieldName('object') ?? node.childForFieldName('module') ?? node.namedChild(0);
      const property = node.childForFieldName('property') ?? node.childForFieldName('name') ?? node.namedChild(1);
      if (!object || !property) return null;
      const head = nameChain(object);
      return head === null ? null : [...head, property.text];
    }
    default:
      return null;
  }
}

/** `Foo` for the annotations `Foo` and `Foo<T>`; null for anything else (unions, arrays). */
function typeName(type: Node | null): string | null {
  if (type?.type === 'type_identifier') return type.text;
  if (type?.type === 'generic_type') {
    const name = type.childForFieldName('name') ?? type.namedChild(0);
    return name?.type === 'type_identifier' ? name.text : null;
  }
  return null;
}
