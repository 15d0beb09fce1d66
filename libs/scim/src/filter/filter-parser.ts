import { isStorableString } from '../json/json-hygiene';
import { ScimError, scimErrors } from '../errors/scim-error';
import { AttributeDefinition } from '../schemas/attribute-definition';
import { findSubAttribute, ResolvedAttribute, ResourceSchema } from '../schemas/schema-registry';
import { CompareOperator, FilterLiteral, FilterNode } from './filter-ast';

/** Longer filters are rejected with invalidFilter before any parsing. */
export const FILTER_MAX_LENGTH = 4096;
/** Maximum nesting of parentheses, `not(…)` and value filters. */
export const FILTER_MAX_DEPTH = 32;

export interface ParseFilterOptions {
  maxLength?: number;
  maxDepth?: number;
}

const enum Char {
  Tab = 9,
  LineFeed = 10,
  CarriageReturn = 13,
  Space = 32,
  Quote = 34,
  Dollar = 36,
  OpenParen = 40,
  CloseParen = 41,
  Plus = 43,
  Minus = 45,
  Dot = 46,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  UpperA = 65,
  UpperE = 69,
  UpperZ = 90,
  OpenBracket = 91,
  Backslash = 92,
  CloseBracket = 93,
  Underscore = 95,
  LowerA = 97,
  LowerE = 101,
  LowerZ = 122,
}

const COMPARE_OPERATORS: ReadonlySet<string> = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const ORDERING_OPERATORS: ReadonlySet<string> = new Set(['gt', 'ge', 'lt', 'le']);
const SUBSTRING_OPERATORS: ReadonlySet<string> = new Set(['co', 'sw', 'ew']);

function isSpace(code: number): boolean {
  return code === Char.Space || code === Char.Tab || code === Char.LineFeed || code === Char.CarriageReturn;
}

function isWordChar(code: number): boolean {
  return (
    (code >= Char.LowerA && code <= Char.LowerZ) ||
    (code >= Char.UpperA && code <= Char.UpperZ) ||
    (code >= Char.Zero && code <= Char.Nine) ||
    code === Char.Underscore ||
    code === Char.Minus ||
    code === Char.Dollar ||
    code === Char.Colon ||
    code === Char.Dot
  );
}

function isDigit(code: number): boolean {
  return code >= Char.Zero && code <= Char.Nine;
}

/** A literal as written, before it is normalised to the attribute's type. */
interface RawLiteral {
  value: FilterLiteral;
  text: string;
}

/**
 * Hand-written, scannerless recursive-descent parser for RFC 7644 §3.4.2.2 filters, binding every
 * attribute path to the schema as it goes. Also used for the filters inside PATCH paths.
 */
export class FilterParser {
  pos = 0;
  private depth = 0;

  constructor(
    readonly text: string,
    private readonly schema: ResourceSchema,
    private readonly fail: (detail: string) => ScimError,
    private readonly maxDepth: number = FILTER_MAX_DEPTH,
  ) {}

  parseWhole(): FilterNode {
    const node = this.parseOr(undefined);
    this.skipSpace();
    if (this.pos < this.text.length) throw this.error('unexpected input');
    return node;
  }

  /** Parses `valFilter` of `attr[valFilter]` with the opening bracket already consumed; stops before `]`. */
  parseValueFilter(parent: ResolvedAttribute): FilterNode {
    this.enter();
    const node = this.parseOr(parent);
    this.skipSpace();
    this.leave();
    return node;
  }

  error(message: string): ScimError {
    return this.fail(`${message} at position ${this.pos + 1}`);
  }

  skipSpace(): void {
    const text = this.text;
    while (this.pos < text.length && isSpace(text.charCodeAt(this.pos))) this.pos++;
  }

  readWord(): string {
    const start = this.pos;
    const text = this.text;
    while (this.pos < text.length && isWordChar(text.charCodeAt(this.pos))) this.pos++;
    return text.slice(start, this.pos);
  }

  private enter(): void {
    if (++this.depth > this.maxDepth) throw this.error(`filter nested deeper than ${this.maxDepth} levels`);
  }

  private leave(): void {
    this.depth--;
  }

  private parseOr(parent: ResolvedAttribute | undefined): FilterNode {
    const first = this.parseAnd(parent);
    let operands: FilterNode[] | undefined;
    while (this.matchKeyword('or')) {
      (operands ??= [first]).push(this.parseAnd(parent));
    }
    return operands === undefined ? first : { kind: 'or', operands };
  }

  private parseAnd(parent: ResolvedAttribute | undefined): FilterNode {
    const first = this.parseUnary(parent);
    let operands: FilterNode[] | undefined;
    while (this.matchKeyword('and')) {
      (operands ??= [first]).push(this.parseUnary(parent));
    }
    return operands === undefined ? first : { kind: 'and', operands };
  }

  /** Consumes a logical keyword (any case) when one follows, with whitespace or `(` after it. */
  private matchKeyword(keyword: 'and' | 'or'): boolean {
    const save = this.pos;
    this.skipSpace();
    const end = this.pos + keyword.length;
    if (end < this.text.length && this.text.slice(this.pos, end).toLowerCase() === keyword) {
      const next = this.text.charCodeAt(end);
      if (isSpace(next) || next === Char.OpenParen) {
        this.pos = end;
        return true;
      }
    }
    this.pos = save;
    return false;
  }

  private parseUnary(parent: ResolvedAttribute | undefined): FilterNode {
    this.skipSpace();
    if (this.pos >= this.text.length) throw this.error('expected an expression');
    if (this.text.charCodeAt(this.pos) === Char.OpenParen) {
      this.pos++;
      this.enter();
      const inner = this.parseOr(parent);
      this.expect(Char.CloseParen, ')');
      this.leave();
      return inner;
    }
    const wordStart = this.pos;
    const word = this.readWord();
    if (word.length === 3 && word.toLowerCase() === 'not') {
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) === Char.OpenParen) {
        this.pos++;
        this.enter();
        const inner = this.parseOr(parent);
        this.expect(Char.CloseParen, ')');
        this.leave();
        return { kind: 'not', operand: inner };
      }
      this.pos = wordStart + word.length;
    }
    if (word === '') throw this.error('expected an attribute path');
    return this.parseAttributeExpression(word, parent);
  }

  private expect(code: number, display: string): void {
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) !== code) throw this.error(`expected "${display}"`);
    this.pos++;
  }

  private parseAttributeExpression(word: string, parent: ResolvedAttribute | undefined): FilterNode {
    if (this.text.charCodeAt(this.pos) === Char.OpenBracket) {
      if (parent !== undefined) throw this.error('value filters cannot be nested');
      const attribute = this.resolveAbsolute(word);
      if (attribute.subAttribute !== undefined || attribute.attribute.type !== 'complex') {
        throw this.error(`"${attribute.path}" is not a complex attribute and cannot take a value filter`);
      }
      this.pos++;
      const inner = this.parseValueFilter(attribute);
      this.expect(Char.CloseBracket, ']');
      if (this.text.charCodeAt(this.pos) === Char.Dot) {
        // Not in the RFC grammar, but Entra sends `emails[type eq "work"].value eq "x"`.
        this.pos++;
        const subName = this.readWord();
        const sub = subName === '' ? undefined : findSubAttribute(attribute.attribute, subName);
        if (sub === undefined) throw this.error(`unknown sub-attribute "${subName}" of "${attribute.path}"`);
        const element = withSubAttribute(attribute, sub);
        const condition = this.parseOperation(element, true);
        return this.wrapElementFilter(attribute, { kind: 'and', operands: [inner, condition] });
      }
      return this.wrapElementFilter(attribute, inner);
    }
    const attribute = parent === undefined ? this.resolveAbsolute(word) : this.resolveRelative(parent, word);
    return this.parseOperation(attribute, parent !== undefined);
  }

  /** Parses `pr` or `op value` after an attribute path and builds the node. */
  private parseOperation(attribute: ResolvedAttribute, insideElement: boolean): FilterNode {
    const beforeSpace = this.pos;
    this.skipSpace();
    if (this.pos === beforeSpace) throw this.error('expected whitespace and an operator');
    const operator = this.readWord().toLowerCase();
    if (operator === 'pr') return this.present(attribute, insideElement);
    if (!COMPARE_OPERATORS.has(operator)) throw this.error(operator === '' ? 'expected an operator' : `unknown operator "${operator}"`);
    const beforeValue = this.pos;
    this.skipSpace();
    if (this.pos === beforeValue) throw this.error('expected whitespace and a value');
    const literal = this.parseLiteral();
    return this.compare(attribute, operator as CompareOperator, literal, insideElement);
  }

  private present(attribute: ResolvedAttribute, insideElement: boolean): FilterNode {
    const { attribute: top, subAttribute } = attribute;
    if (subAttribute === undefined && top.type === 'complex') {
      // A complex value is present when one of its sub-attributes is.
      const operands: FilterNode[] = (top.subAttributes ?? []).map((sub) => ({ kind: 'present', attribute: withSubAttribute(attribute, sub) }));
      const anySub: FilterNode = operands.length === 1 ? operands[0] : { kind: 'or', operands };
      return top.multiValued ? { kind: 'valuePath', attribute, filter: anySub } : anySub;
    }
    const node: FilterNode = { kind: 'present', attribute };
    return !insideElement && top.multiValued ? { kind: 'valuePath', attribute: withoutSubAttribute(attribute), filter: node } : node;
  }

  private compare(attribute: ResolvedAttribute, operator: CompareOperator, literal: RawLiteral, insideElement: boolean): FilterNode {
    let target = attribute;
    if (target.subAttribute === undefined && target.attribute.type === 'complex') {
      const valueSub = target.attribute.multiValued ? findSubAttribute(target.attribute, 'value') : undefined;
      // Ping compares a multi-valued attribute directly (`emails eq "x"`): that means its `value`.
      if (valueSub === undefined) throw this.error(`complex attribute "${target.path}" needs a sub-attribute to compare`);
      target = withSubAttribute(target, valueSub);
    }
    const definition = target.subAttribute ?? target.attribute;
    const value = this.normaliseLiteral(definition, operator, literal, target.path);
    const positive: FilterNode = { kind: 'compare', attribute: target, operator: operator === 'ne' ? 'eq' : operator, value };
    const wrapped = !insideElement && target.attribute.multiValued ? this.wrapElementFilter(withoutSubAttribute(target), positive) : positive;
    // `ne` is "not equal", so a missing value matches; expressing it as not(eq) keeps both back ends in step.
    return operator === 'ne' ? { kind: 'not', operand: wrapped } : wrapped;
  }

  private wrapElementFilter(attribute: ResolvedAttribute, filter: FilterNode): FilterNode {
    // A value filter on a single-valued complex attribute is just its sub-attribute filter.
    return attribute.attribute.multiValued ? { kind: 'valuePath', attribute, filter } : filter;
  }

  private resolveAbsolute(word: string): ResolvedAttribute {
    const resolved = this.schema.resolve(word);
    if (resolved === undefined) throw this.error(`unknown attribute "${word}"`);
    return resolved;
  }

  private resolveRelative(parent: ResolvedAttribute, word: string): ResolvedAttribute {
    const sub = findSubAttribute(parent.attribute, word);
    if (sub === undefined) throw this.error(`unknown sub-attribute "${word}" of "${parent.path}"`);
    return withSubAttribute(parent, sub);
  }

  private parseLiteral(): RawLiteral {
    const text = this.text;
    if (this.pos >= text.length) throw this.error('expected a value');
    const code = text.charCodeAt(this.pos);
    if (code === Char.Quote) {
      const value = this.readString();
      return { value, text: value };
    }
    if (code === Char.Minus || isDigit(code)) {
      const number = this.tryReadNumber();
      if (number !== undefined) return number;
    }
    // Unquoted values are invalid per RFC, but Entra's docs send `externalId eq jyoung`.
    const start = this.pos;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (isSpace(c) || c === Char.CloseParen || c === Char.CloseBracket || c === Char.Quote || c === Char.OpenParen || c === Char.OpenBracket) break;
      this.pos++;
    }
    const token = text.slice(start, this.pos);
    if (token === '') throw this.error('expected a value');
    const lc = token.toLowerCase();
    if (lc === 'true') return { value: true, text: token };
    if (lc === 'false') return { value: false, text: token };
    if (lc === 'null') return { value: null, text: token };
    return { value: token, text: token };
  }

  /** JSON number grammar; returns undefined (position unchanged) when the token is not exactly a number. */
  private tryReadNumber(): RawLiteral | undefined {
    const text = this.text;
    const start = this.pos;
    let i = start;
    if (text.charCodeAt(i) === Char.Minus) i++;
    if (text.charCodeAt(i) === Char.Zero) i++;
    else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i++;
    else return undefined;
    if (text.charCodeAt(i) === Char.Dot) {
      i++;
      if (!isDigit(text.charCodeAt(i))) return undefined;
      while (isDigit(text.charCodeAt(i))) i++;
    }
    const e = text.charCodeAt(i);
    if (e === Char.LowerE || e === Char.UpperE) {
      i++;
      const sign = text.charCodeAt(i);
      if (sign === Char.Plus || sign === Char.Minus) i++;
      if (!isDigit(text.charCodeAt(i))) return undefined;
      while (isDigit(text.charCodeAt(i))) i++;
    }
    if (i < text.length) {
      const next = text.charCodeAt(i);
      if (!isSpace(next) && next !== Char.CloseParen && next !== Char.CloseBracket) return undefined;
    }
    const token = text.slice(start, i);
    const value = Number(token);
    if (!Number.isFinite(value)) throw this.error('number out of range');
    this.pos = i;
    return { value, text: token };
  }

  /** JSON string with JSON escapes; the opening quote is at `pos`. */
  private readString(): string {
    const text = this.text;
    let i = this.pos + 1;
    let chunkStart = i;
    let result = '';
    for (;;) {
      if (i >= text.length) {
        this.pos = i;
        throw this.error('unterminated string');
      }
      const c = text.charCodeAt(i);
      if (c === Char.Quote) {
        result += text.slice(chunkStart, i);
        this.pos = i + 1;
        return result;
      }
      if (c !== Char.Backslash) {
        i++;
        continue;
      }
      result += text.slice(chunkStart, i);
      const escape = text[i + 1];
      switch (escape) {
        case '"': result += '"'; break;
        case '\\': result += '\\'; break;
        case '/': result += '/'; break;
        case 'b': result += '\b'; break;
        case 'f': result += '\f'; break;
        case 'n': result += '\n'; break;
        case 'r': result += '\r'; break;
        case 't': result += '\t'; break;
        case 'u': {
          const hex = text.slice(i + 2, i + 6);
          if (hex.length !== 4 || !isHex(hex)) {
            this.pos = i;
            throw this.error('invalid \\u escape');
          }
          result += String.fromCharCode(parseInt(hex, 16));
          i += 4;
          break;
        }
        default:
          this.pos = i;
          throw this.error('invalid escape in string');
      }
      i += 2;
      chunkStart = i;
    }
  }

  /** Checks operator/type compatibility and converts the literal to the attribute's type. */
  private normaliseLiteral(definition: AttributeDefinition, operator: CompareOperator, literal: RawLiteral, path: string): FilterLiteral {
    const { value } = literal;
    if (value === null) {
      if (operator !== 'eq' && operator !== 'ne') throw this.error(`operator "${operator}" cannot compare with null`);
      return null;
    }
    switch (definition.type) {
      case 'string':
      case 'reference':
        return literal.text;
      case 'binary':
        if (operator !== 'eq' && operator !== 'ne') throw this.error(`operator "${operator}" is not supported on binary attribute "${path}"`);
        return literal.text;
      case 'boolean': {
        if (operator !== 'eq' && operator !== 'ne') throw this.error(`operator "${operator}" is not supported on boolean attribute "${path}"`);
        if (typeof value === 'boolean') return value;
        const lc = literal.text.toLowerCase();
        if (lc === 'true' || lc === 'false') return lc === 'true';
        throw this.error(`"${path}" is boolean; expected true or false`);
      }
      case 'integer':
      case 'decimal': {
        if (SUBSTRING_OPERATORS.has(operator)) throw this.error(`operator "${operator}" is not supported on number attribute "${path}"`);
        const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
        if (!Number.isFinite(number)) throw this.error(`"${path}" is a number; expected a number`);
        return number;
      }
      case 'dateTime': {
        if (SUBSTRING_OPERATORS.has(operator)) throw this.error(`operator "${operator}" is not supported on dateTime attribute "${path}"`);
        const instant = typeof value === 'string' ? parseDateTime(value) : undefined;
        if (instant === undefined) throw this.error(`"${path}" is a dateTime; expected an ISO-8601 date-time`);
        return instant;
      }
      case 'complex':
        throw this.error(`complex attribute "${path}" cannot be compared`);
    }
  }
}

export function isOrderingOperator(operator: CompareOperator): boolean {
  return ORDERING_OPERATORS.has(operator);
}

function isHex(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 0x20;
    if (!((c >= Char.Zero && c <= Char.Nine) || (c >= Char.LowerA && c <= 102))) return false;
  }
  return true;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?$/i;

/**
 * xsd:dateTime → canonical `toISOString()` text (UTC, milliseconds), so that lexical order equals
 * instant order. A value without a zone is read as UTC.
 */
export function parseDateTime(text: string): string | undefined {
  if (!DATE_TIME.test(text)) return undefined;
  const hasZone = /(?:Z|[+-]\d{2}:\d{2})$/i.test(text);
  const ms = Date.parse(hasZone ? text : `${text}Z`);
  if (!Number.isFinite(ms)) return undefined;
  return new Date(ms).toISOString();
}

export function withSubAttribute(parent: ResolvedAttribute, sub: AttributeDefinition): ResolvedAttribute {
  const prefix = parent.extension ? `${parent.schemaId}:` : '';
  return { ...parent, subAttribute: sub, path: `${prefix}${parent.attribute.name}.${sub.name}` };
}

export function withoutSubAttribute(attribute: ResolvedAttribute): ResolvedAttribute {
  if (attribute.subAttribute === undefined) return attribute;
  const prefix = attribute.extension ? `${attribute.schemaId}:` : '';
  return { ...attribute, subAttribute: undefined, path: `${prefix}${attribute.attribute.name}` };
}

/**
 * Parses a SCIM filter into a typed AST bound to `schema`. Throws only ScimError `invalidFilter`
 * (400, SCIM_INVALID_FILTER): bad syntax, unknown attributes, wrong value types, too long or too deep.
 */
export function parseFilter(text: unknown, schema: ResourceSchema, options: ParseFilterOptions = {}): FilterNode {
  if (typeof text !== 'string') throw scimErrors.invalidFilter('Filter must be a string');
  const maxLength = options.maxLength ?? FILTER_MAX_LENGTH;
  if (text.length > maxLength) throw scimErrors.invalidFilter(`Filter longer than ${maxLength} characters`);
  if (!isStorableString(text)) throw scimErrors.invalidFilter('Filter holds U+0000 or an unpaired surrogate');
  try {
    const parser = new FilterParser(text, schema, scimErrors.invalidFilter, options.maxDepth ?? FILTER_MAX_DEPTH);
    return parser.parseWhole();
  } catch (error) {
    if (error instanceof ScimError) throw error;
    throw scimErrors.invalidFilter('Filter could not be parsed');
  }
}
