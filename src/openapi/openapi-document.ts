import type { INestApplication } from '@nestjs/common';
import { ApiResponse, DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, ReferenceObject, ResponsesObject, SchemaObject } from '@nestjs/swagger';

const PROBLEM = { $ref: '#/components/schemas/Problem' };
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/**
 * The OpenAPI document of the API, as `/api/docs-json` serves it and `docs/openapi.json` keeps it:
 * what NestJS generates from the code, completed with what holds for every operation alike (its
 * problem+json answers, who may call it, a summary), so that a client generated from it is right.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Comment Desk')
      .setDescription(
        'Comment threads and their moderation for news publishers. Errors are RFC 9457 problem+json with a stable `code`.',
      )
      .setVersion('0.1.0')
      .setLicense('Proprietary', 'https://news.example/comment-desk/license')
      .addServer('/', 'This service')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA },
  };
  for (const schema of Object.values(document.components.schemas ?? {})) nullableReferences(schema);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) complete(operation, path, method);
    }
  }
  return document;
}

/** Only null, in OpenAPI 3.0's words: it has no null type, `nullable` adds null to `type`, `enum` keeps only null. */
const NULL_ONLY: SchemaObject = { type: 'object', nullable: true, enum: [null] };

/**
 * A nullable property of a class type comes out as `{ nullable: true, allOf: [$ref] }`, which lets
 * null through only for lenient readers: OpenAPI 3.0.3's `nullable` adds null to `type` alone, and
 * null still fails the allOf. Written as "that class, or null" every validator and generator agrees.
 */
function nullableReferences(schema: SchemaObject | ReferenceObject): void {
  if ('$ref' in schema) return;
  for (const property of Object.values(schema.properties ?? {})) {
    if ('$ref' in property) continue;
    if (property.nullable && property.allOf?.length === 1) {
      property.oneOf = [property.allOf[0], NULL_ONLY];
      delete property.allOf;
      delete property.nullable;
      delete property.type;
    }
    nullableReferences(property);
    if (property.items) nullableReferences(property.items);
  }
}

function complete(operation: OperationObject, path: string, method: (typeof METHODS)[number]): void {
  // The build's plugin puts a handler's whole comment in `summary`: a summary is its first sentence.
  if (operation.summary && !operation.description) {
    const first = firstSentence(operation.summary);
    if (first !== operation.summary.trim()) [operation.description, operation.summary] = [operation.summary, first];
  }
  operation.summary ??= summaryOf(operation);
  operation.parameters = withoutRepeatedHeaders(operation.parameters as ParameterObject[] | undefined);
  const signedIn = operation.security !== undefined && operation.security.length > 0;
  // Public operations take a token too (a signed-in reader sees their own held comments).
  if (!signedIn) operation.security = [{}, { bearer: [] }];
  const answers: [string, string][] = [];
  // Any request can be malformed (a query string, a body or a path that does not parse).
  answers.push(['400', 'VALIDATION_FAILED']);
  answers.push(['401', 'UNAUTHENTICATED: a token was given and is not valid, or one is needed']);
  // Any site-bound request from a page of an origin that the site does not list: ORIGIN_NOT_ALLOWED.
  answers.push(
    signedIn
      ? [
          '403',
          "FORBIDDEN, or USER_BANNED: the token does not allow this; ORIGIN_NOT_ALLOWED: the page's origin is not the site's",
        ]
      : ['403', "ORIGIN_NOT_ALLOWED: the page's origin is not one of the site's"],
  );
  if (path.includes('{')) answers.push(['404', 'NOT_FOUND']);
  if (method !== 'get') answers.push(['413', 'PAYLOAD_TOO_LARGE: the body is over the limit']);
  answers.push(['429', 'RATE_LIMITED, with Retry-After']);
  answers.push(['503', 'UNAVAILABLE: the database is not answering, or the instance is full or draining']);
  const responses: ResponsesObject = operation.responses;
  for (const [status, description] of answers) responses[status] ??= { description };
  // Every error is problem+json, also where an operation documents its own (the health check's 503
  // has its own body, but a draining instance answers before it).
  for (const [status, response] of Object.entries(responses)) {
    if (Number(status) < 400 || !response || '$ref' in response) continue;
    response.content = { ...response.content, 'application/problem+json': { schema: PROBLEM } };
  }
}

const firstSentence = (text: string): string => {
  const sentence = text
    .split(/(?<=\.)\s/)[0]
    .replace(/\s+/g, ' ')
    .trim();
  return sentence.length <= 100 ? sentence : `${sentence.slice(0, 97)}...`;
};

/** For an operation without a comment: its controller and method. */
function summaryOf(operation: OperationObject): string {
  const [controller, method] = (operation.operationId ?? '').split('_');
  return `${controller.replace(/Controller$/, '').replace(/([a-z])([A-Z])/g, '$1 $2')}: ${method}`;
}

/**
 * A header read with @Headers() and also documented with @ApiHeader() appears twice (once as
 * required): keep the documented one.
 */
function withoutRepeatedHeaders(parameters: ParameterObject[] | undefined): ParameterObject[] | undefined {
  if (!parameters) return parameters;
  const documented = new Set(
    parameters.filter((p) => p.in === 'header' && p.description).map((p) => p.name.toLowerCase()),
  );
  return parameters.filter((p) => p.in !== 'header' || p.description || !documented.has(p.name.toLowerCase()));
}

const PROBLEM_SCHEMA = {
  type: 'object' as const,
  description: 'An RFC 9457 problem',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' as const, example: 'urn:comment-desk:problem:validation-failed' },
    title: { type: 'string' as const },
    status: { type: 'integer' as const },
    detail: { type: 'string' as const },
    code: {
      type: 'string' as const,
      enum: [
        'VALIDATION_FAILED',
        'UNAUTHENTICATED',
        'FORBIDDEN',
        'USER_BANNED',
        'OTHER_SITE',
        'ORIGIN_NOT_ALLOWED',
        'URL_NOT_ALLOWED',
        'ADDRESS_NOT_PUBLIC',
        'NOT_FOUND',
        'ARTICLE_CLOSED',
        'CONFLICT',
        'PAYLOAD_TOO_LARGE',
        'RATE_LIMITED',
        'UNAVAILABLE',
      ],
    },
    errors: {
      type: 'array' as const,
      description: 'With VALIDATION_FAILED: what is wrong with each field',
      items: {
        type: 'object' as const,
        required: ['field', 'messages'],
        properties: {
          field: { type: 'string' as const },
          messages: { type: 'array' as const, items: { type: 'string' as const } },
        },
      },
    },
  },
};

/** A problem+json answer that only some operations give (the common ones are added to every operation). */
export const ApiProblem = (status: number, description: string) =>
  ApiResponse({ status, description, content: { 'application/problem+json': { schema: PROBLEM } } });
