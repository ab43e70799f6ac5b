/** How errors of every origin become ProblemDetails, and how missing clusters are written in the header. */
import { describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { AuthError } from '../common/auth.ts';
import { graphError } from '../common/errors.ts';
import { partialResultHeaderValue } from './partial-result.ts';
import { ProblemError, problemFromError } from './problem.ts';

const REQUEST_ID = '5f0c8a52-96a5-4c55-9d1c-6a1e8f3f2c11';

describe('problemFromError', () => {
  it('keeps the status and detail of errors written for clients', () => {
    expect(problemFromError(new ProblemError(404, 'Resource pool x was not found.'), REQUEST_ID)).toEqual({
      status: 404,
      title: 'Not Found',
      detail: 'Resource pool x was not found.',
    });
    expect(problemFromError(new AuthError(403, 'no access'), REQUEST_ID)).toEqual({
      status: 403,
      title: 'Forbidden',
      detail: 'no access',
    });
  });

  it('maps GraphQL error codes through common/errors.ts', () => {
    expect(problemFromError(graphError('NOT_FOUND', 'no such pool'), REQUEST_ID)).toMatchObject({
      status: 404,
      detail: 'no such pool',
    });
    expect(problemFromError(graphError('BAD_USER_INPUT', 'bad'), REQUEST_ID)).toMatchObject({ status: 400 });
    expect(problemFromError(graphError('CONFLICT', 'taken'), REQUEST_ID)).toMatchObject({ status: 409 });
    expect(
      problemFromError(graphError('SHARD_UNAVAILABLE', 'internal text', { clusterId: 'edge-1' }), REQUEST_ID),
    ).toEqual({
      status: 503,
      title: 'Service Unavailable',
      detail: 'Cluster "edge-1" did not answer; the answer is incomplete. Retry later.',
    });
  });

  it('recognises GraphQL errors by shape (serialised or from another graphql copy)', () => {
    expect(
      problemFromError({ message: 'gone', extensions: { code: 'NOT_FOUND' } }, REQUEST_ID),
    ).toMatchObject({ status: 404 });
  });

  it('masks uncoded and internal GraphQL errors, and any other error, quoting the request id only', () => {
    for (const err of [
      new GraphQLError('ECONNREFUSED 10.0.0.7:6443'),
      graphError('INTERNAL_SERVER_ERROR', 'stack at foo.ts:1:1'),
      new Error('password=hunter2'),
      'a thrown string',
      undefined,
    ]) {
      const problem = problemFromError(err, REQUEST_ID);
      expect(problem.status).toBe(500);
      expect(problem.title).toBe('Internal Server Error');
      expect(problem.detail).toContain(REQUEST_ID);
      expect(problem.detail).not.toMatch(/hunter2|ECONNREFUSED|foo\.ts|thrown/);
    }
  });

  it('keeps 4xx statuses set by the HTTP layer without echoing their messages', () => {
    const decodeError = Object.assign(new URIError("Failed to decode param '%E0%A4%A'"), { status: 400 });
    const problem = problemFromError(decodeError, REQUEST_ID);
    expect(problem.status).toBe(400);
    expect(problem.detail).not.toContain('%E0');
    expect(problemFromError({ statusCode: 413, message: 'too large' }, REQUEST_ID).status).toBe(413);
    expect(problemFromError({ status: 502 }, REQUEST_ID).status).toBe(500);
  });
});

describe('partialResultHeaderValue', () => {
  it('lists each cluster once, sorted', () => {
    expect(partialResultHeaderValue(['b', 'a', 'b'])).toBe('cluster="a", cluster="b"');
  });

  it('escapes quotes and backslashes and replaces what a header cannot carry', () => {
    expect(partialResultHeaderValue(['we"ird\\id', 'naïve\n'])).toBe(
      'cluster="na?ve?", cluster="we\\"ird\\\\id"',
    );
  });
});
