// JavaScript, TypeScript and TSX (one walk: the TypeScript grammars extend JavaScript's).
// Functions assigned to a const and class fields holding functions are definitions too.
import type { Node } from 'web-tree-sitter';
import type { ReferenceKind } from '../../../shared/graph-model.js';
import { ExtractionBuilder, forEachNamedChild, stringContent } from '../extraction-builder.js';
import type { ImportedName, TypeRef } from '../file-extraction.js';

const FUNCTION_VALUES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);
const CLASS_DECLARATIONS = new Set(['class_declaration', 'abstract_class_declaration', 'class']);

/** Every node type `visit` below handles itself; the walk descends through all others unseen. */
export const JAVASCRIPT_VISITED_TYPES = [
  'class_declaration', 'abstract_class_declaration', 'class', 'function_declaration', 'generator_function_declaration',
  'variable_declarator', 'interface_declaration', 'type_alias_declaration', 'enum_declaration', 'call_expression',
  'new_expression', 'assignment_expression', 'type_identifier', 'nested_type_identifier', 'jsx_opening_element',
  'jsx_self_closing_element', 'decorator', 'import_statement', 'export_statement', 'required_parameter', 'optional_parameter',
] as const;

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
        if (args) callArguments(constructor, args, true);
        return;
      }
      case 'assignment_expression': {
        // `this.x = new Foo()` / `this.x = param` types the field x of the enclosing class.
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const property = left?.type === 'member_expression' ? left.childForFieldName('property') : null;
        if (left && right && property && left.childForFieldName('object')?.type === 'this') {
          const type = valueType(right);
          if (type) out.setMemberType(out.enclosingType(), property.text, type, false);
        }
        forEachNamedChild(node, visit);
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
        const type = typeRefOf(node.childForFieldName('type')?.namedChild(0) ?? null);
        if (pattern?.type === 'identifier' && type) {
          out.setReceiverType(pattern.text, type);
          // `constructor(private x: Foo)` declares the field x.
          const isProperty = node.namedChildren.some((child) => child?.type === 'accessibility_modifier' || child?.type === 'readonly');
          if (isProperty) out.setMemberType(out.enclosingType(), pattern.text, type, true);
        }
        forEachNamedChild(node, visit);
        return;
      }
      default:
        out.descend(node, visit);
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
        case 'field_definition':
        case 'property_signature': {
          const nameNode = member.childForFieldName('name') ?? member.childForFieldName('property');
          const value = member.childForFieldName('value');
          const declared = typeRefOf(member.childForFieldName('type')?.namedChild(0) ?? null);
          const type = declared ?? (value ? valueType(value) : null);
          if (nameNode && type) out.setMemberType(out.scope, nameNode.text, type, declared !== null);
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
    const index = out.define('FUNCTION', kind, name, span, () => {
      const nameNode = node.childForFieldName('name');
      forEachNamedChild(node, (child) => {
        if (nameNode === null || child.startIndex !== nameNode.startIndex || child.type !== nameNode.type) visit(child);
      });
    });
    const definition = out.definitions[index]!;
    const returnType = typeRefOf(node.childForFieldName('return_type')?.namedChild(0) ?? null);
    if (returnType) definition.returnType = returnType;
    const callbacks = callbackParameterTypes(node.childForFieldName('parameters'));
    if (callbacks) definition.callbackParameters = callbacks;
  };

  /** Untyped parameters of a callback argument take their types from the callee's signature. */
  const callArguments = (callee: Node | null, args: Node, construct: boolean): void => {
    const chain = callee ? nameChain(callee) : null;
    let argument = 0;
    forEachNamedChild(args, (arg) => {
      const position = argument++;
      if (chain === null || !FUNCTION_VALUES.has(arg.type)) {
        visit(arg);
        return;
      }
      out.typeScope(() => {
        parametersOf(arg).forEach((parameter, index) => {
          if (parameter.type !== 'identifier') return;
          const receiver = chain.length > 1 && chain[0] !== 'this' ? out.receiverType(chain[0]!) : null;
          out.setReceiverType(parameter.text, { kind: 'callbackParameter', callee: chain, receiver, construct, argument: position, parameter: index });
        });
        visit(arg);
      });
    });
  };

  /** The type of a value: `new Foo()`, `x as Foo`, `f()`, or a variable whose type is known. */
  const valueType = (value: Node): TypeRef | null => {
    switch (value.type) {
      case 'new_expression': {
        const constructor = value.childForFieldName('constructor');
        const chain = constructor ? nameChain(constructor) : null;
        return chain ? { kind: 'named', name: chain[chain.length - 1]!, qualifier: chain.slice(0, -1) } : null;
      }
      case 'call_expression': {
        const fn = value.childForFieldName('function');
        const chain = fn ? nameChain(fn) : null;
        if (!chain || chain[0] === 'super') return null;
        const receiver = chain.length > 1 && chain[0] !== 'this' ? out.receiverType(chain[0]!) : null;
        return { kind: 'returnOf', callee: chain, receiver };
      }
      case 'as_expression':
      case 'satisfies_expression':
        return typeRefOf(value.namedChild(1)) ?? (value.namedChild(0) ? valueType(value.namedChild(0)!) : null);
      case 'parenthesized_expression':
      case 'non_null_expression':
      case 'await_expression':
        return value.namedChild(0) ? valueType(value.namedChild(0)!) : null;
      case 'identifier':
        return out.receiverType(value.text);
      default:
        return null;
    }
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
    }
    if (value && isRequire(value)) {
      requireImport(nameNode, value);
      return;
    }
    const type = typeRefOf(node.childForFieldName('type')?.namedChild(0) ?? null) ?? (value ? valueType(value) : null);
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
    if (args) callArguments(fn, args, false);
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
    if (chain !== null) {
      out.reference(property.text, chain, kind, property);
      return;
    }
    visit(object);
    out.reference(property.text, ['?'], kind, property, out.scope, valueType(object));
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
    case 'non_null_expression': {
      const inner = node.namedChild(0);
      return inner ? nameChain(inner) : null;
    }
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

/**
 * `Foo` for the annotations `Foo`, `ns.Foo`, `Foo<T>` and `Foo | undefined`; null for anything
 * else (unions of several types, arrays, functions).
 */
function typeRefOf(type: Node | null): TypeRef | null {
  if (!type) return null;
  switch (type.type) {
    case 'type_identifier':
      return { kind: 'named', name: type.text, qualifier: [] };
    case 'nested_type_identifier': {
      const chain = nameChain(type);
      return chain && chain.length > 1 ? { kind: 'named', name: chain[chain.length - 1]!, qualifier: chain.slice(0, -1) } : null;
    }
    case 'generic_type':
      return typeRefOf(type.childForFieldName('name') ?? type.namedChild(0));
    case 'parenthesized_type':
      return typeRefOf(type.namedChild(0));
    case 'union_type': {
      const members = type.namedChildren.filter((member): member is Node => member !== null && !isNullish(member));
      return members.length === 1 ? typeRefOf(members[0]!) : null;
    }
    default:
      return null;
  }
}

function isNullish(type: Node): boolean {
  return type.type === 'literal_type' && (type.text === 'undefined' || type.text === 'null');
}

function parametersOf(fn: Node): Node[] {
  const single = fn.childForFieldName('parameter');
  if (single) return [single];
  const list = fn.childForFieldName('parameters');
  if (!list) return [];
  const out: Node[] = [];
  forEachNamedChild(list, (parameter) => {
    const pattern = parameter.childForFieldName('pattern');
    if (pattern?.type === 'this') return;
    out.push(pattern ?? parameter);
  });
  return out;
}

/** For each parameter typed as a function, the types of that function's parameters. */
function callbackParameterTypes(parameters: Node | null): Record<number, (TypeRef | null)[]> | null {
  if (!parameters) return null;
  const found: Record<number, (TypeRef | null)[]> = {};
  let any = false;
  let position = 0;
  forEachNamedChild(parameters, (parameter) => {
    if (parameter.type !== 'required_parameter' && parameter.type !== 'optional_parameter') return;
    if (parameter.childForFieldName('pattern')?.type === 'this') return;
    const index = position++;
    let type = parameter.childForFieldName('type')?.namedChild(0) ?? null;
    if (type?.type === 'union_type') type = type.namedChildren.find((member) => member?.type === 'function_type') ?? null;
    if (type?.type === 'parenthesized_type') type = type.namedChild(0);
    if (type?.type !== 'function_type') return;
    const callback = type.childForFieldName('parameters');
    const types: (TypeRef | null)[] = [];
    forEachNamedChild(callback ?? type, (inner) => {
      if (inner.type !== 'required_parameter' && inner.type !== 'optional_parameter') return;
      if (inner.childForFieldName('pattern')?.type === 'this') return;
      types.push(typeRefOf(inner.childForFieldName('type')?.namedChild(0) ?? null));
    });
    if (types.some((t) => t !== null)) {
      found[index] = types;
      any = true;
    }
  });
  return any ? found : null;
}
