import Ajv, { ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One answer of the service, as a client received it. */
export interface Answer {
  method: string;
  /** Path and query, as requested. */
  url: string;
  status: number;
  contentType?: string;
  body: Buffer;
  /** False when the body was too long to keep whole (it is then not checked). */
  complete: boolean;
}

interface MediaType {
  schema?: object;
}
interface Response {
  content?: Record<string, MediaType>;
}
interface Operation {
  responses: Record<string, Response>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
}

const DOCUMENT = join(__dirname, '..', '..', 'docs', 'openapi.json');
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');

/**
 * What docs/openapi.json promises, checked against answers the way a validating proxy does: the
 * path and method find the operation, its status must be documented, the content type must be one
 * the status lists, and a JSON body (problem+json included) must match its schema. Schemas follow
 * OpenAPI 3.0.3: `nullable` adds null to `type` and nothing else (Ajv's own reading of it).
 */
export class OpenApiContract {
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly templates: { path: string; pattern: RegExp; literals: number }[];

  constructor(private readonly document: Document = JSON.parse(readFileSync(DOCUMENT, 'utf8'))) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    this.ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i);
    this.ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    this.ajv.addFormat('uri', (value: string) => URL.canParse(value));
    this.ajv.addFormat('binary', true);
    this.ajv.addSchema(document as object, 'openapi');
    this.templates = Object.keys(document.paths).map((path) => ({
      path,
      pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}/]+\}/g, '[^/]+')}$`),
      literals: path.split('/').filter((segment) => segment && !segment.startsWith('{')).length,
    }));
  }

  /** The documented path whose operation answers `method url`, the most literal one first. */
  operationPath(method: string, url: string): string | undefined {
    const pathname = url.split('?')[0];
    const lowered = method.toLowerCase();
    return this.templates
      .filter((t) => t.pattern.test(pathname) && this.document.paths[t.path][lowered])
      .sort((a, b) => b.literals - a.literals)[0]?.path;
  }

  /** What in this answer the document does not say (empty: it matches); undefined if no operation answers it. */
  check(answer: Answer): string[] | undefined {
    const path = this.operationPath(answer.method, answer.url);
    if (!path || !METHODS.includes(answer.method.toLowerCase())) return undefined;
    const method = answer.method.toLowerCase();
    const responses = this.document.paths[path][method].responses;
    const status = String(answer.status);
    const documented = [status, `${status[0]}XX`, 'default'].find((key) => responses[key]);
    if (!documented) return [`status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`];
    const content = responses[documented].content ?? {};
    const mediaType = (answer.contentType ?? '').split(';')[0].trim().toLowerCase();
    if (answer.body.length === 0) {
      return Object.keys(content).length > 0 && answer.complete
        ? [`an empty body, documented as ${Object.keys(content).join(' or ')}`]
        : [];
    }
    const key = Object.keys(content).find((k) => mediaTypeMatches(k.toLowerCase(), mediaType));
    if (key === undefined) {
      return [`content type "${mediaType}", documented: ${Object.keys(content).join(', ') || 'no content'}`];
    }
    if (!isJson(mediaType) || !answer.complete || !content[key].schema) return [];
    let body: unknown;
    try {
      body = JSON.parse(answer.body.toString('utf8'));
    } catch {
      return [`a ${mediaType} body that is not JSON`];
    }
    const validate = this.validator(['paths', path, method, 'responses', documented, 'content', key, 'schema']);
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `body${e.instancePath} ${e.message} (${e.schemaPath})`);
  }

  private validator(pointer: string[]): ValidateFunction {
    const ref = `openapi#/${pointer.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`;
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    return validate;
  }
}

function mediaTypeMatches(documented: string, actual: string): boolean {
  if (documented === '*/*' || documented === actual) return true;
  return documented.endsWith('/*') && actual.startsWith(documented.slice(0, -1));
}
