import { SignJWT, decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import { ClusterError } from '@cluster/core';

/** TOKEN_PREFIX starts every join token; it names the format version and makes tokens easy to spot. */
export const TOKEN_PREFIX = 'CLUSTER-1-';

/** JoinClaims are what a join token grants: joining one cluster in one role, pinned to its CA. */
export interface JoinClaims {
  clusterId: string;
  role: 'manager' | 'worker';
  /** caDigest is "sha256:<hex>" of the CA certificate's DER (see caDigest). */
  caDigest: string;
  /** jti identifies this token. */
  jti: string;
  /** exp is the expiry, in seconds since the epoch. */
  exp: number;
  /** gen is the token generation; rotating the join tokens bumps it. */
  gen: number;
  /** singleUse tokens (claim "sut") are refused after their first successful join; absent means reusable. */
  singleUse?: boolean;
  /** labels (claim "lbl") are the node labels a node joining with this token may ask for; absent means none. */
  labels?: Record<string, string>;
}

/** JoinTokenOptions configure signJoinToken. */
export interface JoinTokenOptions {
  ttlMs: number;
  now: Date;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const MIN_SECRET_BYTES = 32;

/**
 * signJoinToken makes a join token: "CLUSTER-1-" and a compact JWT signed with
 * HS256. Claims: cid, role, cad (CA digest), gen, jti, iat, exp, and sut
 * (true) for a single-use token.
 */
export async function signJoinToken(
  secret: Uint8Array,
  claims: Omit<JoinClaims, 'exp'>,
  opts: JoinTokenOptions,
): Promise<string> {
  checkSecret(secret);
  if (!DIGEST.test(claims.caDigest)) {
    throw new ClusterError('invalid_argument', `join token: invalid CA digest "${claims.caDigest}"`);
  }
  if (!(opts.ttlMs > 0)) throw new ClusterError('invalid_argument', `join token: invalid ttlMs ${opts.ttlMs} (> 0)`);
  const nowSeconds = Math.floor(opts.now.getTime() / 1000);
  const body: JWTPayload = { cid: claims.clusterId, role: claims.role, cad: claims.caDigest, gen: claims.gen };
  if (claims.singleUse === true) body.sut = true;
  if (claims.labels !== undefined && Object.keys(claims.labels).length > 0) body.lbl = claims.labels;
  const jwt = await new SignJWT(body)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setJti(claims.jti)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(Math.floor((opts.now.getTime() + opts.ttlMs) / 1000))
    .sign(secret);
  return TOKEN_PREFIX + jwt;
}

/**
 * verifyJoinToken checks a join token against the manager's secret: format,
 * cluster, signature and expiry, in that order. Every failure is a
 * ClusterError 'unauthenticated' whose message starts with "join token: ".
 */
export async function verifyJoinToken(
  secret: Uint8Array,
  token: string,
  opts: { clusterId: string; now: Date },
): Promise<JoinClaims> {
  checkSecret(secret);
  let unverified: JoinClaims;
  try {
    unverified = claimsOf(decodeJwt(stripPrefix(token)));
  } catch (cause) {
    const reason = cause instanceof ClusterError ? cause.message : 'join token: malformed (not a JWT)';
    throw new ClusterError('unauthenticated', reason, { cause });
  }
  // Checked before the signature: a token of another cluster was signed with
  // another secret, and "another cluster" is the useful thing to say.
  if (unverified.clusterId !== opts.clusterId) {
    throw new ClusterError(
      'unauthenticated',
      `join token: belongs to another cluster ("${unverified.clusterId}", this is "${opts.clusterId}")`,
    );
  }
  try {
    const { payload } = await jwtVerify(stripPrefix(token), secret, {
      algorithms: ['HS256'],
      currentDate: opts.now,
    });
    return claimsOf(payload);
  } catch (cause) {
    if (cause instanceof errors.JWSSignatureVerificationFailed) {
      throw new ClusterError('unauthenticated', 'join token: bad signature', { cause });
    }
    if (cause instanceof errors.JWTExpired) {
      const at = new Date(unverified.exp * 1000).toISOString();
      throw new ClusterError('unauthenticated', `join token: expired at ${at}`, { cause });
    }
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ClusterError('unauthenticated', `join token: malformed (${detail})`, { cause });
  }
}

/**
 * caDigestFromToken reads the CA digest out of a join token WITHOUT checking
 * its signature: a joining node does not hold the secret, and pins the CA it
 * is served by this digest instead.
 */
export function caDigestFromToken(token: string): string {
  try {
    return claimsOf(decodeJwt(stripPrefix(token))).caDigest;
  } catch (cause) {
    if (cause instanceof ClusterError) throw cause;
    throw new ClusterError('invalid_argument', 'join token: malformed (not a JWT)', { cause });
  }
}

function checkSecret(secret: Uint8Array): void {
  if (secret.length < MIN_SECRET_BYTES) {
    throw new ClusterError('invalid_argument', `join token: secret has ${secret.length} bytes (>= ${MIN_SECRET_BYTES})`);
  }
}

function stripPrefix(token: string): string {
  const trimmed = token.trim();
  if (!trimmed.startsWith(TOKEN_PREFIX)) {
    throw new ClusterError('invalid_argument', `join token: malformed (does not start with "${TOKEN_PREFIX}")`);
  }
  return trimmed.slice(TOKEN_PREFIX.length);
}

// claimsOf maps the JWT claim names to JoinClaims, refusing any missing or mistyped claim.
function claimsOf(payload: JWTPayload): JoinClaims {
  const { cid, role, cad, gen, jti, exp, sut, lbl } = payload;
  const bad = (claim: string): never => {
    throw new ClusterError('invalid_argument', `join token: malformed (claim "${claim}" missing or invalid)`);
  };
  if (typeof cid !== 'string' || cid === '') return bad('cid');
  if (role !== 'manager' && role !== 'worker') return bad('role');
  if (typeof cad !== 'string' || !DIGEST.test(cad)) return bad('cad');
  if (typeof gen !== 'number' || !Number.isSafeInteger(gen) || gen < 0) return bad('gen');
  if (typeof jti !== 'string' || jti === '') return bad('jti');
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return bad('exp');
  if (sut !== undefined && typeof sut !== 'boolean') return bad('sut');
  if (lbl !== undefined && !isStringMap(lbl)) return bad('lbl');
  return { clusterId: cid, role, caDigest: cad, jti, exp, gen, ...(sut === true ? { singleUse: true } : {}), ...(lbl !== undefined ? { labels: { ...lbl } } : {}) };
}

function isStringMap(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}
